#include "kafka/dead_letter.h"

#include <QElapsedTimer>

#include <algorithm>

namespace ms::kafka {

int64_t DeadLetterWriter::consumerMaxMessageBytes(const KafkaSettings &consumerSettings)
{
    bool ok = false;
    const qint64 v = consumerSettings.props.value(QStringLiteral("fetch.max.bytes")).toLongLong(&ok);
    return ok && v > 0 ? v : kDefaultConsumerMaxBytes;
}

Result<std::unique_ptr<DeadLetterWriter>> DeadLetterWriter::create(const KafkaSettings &settings)
{
    KafkaSettings s = settings;
    // librdkafka accepts message.max.bytes up to 1e9.
    int64_t maxBytes = std::min<int64_t>(consumerMaxMessageBytes(settings) + kHeaderRoomBytes, 1000000000);
    bool ok = false;
    if (const qint64 user = s.props.value(QStringLiteral("message.max.bytes")).toLongLong(&ok); ok && user > 0)
        maxBytes = user;
    s.props.insert(QStringLiteral("message.max.bytes"), QString::number(maxBytes));
    if (!s.props.contains(QStringLiteral("linger.ms")))
        s.props.insert(QStringLiteral("linger.ms"), QStringLiteral("0"));  // the consumer waits for the ack
    auto producer = Producer::create(s, nullptr);
    if (!producer)
        return producer.error();
    // The consumer flushes before every commit; what is left at shutdown is not acknowledged, so its
    // batch was not committed and is read again: no reason to hold the stop up for long.
    producer.value()->setShutdownFlushTimeoutMs(300);
    auto w = std::make_unique<DeadLetterWriter>(*producer.value(), maxBytes);
    w->m_owned = std::move(producer).value();
    return w;
}

DeadLetterWriter::DeadLetterWriter(Producer &producer, int64_t maxMessageBytes)
    : m_producer(producer), m_maxBytes(maxMessageBytes), m_failedSeen(producer.failed())
{
}

Status DeadLetterWriter::write(const std::string &sourceTopic, int32_t sourcePartition, int64_t sourceOffset,
                               std::string_view key, std::string_view value, const QString &reason,
                               const QString &detail, const std::atomic_bool &stop)
{
    Headers headers{
        {"reason", reason.toStdString()},
        {"detail", detail.left(2000).toStdString()},
        {"source_topic", sourceTopic},
        {"source_partition", std::to_string(sourcePartition)},
        {"source_offset", std::to_string(sourceOffset)},
    };
    int64_t overhead = int64_t(key.size()) + kHeaderRoomBytes / 2;
    for (const auto &h : headers)
        overhead += int64_t(h.first.size() + h.second.size());
    if (int64_t(value.size()) + overhead > m_maxBytes) {
        headers.push_back({"ms-truncated", std::to_string(value.size())});
        value = value.substr(0, size_t(std::max<int64_t>(0, m_maxBytes - overhead)));
        m_truncated.fetch_add(1);
    }
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

Status DeadLetterWriter::flush(int timeoutMs, const std::atomic_bool &stop)
{
    QElapsedTimer clock;
    clock.start();
    int left = m_producer.outstanding();
    while (left > 0 && !stop.load() && clock.elapsed() < timeoutMs)
        left = m_producer.flush(int(std::min<qint64>(100, std::max<qint64>(1, timeoutMs - clock.elapsed()))));
    std::lock_guard lock(m_mutex);
    const int64_t failed = m_producer.failed();
    if (failed != m_failedSeen) {
        const int64_t lost = failed - m_failedSeen;
        m_failedSeen = failed;
        return makeError(QStringLiteral("%1 dead letter(s) not delivered: %2")
                             .arg(lost)
                             .arg(m_producer.lastDeliveryError()),
                         QStringLiteral("dlq_failed"));
    }
    if (left > 0)
        return makeError(stop.load() ? QStringLiteral("stopped before the dead letters were acknowledged")
                                     : QStringLiteral("%1 dead letter(s) not acknowledged within %2 ms").arg(left).arg(timeoutMs),
                         QStringLiteral("dlq_timeout"));
    return {};
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
