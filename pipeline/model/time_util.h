#pragma once
#include <QDateTime>
#include <QtGlobal>

#include <chrono>

namespace ms {

inline qint64 nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline qint64 nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline QDateTime utcFromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// Floor division that is correct for negative values too.
inline qint64 floorTo(qint64 value, qint64 step)
{
    qint64 q = value / step;
    if ((value % step != 0) && ((value < 0) != (step < 0)))
        --q;
    return q * step;
}

}  // namespace ms
