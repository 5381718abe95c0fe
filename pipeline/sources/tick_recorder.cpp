#include "sources/tick_recorder.h"

#include "codec/tick_codec.h"

#include <QDir>
#include <QFileInfo>

namespace ms {

Result<std::unique_ptr<TickRecorder>> TickRecorder::open(const QString &path)
{
    if (path.isEmpty())
        return makeError(QStringLiteral("no record file given"), QStringLiteral("record_path"));
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return makeError(QStringLiteral("cannot create folder %1 for the record file").arg(info.absolutePath()),
                         QStringLiteral("record_path"));
    std::unique_ptr<TickRecorder> rec(new TickRecorder);
    rec->m_file.setFileName(path);
    if (!rec->m_file.open(QIODevice::WriteOnly | QIODevice::Append))
        return makeError(QStringLiteral("cannot open record file %1: %2").arg(path, rec->m_file.errorString()),
                         QStringLiteral("record_open"));
    return rec;
}

std::string TickRecorder::encodeLine(const Tick &tick)
{
    std::string line = encodeTick(tick);
    if (!line.empty() && line.back() == '}') {
        line.pop_back();
        line += R"(,"asset":")";
        line += tick.asset == AssetClass::Stock ? "stock" : "crypto";
        line += "\"}";
    }
    return line;
}

Status TickRecorder::append(std::span<const Tick> ticks)
{
    QMutexLocker lock(&m_mutex);
    m_buffer.clear();
    for (const Tick &t : ticks) {
        m_buffer += encodeLine(t);
        m_buffer += '\n';
    }
    if (m_buffer.empty())
        return {};
    const qint64 n = m_file.write(m_buffer.data(), qint64(m_buffer.size()));
    if (n != qint64(m_buffer.size()) || !m_file.flush())
        return makeError(QStringLiteral("writing the record file %1 failed: %2").arg(m_file.fileName(), m_file.errorString()),
                         QStringLiteral("record_write"));
    m_written += qint64(ticks.size());
    return {};
}

qint64 TickRecorder::written() const
{
    QMutexLocker lock(&m_mutex);
    return m_written;
}

}  // namespace ms
