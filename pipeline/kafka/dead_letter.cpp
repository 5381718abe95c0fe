#include "kafka/dead_letter.h"

namespace ms::kafka {

Status DeadLetterWriter::write(const std::string &sourceTopic, int32_t sourcePartition, int64_t sourceOffset,
                               std::string_view key, std::string_view value, const QString &reason,
                               const QString &detail, const std::atomic_bool &stop)
{
    const Headers headers{
        {"reason", reason.toStdString()},
        {"detail", detail.toStdString()},
        {"source_topic", sourceTopic},
        {"source_partition", std::to_string(sourcePartition)},
        {"source_offset", std::to_string(sourceOffset)},
    };
    ProduceOptions options;
    options.headers = &headers;
    options.throttle = false;
    const std::string dlq = sourceTopic + ".dlq";
    Status s = m_producer.produce(dlq, key, value, stop, options);
    if (!s)
        return s;
    std::lock_guard lock(m_mutex);
    ++m_counts[reason];
    return {};
}

Status DeadLetterWriter::write(const Message &original, const QString &reason, const QString &detail,
                               const std::atomic_bool &stop)
{
    return write(std::string(original.topic()), original.partition(), original.offset(), original.key(),
                 original.value(), reason, detail, stop);
}

QMap<QString, int64_t> DeadLetterWriter::countsByReason() const
{
    std::lock_guard lock(m_mutex);
    return m_counts;
}

int64_t DeadLetterWriter::total() const
{
    std::lock_guard lock(m_mutex);
    int64_t sum = 0;
    for (int64_t v : m_counts)
        sum += v;
    return sum;
}

}  // namespace ms::kafka
