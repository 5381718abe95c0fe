#include "kafka/producer.h"

#include "kafka/metadata_wait.h"
#include "kafka/partitioner.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QStringList>

#include <chrono>
#include <vector>

namespace ms::kafka {

namespace {

Error producerError(const QString &what, const QString &code = QStringLiteral("kafka_produce_failed"))
{
    return makeError(QStringLiteral("Kafka producer: ") + what, code);
}

}  // namespace

Result<std::unique_ptr<Producer>> Producer::create(const KafkaSettings &settings, FlowControl *flow)
{
    const QMap<QString, QString> defaults{
        {QStringLiteral("enable.idempotence"), QStringLiteral("true")},
        {QStringLiteral("acks"), QStringLiteral("all")},
        {QStringLiteral("compression.type"), QStringLiteral("lz4")},
        {QStringLiteral("linger.ms"), QStringLiteral("5")},
        {QStringLiteral("batch.num.messages"), QStringLiteral("10000")},
        {QStringLiteral("queue.buffering.max.messages"), QStringLiteral("500000")},
        {QStringLiteral("queue.buffering.max.kbytes"), QStringLiteral("1048576")},
        {QStringLiteral("message.timeout.ms"), QStringLiteral("300000")},
        {QStringLiteral("partitioner"), QStringLiteral("murmur2")},
        {QStringLiteral("log_level"), QStringLiteral("4")},
    };
    auto conf = buildConf(settings, defaults);
    if (!conf)
        return conf.error();
    std::unique_ptr<Producer> p(new Producer(flow));
    rd_kafka_conf_set_opaque(conf->get(), p.get());
    rd_kafka_conf_set_dr_msg_cb(conf->get(), &Producer::onDelivery);
    rd_kafka_conf_set_error_cb(conf->get(), &Producer::onError);
    char err[512] = {};
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), err, sizeof err);
    if (!rk)
        return producerError(QString::fromUtf8(err), QStringLiteral("kafka_create_failed"));
    conf->release();  // owned by rk
    p->m_rk.reset(rk);
    p->m_poller = std::thread([raw = p.get()] { raw->pollLoop(); });
    return p;
}

Producer::~Producer()
{
    if (m_rk) {
        rd_kafka_flush(m_rk.get(), m_shutdownFlushMs);
        if (rd_kafka_outq_len(m_rk.get()) > 0) {
            // Bounded shutdown: what is left fails with __PURGE_* delivery reports (counted,
            // flow-control bytes released) instead of blocking the destructor.
            rd_kafka_purge(m_rk.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
            rd_kafka_flush(m_rk.get(), 500);
        }
    }
    m_stopPoll = true;
    if (m_poller.joinable())
        m_poller.join();
    if (m_rk)
        rd_kafka_poll(m_rk.get(), 0);
    m_rk.reset();
}

void Producer::pollLoop()
{
    while (!m_stopPoll.load(std::memory_order_relaxed))
        rd_kafka_poll(m_rk.get(), 60);
}

void Producer::onDelivery(rd_kafka_t *, const rd_kafka_message_t *msg, void *opaque)
{
    static_cast<Producer *>(opaque)->handleDelivery(msg);
}

void Producer::onError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *self = static_cast<Producer *>(opaque);
    self->m_clientErrors.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(self->m_mutex);
    self->m_lastError = QStringLiteral("Kafka client error: %1 (%2)")
                            .arg(QString::fromUtf8(reason), errorText(static_cast<rd_kafka_resp_err_t>(err)));
}

void Producer::handleDelivery(const rd_kafka_message_t *msg)
{
    const char *topic = rd_kafka_topic_name(msg->rkt);
    if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        m_delivered.fetch_add(1, std::memory_order_relaxed);
        std::lock_guard lock(m_mutex);
        auto it = m_deliveredByTopic.find(std::string_view(topic));
        if (it == m_deliveredByTopic.end())
            it = m_deliveredByTopic.emplace(topic, 0).first;
        ++it->second;
        const int64_t ts = rd_kafka_message_timestamp(msg, nullptr);
        if (ts > 0 && msg->partition >= 0) {
            auto newest = m_newestDeliveredMs.find(std::string_view(topic));  // no allocation per message
            if (newest == m_newestDeliveredMs.end())
                newest = m_newestDeliveredMs.emplace(topic, std::vector<int64_t>{}).first;
            if (newest->second.size() <= size_t(msg->partition))
                newest->second.resize(size_t(msg->partition) + 1, 0);
            newest->second[size_t(msg->partition)] = std::max(newest->second[size_t(msg->partition)], ts);
        }
        return;
    }
    m_failed.fetch_add(1, std::memory_order_relaxed);
    // The message never reached the broker: give its room back or producers would wait forever.
    // The opaque marks messages that were produced under flow control.
    if (m_flow && msg->_private)
        m_flow->release(topic, msg->partition, static_cast<int64_t>(msg->len + msg->key_len));
    std::lock_guard lock(m_mutex);
    m_lastError = QStringLiteral("delivery to %1 [%2] failed: %3")
                      .arg(QString::fromUtf8(topic))
                      .arg(msg->partition)
                      .arg(errorText(msg->err));
}

Result<int32_t> Producer::partitionCount(const std::string &topic, int timeoutMs, const std::atomic_bool *cancel)
{
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_partitionCounts.find(topic); it != m_partitionCounts.end())
            return it->second;
    }
    TopicHandle rkt(rd_kafka_topic_new(m_rk.get(), topic.c_str(), nullptr));
    if (!rkt)
        return producerError(QStringLiteral("cannot create topic handle for '%1'").arg(QString::fromStdString(topic)));
    const rd_kafka_metadata_t *md = nullptr;
    const rd_kafka_resp_err_t e = metadataInSlices(m_rk.get(), rkt.get(), &md, timeoutMs, cancel);
    MetadataHandle holder(md);
    if (e == RD_KAFKA_RESP_ERR__INTR)
        return producerError(QStringLiteral("stopped while waiting for Kafka"), QStringLiteral("cancelled"));
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        // No answer at all (timed out, connection refused) is an unreachable cluster, not a bad topic.
        const bool unreachable = e == RD_KAFKA_RESP_ERR__TIMED_OUT || e == RD_KAFKA_RESP_ERR__TRANSPORT
            || e == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || e == RD_KAFKA_RESP_ERR__RESOLVE;
        return producerError(QStringLiteral("no metadata for topic '%1' within %2 ms: %3")
                                 .arg(QString::fromStdString(topic))
                                 .arg(timeoutMs)
                                 .arg(errorText(e)),
                             unreachable ? QStringLiteral("kafka_unreachable") : QStringLiteral("kafka_metadata_failed"));
    }
    if (md->topic_cnt < 1 || md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR || md->topics[0].partition_cnt < 1)
        return producerError(QStringLiteral("topic '%1' is not available: %2")
                                 .arg(QString::fromStdString(topic),
                                      md->topic_cnt < 1 ? QStringLiteral("no topic in metadata")
                                                        : errorText(md->topics[0].err)),
                             QStringLiteral("kafka_unknown_topic"));
    const int32_t count = md->topics[0].partition_cnt;
    std::lock_guard lock(m_mutex);
    m_partitionCounts[topic] = count;
    return count;
}

Status Producer::prepareTopics(const QStringList &topics, int timeoutMs, const std::atomic_bool *cancel)
{
    QElapsedTimer clock;
    clock.start();
    for (const QString &t : topics) {
        const int left = int(std::max<qint64>(1, timeoutMs - clock.elapsed()));
        auto r = partitionCount(t.toStdString(), left, cancel);
        if (!r)
            return r.error();
    }
    return {};
}

Status Producer::produce(const std::string &topic, std::string_view key, std::string_view value,
                         const std::atomic_bool &stop, const Headers *headers)
{
    ProduceOptions o;
    o.headers = headers;
    return produce(topic, key, value, stop, o);
}

Status Producer::produce(const std::string &topic, std::string_view key, std::string_view value,
                         const std::atomic_bool &stop, const ProduceOptions &options)
{
    int32_t partition = options.partition;
    if (partition < 0) {
        auto count = partitionCount(topic);
        if (!count)
            return count.error();
        partition = partitionForKey(key, count.value());
    }
    const int64_t bytes = static_cast<int64_t>(key.size() + value.size());
    const bool throttled = m_flow && options.throttle;
    if (throttled && !options.waitForRoom && !m_flow->tryAcquire(topic, partition, bytes))
        return producerError(QStringLiteral("no room: the consumers are behind (flow control)"),
                             QStringLiteral("backpressure"));
    if (throttled && options.waitForRoom && !m_flow->acquire(topic, partition, bytes, stop))
        return producerError(QStringLiteral("stopped while waiting for consumers (flow control)"),
                             QStringLiteral("stopped"));

    thread_local std::vector<rd_kafka_vu_t> vus;  // reused: no allocation per message; each
    // reference returned by add() is used before the next add() (which may reallocate).
    vus.clear();
    auto add = [](rd_kafka_vtype_t t) -> rd_kafka_vu_t & {
        vus.emplace_back();
        vus.back().vtype = t;
        return vus.back();
    };
    add(RD_KAFKA_VTYPE_TOPIC).u.cstr = topic.c_str();
    add(RD_KAFKA_VTYPE_PARTITION).u.i32 = partition;
    auto &k = add(RD_KAFKA_VTYPE_KEY);
    k.u.mem.ptr = const_cast<char *>(key.data());
    k.u.mem.size = key.size();
    auto &v = add(RD_KAFKA_VTYPE_VALUE);
    v.u.mem.ptr = const_cast<char *>(value.data());
    v.u.mem.size = value.size();
    add(RD_KAFKA_VTYPE_MSGFLAGS).u.i = RD_KAFKA_MSG_F_COPY;
    add(RD_KAFKA_VTYPE_TIMESTAMP).u.i64 =
        options.timestampMs > 0 ? options.timestampMs : QDateTime::currentMSecsSinceEpoch();
    // Opaque marks a flow-controlled message so a failed delivery releases its bytes.
    add(RD_KAFKA_VTYPE_OPAQUE).u.ptr = throttled ? this : nullptr;
    if (options.headers) {
        for (const auto &[name, val] : *options.headers) {
            auto &h = add(RD_KAFKA_VTYPE_HEADER);
            h.u.header.name = name.c_str();
            h.u.header.val = val.data();
            h.u.header.size = static_cast<ssize_t>(val.size());
        }
    }

    for (;;) {
        ErrorHandle error(rd_kafka_produceva(m_rk.get(), vus.data(), vus.size()));
        if (!error) {
            m_produced.fetch_add(1, std::memory_order_relaxed);
            return {};
        }
        const rd_kafka_resp_err_t code = rd_kafka_error_code(error.get());
        if (code == RD_KAFKA_RESP_ERR__QUEUE_FULL && !stop.load(std::memory_order_relaxed)) {
            // Local queue full: let delivery reports drain it (poll is thread-safe), then retry.
            rd_kafka_poll(m_rk.get(), 10);
            continue;
        }
        if (throttled)
            m_flow->release(topic, partition, bytes);
        if (code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            return producerError(QStringLiteral("stopped while the local queue was full"), QStringLiteral("stopped"));
        const QString text = QString::fromUtf8(rd_kafka_error_string(error.get()));
        {
            std::lock_guard lock(m_mutex);
            m_lastError = QStringLiteral("produce to %1 [%2] rejected: %3")
                              .arg(QString::fromStdString(topic))
                              .arg(partition)
                              .arg(text);
        }
        return producerError(QStringLiteral("produce to '%1' [%2] rejected: %3")
                                 .arg(QString::fromStdString(topic))
                                 .arg(partition)
                                 .arg(text));
    }
}

int Producer::flush(int timeoutMs)
{
    rd_kafka_flush(m_rk.get(), timeoutMs);
    return rd_kafka_outq_len(m_rk.get());
}

int Producer::outstanding() const
{
    return rd_kafka_outq_len(m_rk.get());
}

int64_t Producer::deliveredFor(const std::string &topic) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_deliveredByTopic.find(topic);
    return it == m_deliveredByTopic.end() ? 0 : it->second;
}

std::map<std::pair<std::string, int32_t>, int64_t> Producer::newestDeliveredMs() const
{
    std::map<std::pair<std::string, int32_t>, int64_t> out;
    std::lock_guard lock(m_mutex);
    for (const auto &[topic, byPartition] : m_newestDeliveredMs)
        for (size_t p = 0; p < byPartition.size(); ++p)
            if (byPartition[p] > 0)
                out[{topic, int32_t(p)}] = byPartition[p];
    return out;
}

QString Producer::lastDeliveryError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

}  // namespace ms::kafka
