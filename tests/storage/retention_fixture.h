#pragma once
// tst_retention's data: ticks as plain rows, and the candles they make (the reference the stored
// candles are compared with), computed the way the candle builder buckets them (epoch-aligned).
#include <QDateTime>
#include <QList>
#include <QString>
#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

namespace retention_fixture {

constexpr qint64 kDayMs = 86'400'000;
inline const qint64 kNow =
    QDateTime::fromString(QStringLiteral("2026-06-10T12:34:56.789Z"), Qt::ISODateWithMs)
        .toMSecsSinceEpoch();
inline const QList<int> kIntervals{1, 60, 300, 3600};

struct T
{
    QString table, asset, symbol;
    qint64 ts;
    double price, volume;
};

struct C
{
    double open = 0, high = 0, low = 0, close = 0, volume = 0;
    qint64 trades = 0, first = 0, last = 0;
};
using CandleKey = std::tuple<QString, QString, int, qint64>; // asset, symbol, interval, bucket

inline std::map<CandleKey, C> candlesOf(const std::vector<T> &ticks)
{
    std::map<CandleKey, C> out;
    for (const T &t : ticks) {
        for (int iv : kIntervals) {
            const qint64 bucket = t.ts / (iv * 1000LL) * (iv * 1000LL);
            C &c = out[{t.asset, t.symbol, iv, bucket}];
            if (c.trades == 0 || t.ts < c.first) {
                c.first = t.ts;
                c.open = t.price;
            }
            if (c.trades == 0 || t.ts > c.last) {
                c.last = t.ts;
                c.close = t.price;
            }
            c.high = c.trades ? std::max(c.high, t.price) : t.price;
            c.low = c.trades ? std::min(c.low, t.price) : t.price;
            c.volume += t.volume;
            ++c.trades;
        }
    }
    return out;
}

} // namespace retention_fixture
