#include "kafka/topic_tail.h"

#include "kafka/partition_list.h"

#include <QUuid>
#include <algorithm>
#include <chrono>

namespace ms::kafka {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kSliceMs = 100; // the longest a cancel waits to be seen

int remainingMs(Clock::time_point deadline)
{
    return int(std::max<int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
}

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load();
}

Error tailError(const QString &what, const QString &code)
{
    return Error{QStringLiteral("Kafka tail: ") + what, code};
}

std::optional<QByteArray> bytes(const void *p, size_t n)
{
    if (!p)
        return std::nullopt;
    return QByteArray(static_cast<const char *>(p), qsizetype(n));
}

TailRecord toRecord(const rd_kafka_message_t *m)
{
    TailRecord r;
    r.topic = QString::fromUtf8(rd_kafka_topic_name(m->rkt));
    r.partition = m->partition;
    r.offset = m->offset;
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    r.timestampMs = rd_kafka_message_timestamp(m, &type);
    r.logAppendTime = type == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME;
    r.key = bytes(m->key, m->key_len);
    r.value = bytes(m->payload, m->len);
    rd_kafka_headers_t *hdrs = nullptr;
    if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char *name = nullptr;
        const void *val = nullptr;
        size_t size = 0;
        for (size_t i = 0;
             rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i)
            r.headers.append({QString::fromUtf8(name), bytes(val, size)});
    }
    return r;
}

// Errors that end the tail; everything else (brokers down for a while, EOF) is waited out.
bool endsTheTail(rd_kafka_resp_err_t e)
{
    return e == RD_KAFKA_RESP_ERR__FATAL || e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
           e == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
           e == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
           e == RD_KAFKA_RESP_ERR__AUTHENTICATION || e == RD_KAFKA_RESP_ERR__SSL;
}

// Metadata of every topic, in growing slices (see metadata_wait.h) with `cancel` checked between
// them. An all-topics request never auto-creates a topic: asking for one by name does on brokers
// with auto.create.topics.enable (and on the mock, whose MetadataRequest is v2), so a misspelt
// name would make a topic.
Result<MetadataHandle> allTopicsMetadata(rd_kafka_t *rk, int timeoutMs,
                                         const std::atomic_bool *cancel)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    int slice = 10;
    while (true) {
        if (cancelled(cancel))
            return tailError(QStringLiteral("cancelled"), QStringLiteral("cancelled"));
        const rd_kafka_metadata_t *raw = nullptr;
        const rd_kafka_resp_err_t e = rd_kafka_metadata(
            rk, 1, nullptr, &raw, std::max(1, std::min(slice, remainingMs(deadline))));
        if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
            return MetadataHandle(raw);
        const bool retryable =
            e == RD_KAFKA_RESP_ERR__TIMED_OUT || e == RD_KAFKA_RESP_ERR__TRANSPORT;
        if (!retryable || remainingMs(deadline) == 0)
            return tailError(
                QStringLiteral("no metadata within %1 ms: %2").arg(timeoutMs).arg(errorText(e)),
                QStringLiteral("kafka_unreachable"));
        slice = std::min(slice * 2, kSliceMs);
    }
}

} // namespace

Result<std::unique_ptr<TopicTail>> TopicTail::open(const TailOptions &options,
                                                   const std::atomic_bool *cancel)
{
    if (options.topic.isEmpty())
        return tailError(QStringLiteral("no topic given"), QStringLiteral("kafka_bad_argument"));
    std::unique_ptr<TopicTail> t(new TopicTail);
    t->m_topic = options.topic;
    t->m_groupId =
        QStringLiteral("marketstream-tail-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    KafkaSettings s = options.settings;
    // These are what makes the tail harmless; a user property cannot turn them off.
    s.props.insert(QStringLiteral("group.id"), t->m_groupId);
    s.props.insert(QStringLiteral("enable.auto.commit"), QStringLiteral("false"));
    s.props.insert(QStringLiteral("enable.auto.offset.store"), QStringLiteral("false"));
    s.props.insert(QStringLiteral("allow.auto.create.topics"), QStringLiteral("false"));
    const QMap<QString, QString> defaults{
        {QStringLiteral("client.id"), QStringLiteral("marketstream-tail")},
        {QStringLiteral("fetch.wait.max.ms"), QStringLiteral("100")},
        {QStringLiteral("enable.partition.eof"), QStringLiteral("false")},
        {QStringLiteral("auto.offset.reset"), QStringLiteral("earliest")},
        // The local fetch queue is the tail's own memory bound: 4 MB, not librdkafka's 64 MB.
        {QStringLiteral("queued.max.messages.kbytes"), QStringLiteral("4096")},
        {QStringLiteral("log_level"), QStringLiteral("3")},
    };
    auto conf = buildConf(s, defaults);
    if (!conf)
        return conf.error();
    char err[512] = {};
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), err, sizeof err);
    if (!rk)
        return tailError(QString::fromUtf8(err), QStringLiteral("kafka_create_failed"));
    conf->release();
    t->m_rk.reset(rk);
    if (const rd_kafka_resp_err_t e = rd_kafka_poll_set_consumer(rk);
        e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return tailError(QStringLiteral("cannot route events: ") + errorText(e),
                         QStringLiteral("kafka_create_failed"));
    if (Status st = t->assignAll(options, cancel); !st)
        return st.error();
    return t;
}

Status TopicTail::assignAll(const TailOptions &options, const std::atomic_bool *cancel)
{
    rd_kafka_t *rk = m_rk.get();
    const QByteArray topic = options.topic.toUtf8();
    auto md = allTopicsMetadata(rk, options.timeoutMs, cancel);
    if (!md)
        return md.error();
    const rd_kafka_metadata_topic_t *found = nullptr;
    for (int i = 0; i < md.value()->topic_cnt; ++i) {
        if (topic == md.value()->topics[i].topic)
            found = &md.value()->topics[i];
    }
    if (!found || found->err != RD_KAFKA_RESP_ERR_NO_ERROR || found->partition_cnt < 1) {
        const rd_kafka_resp_err_t te = found ? found->err : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
        return tailError(
            QStringLiteral("topic '%1': %2").arg(options.topic.left(100), errorText(te)),
            QStringLiteral("kafka_unknown_topic"));
    }
    m_partitions = found->partition_cnt;
    PartitionListHandle list(rd_kafka_topic_partition_list_new(m_partitions));
    for (int i = 0; i < m_partitions; ++i) {
        rd_kafka_topic_partition_t *p = rd_kafka_topic_partition_list_add(
            list.get(), topic.constData(), found->partitions[i].id);
        p->offset = options.start == TailStart::Beginning ? RD_KAFKA_OFFSET_BEGINNING
                    : options.start == TailStart::End     ? RD_KAFKA_OFFSET_END
                                                          : options.startTimeMs;
    }
    if (options.start == TailStart::Time) {
        // Also filtered here: a broker may answer with an earlier offset than asked (a segment
        // start), and librdkafka 2.0.2's mock answers every by-time lookup with -1 (unsupported).
        m_minTimestampMs = options.startTimeMs;
        if (cancelled(cancel))
            return tailError(QStringLiteral("cancelled"), QStringLiteral("cancelled"));
        const rd_kafka_resp_err_t te =
            rd_kafka_offsets_for_times(rk, list.get(), std::max(1, options.timeoutMs));
        if (te != RD_KAFKA_RESP_ERR_NO_ERROR)
            return tailError(QStringLiteral("offsets for time %1: %2")
                                 .arg(options.startTimeMs)
                                 .arg(errorText(te)),
                             QStringLiteral("kafka_unreachable"));
        for (int i = 0; i < list->cnt; ++i) {
            rd_kafka_topic_partition_t &p = list->elems[i];
            if (p.err != RD_KAFKA_RESP_ERR_NO_ERROR)
                return tailError(QStringLiteral("offsets for time, partition %1: %2")
                                     .arg(p.partition)
                                     .arg(errorText(p.err)),
                                 QStringLiteral("kafka_unreachable"));
            if (p.offset < 0) // no message at or after that time in this partition: only new ones
                p.offset = RD_KAFKA_OFFSET_END;
        }
    }
    // "The end" is the end now, at open(), not whenever the fetcher gets round to asking: a message
    // produced right after open() is shown, deterministically.
    const auto deadline = Clock::now() + std::chrono::milliseconds(std::max(1, options.timeoutMs));
    for (int i = 0; i < list->cnt; ++i) {
        rd_kafka_topic_partition_t &p = list->elems[i];
        if (p.offset != RD_KAFKA_OFFSET_END)
            continue;
        if (cancelled(cancel))
            return tailError(QStringLiteral("cancelled"), QStringLiteral("cancelled"));
        int64_t low = -1, high = -1;
        const rd_kafka_resp_err_t we = rd_kafka_query_watermark_offsets(
            rk, topic.constData(), p.partition, &low, &high, std::max(1, remainingMs(deadline)));
        if (we != RD_KAFKA_RESP_ERR_NO_ERROR)
            return tailError(QStringLiteral("end offset of partition %1: %2")
                                 .arg(p.partition)
                                 .arg(errorText(we)),
                             QStringLiteral("kafka_unreachable"));
        p.offset = high;
    }
    if (const rd_kafka_resp_err_t ae = rd_kafka_assign(rk, list.get());
        ae != RD_KAFKA_RESP_ERR_NO_ERROR)
        return tailError(QStringLiteral("assign failed: ") + errorText(ae),
                         QStringLiteral("kafka_assign_failed"));
    return {};
}

TopicTail::~TopicTail()
{
    rd_kafka_t *rk = m_rk.get();
    if (!rk)
        return;
    if (const rd_kafka_resp_err_t e = rd_kafka_assign(rk, nullptr); e != RD_KAFKA_RESP_ERR_NO_ERROR)
        qWarning("Kafka tail: dropping the assignment failed: %s", rd_kafka_err2str(e));
    // No group was joined, so closing has nothing to leave; bounded all the same.
    QueueHandle q(rd_kafka_queue_new(rk));
    ErrorHandle err(rd_kafka_consumer_close_queue(rk, q.get()));
    if (!err) {
        const auto deadline = Clock::now() + std::chrono::milliseconds(500);
        while (!rd_kafka_consumer_closed(rk) && Clock::now() < deadline)
            EventHandle ev(rd_kafka_queue_poll(q.get(), 20));
    }
    q.reset();
    rd_kafka_destroy_flags(m_rk.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

Result<std::vector<TailRecord>> TopicTail::poll(int timeoutMs, size_t max,
                                                const std::atomic_bool *cancel)
{
    std::vector<TailRecord> out;
    rd_kafka_t *rk = m_rk.get();
    const auto deadline = Clock::now() + std::chrono::milliseconds(std::max(0, timeoutMs));
    while (out.size() < max && !cancelled(cancel)) {
        // Wait (in slices) only for the first message; after it take what is queued.
        const int wait = out.empty() ? std::min(kSliceMs, remainingMs(deadline)) : 0;
        MessageHandle m(rd_kafka_consumer_poll(rk, wait));
        if (!m) {
            if (!out.empty() || remainingMs(deadline) == 0)
                break;
            continue;
        }
        if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (m_minTimestampMs < 0 ||
                rd_kafka_message_timestamp(m.get(), nullptr) >= m_minTimestampMs)
                out.push_back(toRecord(m.get()));
            continue;
        }
        if (endsTheTail(m->err)) {
            QString why = QString::fromUtf8(rd_kafka_message_errstr(m.get()));
            if (m->err == RD_KAFKA_RESP_ERR__FATAL) {
                char buf[512] = {};
                rd_kafka_fatal_error(rk, buf, sizeof buf);
                why = QString::fromUtf8(buf);
            }
            return tailError(QStringLiteral("topic '%1': %2").arg(m_topic.left(100), why),
                             QStringLiteral("kafka_tail_failed"));
        }
        // A transient error (broker down, reset after retention): the client retries by itself.
    }
    return out;
}

Status TopicTail::pause()
{
    return m_paused ? Status{} : setPaused(true);
}

Status TopicTail::resume()
{
    return m_paused ? setPaused(false) : Status{};
}

Status TopicTail::setPaused(bool pause)
{
    const QString code = pause ? QStringLiteral("kafka_pause_failed") : QStringLiteral("kafka_resume_failed");
    PartitionListHandle parts;
    rd_kafka_topic_partition_list_t *raw = nullptr;
    if (const rd_kafka_resp_err_t e = rd_kafka_assignment(m_rk.get(), &raw); e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return tailError(QStringLiteral("assignment: ") + errorText(e), code);
    parts.reset(raw);
    const rd_kafka_resp_err_t returned =
        pause ? rd_kafka_pause_partitions(m_rk.get(), parts.get()) : rd_kafka_resume_partitions(m_rk.get(), parts.get());
    if (const rd_kafka_resp_err_t e = detail::withPartitionErrors(returned, parts.get()); e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return tailError((pause ? QStringLiteral("pause: ") : QStringLiteral("resume: ")) + errorText(e), code);
    m_paused = pause;
    return {};
}

Result<QStringList> TopicTail::listTopics(const KafkaSettings &settings, int timeoutMs,
                                          const std::atomic_bool *cancel)
{
    const QMap<QString, QString> defaults{
        {QStringLiteral("client.id"), QStringLiteral("marketstream-tail")},
        {QStringLiteral("log_level"), QStringLiteral("3")}};
    auto conf = buildConf(settings, defaults);
    if (!conf)
        return conf.error();
    char err[512] = {};
    // A producer handle: the cheapest client that can ask for metadata (no group, no fetcher).
    KafkaHandle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), err, sizeof err));
    if (!rk)
        return tailError(QString::fromUtf8(err), QStringLiteral("kafka_create_failed"));
    conf->release();
    auto md = allTopicsMetadata(rk.get(), timeoutMs, cancel);
    if (!md)
        return md.error();
    QStringList names;
    for (int i = 0; i < md.value()->topic_cnt; ++i) {
        const QString name = QString::fromUtf8(md.value()->topics[i].topic);
        if (md.value()->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
            !name.startsWith(QLatin1String("__")))
            names.append(name);
    }
    names.sort();
    return names;
}

} // namespace ms::kafka
