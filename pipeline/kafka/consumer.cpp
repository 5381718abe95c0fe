#include "kafka/consumer.h"
#include "kafka/metadata_wait.h"
#include "kafka/partition_list.h"

#include <chrono>
#include <cstring>

namespace ms::kafka {

using namespace detail;

Result<std::unique_ptr<Consumer>> Consumer::create(const KafkaSettings &settings, const QString &groupId,
                                                   const QStringList &topics, AssignmentHandler handler)
{
    if (topics.isEmpty())
        return makeError(QStringLiteral("Kafka consumer: at least one topic is required"),
                         QStringLiteral("kafka_bad_argument"));
    auto c = createUnsubscribed(settings, groupId, std::move(handler));
    if (!c.ok())
        return c;
    PartitionListHandle subs(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
    for (const QString &t : topics)
        rd_kafka_topic_partition_list_add(subs.get(), t.toUtf8().constData(), RD_KAFKA_PARTITION_UA);
    if (const rd_kafka_resp_err_t e = rd_kafka_subscribe(c.value()->m_rk.get(), subs.get()); e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        c.value()->close(500);
        return makeError(QStringLiteral("Kafka consumer: subscribe failed: ") + errorText(e),
                         QStringLiteral("kafka_subscribe_failed"));
    }
    return c;
}

Result<std::unique_ptr<Consumer>> Consumer::createUnsubscribed(const KafkaSettings &settings, const QString &groupId,
                                                               AssignmentHandler handler)
{
    if (groupId.isEmpty())
        return makeError(QStringLiteral("Kafka consumer: a group id is required"), QStringLiteral("kafka_bad_argument"));
    const QMap<QString, QString> defaults{
        {QStringLiteral("enable.auto.commit"), QStringLiteral("false")},
        {QStringLiteral("enable.auto.offset.store"), QStringLiteral("false")},
        {QStringLiteral("fetch.wait.max.ms"), QStringLiteral("10")},
        {QStringLiteral("session.timeout.ms"), QStringLiteral("10000")},
        {QStringLiteral("heartbeat.interval.ms"), QStringLiteral("2000")},
        {QStringLiteral("enable.partition.eof"), QStringLiteral("false")},
        {QStringLiteral("log_level"), QStringLiteral("4")},
    };
    KafkaSettings s = settings;
    // librdkafka 2.0.2 with auto.offset.reset=error leaves the partition's fetcher stopped, and
    // restarting it from the application deadlocked here (seek → __STATE, assign → blocks), so
    // the reset is "earliest" and poll() detects the jump itself (see checkContinuity).
    if (!s.props.contains(QStringLiteral("auto.offset.reset")))
        s.props.insert(QStringLiteral("auto.offset.reset"), QStringLiteral("earliest"));
    const QString reset = s.props.value(QStringLiteral("auto.offset.reset")).toLower();
    const bool fromEnd = reset == u"latest" || reset == u"largest" || reset == u"end";
    s.props.insert(QStringLiteral("group.id"), groupId);
    auto conf = buildConf(s, defaults);
    if (!conf)
        return conf.error();
    std::unique_ptr<Consumer> c(new Consumer);
    c->m_handler = std::move(handler);
    c->m_unknownStart = fromEnd ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_conf_set_opaque(conf->get(), c.get());
    rd_kafka_conf_set_rebalance_cb(conf->get(), &Consumer::onRebalance);
    rd_kafka_conf_set_offset_commit_cb(conf->get(), &Consumer::onCommit);
    rd_kafka_conf_set_error_cb(conf->get(), &Consumer::onError);
    // Broker failures reach onError with the text of librdkafka's "FAIL" log line: the poller's
    // owner reports them (the issue log), so the log line is not printed as well.
    routeLogsToQtButBrokerFailures(conf->get());
    char err[512] = {};
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), err, sizeof err);
    if (!rk)
        return makeError(QStringLiteral("Kafka consumer: ") + QString::fromUtf8(err), QStringLiteral("kafka_create_failed"));
    conf->release();
    c->m_rk.reset(rk);
    rd_kafka_poll_set_consumer(rk);  // errors, commits and rebalances are all served by poll()
    return c;
}

Status Consumer::assignStatic(const std::vector<TopicPartition> &tps)
{
    if (m_closed)
        return makeError(QStringLiteral("Kafka consumer: assign after close"), QStringLiteral("kafka_closed"));
    m_static = true;
    // Leaders first: a partition assigned before its topic's metadata is known starts fetching
    // only when the client's offset-query timer retries, a second later (seen: the first ticks of
    // a topic waited ~1 s).
    std::set<std::string> topics;
    for (const TopicPartition &tp : tps)
        topics.insert(tp.topic);
    for (const std::string &topic : topics) {
        TopicHandle rkt(rd_kafka_topic_new(m_rk.get(), topic.c_str(), nullptr));
        const rd_kafka_metadata_t *md = nullptr;
        if (rkt && metadataInSlices(m_rk.get(), rkt.get(), &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR)
            rd_kafka_metadata_destroy(md);
    }
    PartitionListHandle list(rd_kafka_topic_partition_list_new(static_cast<int>(tps.size())));
    for (const TopicPartition &tp : tps)
        rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition);
    handleRebalance(RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS, list.get());
    return {};
}

Consumer::~Consumer()
{
    close(2000);
}

void Consumer::onRebalance(rd_kafka_t *, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    static_cast<Consumer *>(opaque)->handleRebalance(err, parts);
}

void Consumer::onError(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    // Served inside poll() (the main queue is forwarded to the consumer queue).
    auto *self = static_cast<Consumer *>(opaque);
    ConsumerError e;
    const auto code = static_cast<rd_kafka_resp_err_t>(err);
    e.fatal = code == RD_KAFKA_RESP_ERR__FATAL;
    e.code = e.fatal ? QStringLiteral("fatal")
           : code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ? QStringLiteral("all_brokers_down")
                                                         : QStringLiteral("broker");
    e.message = QStringLiteral("Kafka consumer: %1 (%2)").arg(QString::fromUtf8(reason), errorText(code));
    if (e.fatal) {
        char buf[512] = {};
        rd_kafka_fatal_error(rk, buf, sizeof buf);
        e.message = QStringLiteral("Kafka consumer fatal error: ") + QString::fromUtf8(buf);
    }
    if (self->m_clientErrors.size() < 100)  // bounded if nobody polls for a while
        self->m_clientErrors.push_back(std::move(e));
}

void Consumer::onCommit(rd_kafka_t *, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets, void *opaque)
{
    static_cast<Consumer *>(opaque)->handleCommit(err, offsets);
}

void Consumer::handleRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts)
{
    rd_kafka_t *rk = m_rk.get();
    const char *protocol = rd_kafka_rebalance_protocol(rk);
    const bool cooperative = protocol && std::strcmp(protocol, "COOPERATIVE") == 0;
    m_cooperative = cooperative;
    const std::vector<TopicPartition> tps = toVector(parts);
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        std::vector<std::optional<int64_t>> starts;
        if (m_handler.onAssigned)
            starts = m_handler.onAssigned(tps);
        for (int i = 0; i < parts->cnt; ++i) {
            const auto idx = static_cast<size_t>(i);
            if (idx < starts.size() && starts[idx].has_value())
                parts->elems[i].offset = *starts[idx];
            else if (m_handler.onAssigned)
                parts->elems[i].offset = m_unknownStart;  // no stored position: auto.offset.reset
            // else RD_KAFKA_OFFSET_INVALID: the group's committed offset, else earliest
            const TopicPartition tp{parts->elems[i].topic, parts->elems[i].partition};
            m_lastExpected = m_expected.end();
            if (parts->elems[i].offset >= 0)
                m_expected[tp] = parts->elems[i].offset;
            else
                m_expected.erase(tp);
        }
        // An assignment that did not take leaves partitions unread with no other sign: the consumer
        // stops (fatal) and says so, rather than going on deaf.
        if (cooperative) {
            ErrorHandle e(rd_kafka_incremental_assign(rk, parts));
            if (e)
                queueClientError(QStringLiteral("assign_failed"),
                                 QStringLiteral("Kafka consumer: assigning partitions failed: ")
                                     + QString::fromUtf8(rd_kafka_error_string(e.get())),
                                 true);
        } else if (const rd_kafka_resp_err_t e = rd_kafka_assign(rk, parts); e != RD_KAFKA_RESP_ERR_NO_ERROR) {
            queueClientError(QStringLiteral("assign_failed"),
                             QStringLiteral("Kafka consumer: assigning partitions failed: ") + errorText(e), true);
        }
        if (m_paused) {
            if (const rd_kafka_resp_err_t e = detail::withPartitionErrors(rd_kafka_pause_partitions(rk, parts), parts); e != RD_KAFKA_RESP_ERR_NO_ERROR)
                queueClientError(QStringLiteral("pause_failed"),
                                 QStringLiteral("Kafka consumer: pausing new partitions failed: ") + errorText(e), false);
        }
        std::lock_guard lock(m_mutex);
        m_assigned.insert(tps.begin(), tps.end());
        return;
    }
    // Revoked or lost (or an error): let the caller flush state and reset flow control first.
    if (m_handler.onRevoked)
        m_handler.onRevoked(tps);
    m_lastExpected = m_expected.end();
    for (const TopicPartition &tp : tps)
        m_expected.erase(tp);
    if (cooperative) {
        ErrorHandle e(rd_kafka_incremental_unassign(rk, parts));
        if (e)
            queueClientError(QStringLiteral("unassign_failed"),
                             QStringLiteral("Kafka consumer: releasing partitions failed: ")
                                 + QString::fromUtf8(rd_kafka_error_string(e.get())),
                             true);
    } else if (const rd_kafka_resp_err_t e = rd_kafka_assign(rk, nullptr); e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        queueClientError(QStringLiteral("unassign_failed"),
                         QStringLiteral("Kafka consumer: releasing partitions failed: ") + errorText(e), true);
    }
    std::lock_guard lock(m_mutex);
    if (cooperative) {
        for (const TopicPartition &tp : tps)
            m_assigned.erase(tp);
    } else {
        m_assigned.clear();
    }
}

void Consumer::queueClientError(const QString &code, const QString &message, bool fatal)
{
    ConsumerError e;
    e.code = code;
    e.message = message;
    e.fatal = fatal;
    if (m_clientErrors.size() < 100)  // bounded if nobody polls for a while
        m_clientErrors.push_back(std::move(e));
}

void Consumer::handleCommit(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets)
{
    if (err == RD_KAFKA_RESP_ERR__NO_OFFSET)
        return;  // nothing to commit
    QString firstError;
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        firstError = errorText(err);
    } else if (offsets) {
        for (int i = 0; i < offsets->cnt; ++i) {
            if (offsets->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
                firstError = tpName(offsets->elems[i].topic, offsets->elems[i].partition) + QStringLiteral(": ")
                           + errorText(offsets->elems[i].err);
                break;
            }
        }
    }
    if (firstError.isEmpty()) {
        m_commitsOk.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    m_commitFailures.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(m_mutex);
    m_lastCommitError = firstError;
}

MessageBatch Consumer::poll(int maxMessages, int timeoutMs)
{
    MessageBatch out;
    if (m_closed)
        return out;
    int wait = timeoutMs;
    out.messages.reserve(static_cast<size_t>(std::min(maxMessages, 4096)));
    while (static_cast<int>(out.messages.size()) < maxMessages) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(m_rk.get(), wait);
        if (!m)
            break;
        wait = 0;  // after the first one, take only what is already fetched
        MessageHandle owned(m);
        if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            handleErrorMessage(m, out);
            continue;
        }
        out.messages.emplace_back(std::move(owned));
        checkContinuity(out.messages.back(), out);
    }
    if (!m_clientErrors.empty()) {
        out.errors.insert(out.errors.end(), m_clientErrors.begin(), m_clientErrors.end());
        m_clientErrors.clear();
    }
    return out;
}

void Consumer::handleErrorMessage(const rd_kafka_message_t *msg, MessageBatch &out)
{
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
        return;
    ConsumerError e;
    e.message = QString::fromUtf8(rd_kafka_message_errstr(msg));
    if (msg->rkt) {
        e.topic = rd_kafka_topic_name(msg->rkt);
        e.partition = msg->partition;
        e.offset = msg->offset;
    }
    if (msg->err == RD_KAFKA_RESP_ERR__FATAL) {
        char buf[512] = {};
        rd_kafka_fatal_error(m_rk.get(), buf, sizeof buf);
        e.code = QStringLiteral("fatal");
        e.message = QStringLiteral("Kafka consumer fatal error: ") + QString::fromUtf8(buf);
        e.fatal = true;
    } else if (msg->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || msg->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC
               || msg->err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION) {
        e.code = QStringLiteral("unknown_topic");
    } else if (msg->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED
               || msg->err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED) {
        e.code = QStringLiteral("authorization");
    } else {
        e.code = QStringLiteral("broker");
    }
    out.errors.push_back(std::move(e));
}

Status Consumer::commitAsync(const std::vector<TopicPartitionOffset> &offsets)
{
    if (offsets.empty())
        return {};
    if (m_closed)
        return makeError(QStringLiteral("Kafka consumer: commit after close"), QStringLiteral("kafka_closed"));
    PartitionListHandle list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
    for (const TopicPartitionOffset &o : offsets)
        rd_kafka_topic_partition_list_add(list.get(), o.topic.c_str(), o.partition)->offset = o.offset;
    const rd_kafka_resp_err_t e = rd_kafka_commit(m_rk.get(), list.get(), 1 /* async */);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        m_commitFailures.fetch_add(1, std::memory_order_relaxed);
        return makeError(QStringLiteral("Kafka consumer: commit failed: ") + errorText(e),
                         QStringLiteral("kafka_commit_failed"));
    }
    return {};
}

QString Consumer::lastCommitError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastCommitError;
}

QString Consumer::clusterId(int timeoutMs)
{
    if (m_closed)
        return {};
    return clusterIdInSlices(m_rk.get(), timeoutMs);
}

bool Consumer::close(int timeoutMs)
{
    if (m_closed || !m_rk)
        return true;
    m_closed = true;
    rd_kafka_t *rk = m_rk.get();
    if (m_static) {
        // No group to leave, so no revocation event: the partitions go all the same.
        const std::vector<TopicPartition> tps = assignment();
        if (!tps.empty() && m_handler.onRevoked)
            m_handler.onRevoked(tps);
        if (const rd_kafka_resp_err_t e = rd_kafka_assign(rk, nullptr); e != RD_KAFKA_RESP_ERR_NO_ERROR)
            qWarning("Kafka consumer: dropping the static assignment at close failed: %s", rd_kafka_err2str(e));
        std::lock_guard lock(m_mutex);
        m_assigned.clear();
    }
    bool finished = false;
    QueueHandle q(rd_kafka_queue_new(rk));
    ErrorHandle err(rd_kafka_consumer_close_queue(rk, q.get()));
    if (!err) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (!rd_kafka_consumer_closed(rk) && std::chrono::steady_clock::now() < deadline) {
            EventHandle ev(rd_kafka_queue_poll(q.get(), 50));
            if (ev && rd_kafka_event_type(ev.get()) == RD_KAFKA_EVENT_REBALANCE)
                handleRebalance(rd_kafka_event_error(ev.get()), rd_kafka_event_topic_partition_list(ev.get()));
        }
        finished = rd_kafka_consumer_closed(rk) != 0;
    }
    if (!finished && m_handler.onRevoked) {
        // The group could not be left in time (brokers down): the partitions are lost all the same.
        const std::vector<TopicPartition> tps = assignment();
        if (!tps.empty())
            m_handler.onRevoked(tps);
    }
    {
        std::lock_guard lock(m_mutex);
        m_assigned.clear();
    }
    q.reset();
    rd_kafka_destroy_flags(m_rk.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    return finished;
}

}  // namespace ms::kafka
