#pragma once
// "Record to file": appends ticks as JSONL, one v1 tick JSON per line (codec/tick_codec.h) with one
// extra key, "asset":"crypto"|"stock" (the decoder ignores unknown keys; on Kafka the topic carries
// the asset class, in a file nothing else would). ReplaySource reads these files back.
// Thread-safe: the runtime may call append() from every source thread. The file is flushed after
// each batch so a crash loses at most the batch being written.
#include "model/result.h"
#include "model/tick.h"

#include <QFile>
#include <QMutex>
#include <QString>

#include <memory>
#include <span>
#include <string>

namespace ms {

class TickRecorder
{
public:
    // Opens (creating it and its folder if needed) `path` for appending.
    static Result<std::unique_ptr<TickRecorder>> open(const QString &path);

    Status append(std::span<const Tick> ticks);
    qint64 written() const;
    QString path() const { return m_file.fileName(); }

    // The line written for one tick (no newline), exposed for tests and tools.
    static std::string encodeLine(const Tick &tick);

private:
    TickRecorder() = default;
    mutable QMutex m_mutex;
    QFile m_file;
    std::string m_buffer;
    qint64 m_written = 0;
};

}  // namespace ms
