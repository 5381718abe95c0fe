#include "kafka/topic_admin.h"

#include <vector>

namespace ms::kafka {

Result<TopicCreateResult> ensureTopics(const KafkaSettings &settings, const QList<TopicSpec> &topics,
                                       int replicationFactor, bool withDeadLetter, int timeoutMs)
{
    QList<TopicSpec> all;
    for (const TopicSpec &t : topics) {
        all.push_back(t);
        if (withDeadLetter)
            all.push_back(TopicSpec{deadLetterTopic(t.name), t.partitions});
    }
    if (all.isEmpty())
        return TopicCreateResult{};

    auto conf = buildConf(settings, {{QStringLiteral("log_level"), QStringLiteral("3")}});
    if (!conf)
        return conf.error();
    char err[512] = {};
    KafkaHandle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), err, sizeof err));
    if (!rk)
        return makeError(QStringLiteral("Kafka admin: ") + QString::fromUtf8(err), QStringLiteral("kafka_create_failed"));
    conf->release();

    std::vector<NewTopicHandle> owned;
    std::vector<rd_kafka_NewTopic_t *> raw;
    for (const TopicSpec &t : all) {
        const QByteArray name = t.name.toUtf8();
        rd_kafka_NewTopic_t *nt =
            rd_kafka_NewTopic_new(name.constData(), t.partitions, replicationFactor, err, sizeof err);
        if (!nt)
            return makeError(QStringLiteral("Kafka admin: invalid topic '%1': %2").arg(t.name, QString::fromUtf8(err)),
                             QStringLiteral("kafka_bad_argument"));
        owned.emplace_back(nt);
        raw.push_back(nt);
    }
    AdminOptionsHandle options(rd_kafka_AdminOptions_new(rk.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS));
    rd_kafka_AdminOptions_set_request_timeout(options.get(), timeoutMs, err, sizeof err);
    rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeoutMs, err, sizeof err);
    QueueHandle queue(rd_kafka_queue_new(rk.get()));
    rd_kafka_CreateTopics(rk.get(), raw.data(), raw.size(), options.get(), queue.get());

    // The request timeout bounds the wait; a margin covers the connection set-up.
    EventHandle ev(rd_kafka_queue_poll(queue.get(), timeoutMs + 2000));
    if (!ev)
        return makeError(QStringLiteral("Kafka admin: no answer to CreateTopics within %1 ms (is %2 reachable?)")
                             .arg(timeoutMs)
                             .arg(settings.bootstrap),
                         QStringLiteral("kafka_unreachable"));
    if (rd_kafka_event_error(ev.get()) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return makeError(QStringLiteral("Kafka admin: CreateTopics failed: ") + QString::fromUtf8(rd_kafka_event_error_string(ev.get())),
                         QStringLiteral("kafka_topic_create_failed"));
    const rd_kafka_CreateTopics_result_t *res = rd_kafka_event_CreateTopics_result(ev.get());
    if (!res)
        return makeError(QStringLiteral("Kafka admin: unexpected event ") + QString::fromUtf8(rd_kafka_event_name(ev.get())));
    size_t count = 0;
    const rd_kafka_topic_result_t **results = rd_kafka_CreateTopics_result_topics(res, &count);
    TopicCreateResult out;
    for (size_t i = 0; i < count; ++i) {
        const QString name = QString::fromUtf8(rd_kafka_topic_result_name(results[i]));
        const rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
        if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
            out.created.push_back(name);
        else if (e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
            out.alreadyExisted.push_back(name);
        else
            return makeError(QStringLiteral("Kafka admin: cannot create topic '%1': %2")
                                 .arg(name, QString::fromUtf8(rd_kafka_topic_result_error_string(results[i]))),
                             QStringLiteral("kafka_topic_create_failed"));
    }
    return out;
}

}  // namespace ms::kafka
