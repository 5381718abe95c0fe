#pragma once
// Topic creation on an external cluster (the embedded broker creates its own topics; the mock
// does not support the Admin API). Creates each topic and its `<topic>.dlq` if missing;
// TOPIC_ALREADY_EXISTS is success. Bounded: one request, waits at most timeoutMs.
#include "kafka/kafka_config.h"
#include "kafka/kafka_types.h"
#include "model/result.h"

#include <QList>
#include <QStringList>

namespace ms::kafka {

struct TopicCreateResult
{
    QStringList created;         // newly created
    QStringList alreadyExisted;  // left as they were (partition count not changed)
};

Result<TopicCreateResult> ensureTopics(const KafkaSettings &settings, const QList<TopicSpec> &topics,
                                       int replicationFactor = -1 /* broker default */, bool withDeadLetter = true,
                                       int timeoutMs = 10000);

}  // namespace ms::kafka
