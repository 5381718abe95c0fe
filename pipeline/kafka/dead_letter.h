#pragma once
// Dead letters: a message the pipeline cannot use (bad JSON, missing fields, ...) goes unchanged
// (same key, same value bytes) to `<topic>.dlq`, with headers saying why and where it came from:
//   reason            short stable key, e.g. "invalid_json" (the codec's reason code)
//   detail            one human-readable line
//   source_topic      original topic
//   source_partition  decimal
//   source_offset     decimal
// Dead letters bypass flow control (nobody consumes the DLQ inside the app, so they would wait
// forever); on the embedded broker the DLQ therefore keeps only its newest ~5 MiB per partition.
//
// Ownership: borrows the Producer (must outlive the writer). Thread-safe like the Producer.
#include "kafka/message.h"
#include "kafka/producer.h"

#include <QMap>
#include <QString>

#include <atomic>
#include <mutex>

namespace ms::kafka {

class DeadLetterWriter
{
public:
    explicit DeadLetterWriter(Producer &producer) : m_producer(producer) {}

    // Queues the dead letter; counted by reason once queued (delivery is the producer's counters).
    Status write(const std::string &sourceTopic, int32_t sourcePartition, int64_t sourceOffset,
                 std::string_view key, std::string_view value, const QString &reason, const QString &detail,
                 const std::atomic_bool &stop);
    Status write(const Message &original, const QString &reason, const QString &detail,
                 const std::atomic_bool &stop);

    QMap<QString, int64_t> countsByReason() const;
    int64_t total() const;

private:
    Producer &m_producer;
    mutable std::mutex m_mutex;
    QMap<QString, int64_t> m_counts;
};

}  // namespace ms::kafka
