#pragma once
// Dead letters: a message the pipeline cannot use (bad JSON, missing fields, a row the database
// refuses, ...) goes unchanged (same key, same value bytes) to `<topic>.dlq`, with headers saying
// why and where it came from:
//   reason            short stable key, e.g. "invalid_json" (the codec's reason code)
//   detail            one human-readable line
//   source_topic      original topic
//   source_partition  decimal
//   source_offset     decimal
//   ms-truncated      only when the value had to be cut to fit the DLQ: the original size in bytes
// Dead letters bypass flow control (nobody consumes the DLQ inside the app, so they would wait
// forever); on the embedded broker the DLQ therefore keeps only its newest ~5 MiB per partition.
//
// Durability: write() only queues. The consumer calls flush() before it commits the offsets that
// skip the rejected messages; flush() fails unless every dead letter queued so far was
// acknowledged by the broker, and the consumer then writes them again (at-least-once in the DLQ).
//
// Ownership: create() makes and owns a producer of its own (a batch holding a reject must not wait
// for the sources' in-flight ticks), sized for the largest message a consumer accepts. The
// borrowing constructor is for tests; the producer must outlive the writer. Thread-safe.
#include "kafka/kafka_config.h"
#include "kafka/message.h"
#include "kafka/producer.h"

#include <QMap>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>

namespace ms::kafka {

class DeadLetterWriter
{
public:
    // A consumer without fetch.max.bytes in its settings accepts librdkafka's default, 50 MiB.
    static constexpr int64_t kDefaultConsumerMaxBytes = 52428800;
    static constexpr int64_t kHeaderRoomBytes = 64 * 1024;  // our headers and the record framing

    // The largest message a consumer with these settings accepts (fetch.max.bytes).
    static int64_t consumerMaxMessageBytes(const KafkaSettings &consumerSettings);
    // Creates the writer with its own producer; message.max.bytes = the consumer's largest message
    // plus room for the headers (a user's message.max.bytes in settings wins).
    static Result<std::unique_ptr<DeadLetterWriter>> create(const KafkaSettings &settings);

    explicit DeadLetterWriter(Producer &producer, int64_t maxMessageBytes = 1000000);

    // Queues the dead letter; counted by reason once queued. A value too large for the DLQ is cut to
    // fit, with the ms-truncated header; it is never dropped.
    Status write(const std::string &sourceTopic, int32_t sourcePartition, int64_t sourceOffset,
                 std::string_view key, std::string_view value, const QString &reason, const QString &detail,
                 const std::atomic_bool &stop);
    Status write(const Message &original, const QString &reason, const QString &detail,
                 const std::atomic_bool &stop);

    // Waits (in short slices, checking stop) until nothing is outstanding; an error when time ran out,
    // stop was set, or any dead letter failed since the last successful flush().
    Status flush(int timeoutMs, const std::atomic_bool &stop);

    QMap<QString, int64_t> countsByReason() const;
    int64_t total() const;
    int64_t truncated() const { return m_truncated.load(); }
    int64_t maxMessageBytes() const { return m_maxBytes; }

private:
    std::unique_ptr<Producer> m_owned;
    Producer &m_producer;
    int64_t m_maxBytes;
    int64_t m_failedSeen;  // the producer's failed() at the last good flush
    std::atomic<int64_t> m_truncated{0};
    mutable std::mutex m_mutex;
    QMap<QString, int64_t> m_counts;
};

}  // namespace ms::kafka
