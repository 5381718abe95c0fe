#pragma once
// Conversions between librdkafka partition lists and TopicPartition vectors (consumer internals).
#include "kafka/handles.h"
#include "kafka/kafka_types.h"

#include <QString>

#include <string_view>
#include <vector>

namespace ms::kafka::detail {

inline std::vector<TopicPartition> toVector(const rd_kafka_topic_partition_list_t *parts)
{
    std::vector<TopicPartition> out;
    if (!parts)
        return out;
    out.reserve(static_cast<size_t>(parts->cnt));
    for (int i = 0; i < parts->cnt; ++i)
        out.push_back(TopicPartition{parts->elems[i].topic, parts->elems[i].partition});
    return out;
}

// rd_kafka_pause_partitions() and rd_kafka_resume_partitions() return NO_ERROR and put each
// partition's own result in its element: this is the first failure of either.
inline rd_kafka_resp_err_t withPartitionErrors(rd_kafka_resp_err_t returned,
                                               const rd_kafka_topic_partition_list_t *parts)
{
    if (returned != RD_KAFKA_RESP_ERR_NO_ERROR || !parts)
        return returned;
    for (int i = 0; i < parts->cnt; ++i)
        if (parts->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR)
            return parts->elems[i].err;
    return RD_KAFKA_RESP_ERR_NO_ERROR;
}

inline PartitionListHandle toList(const std::vector<TopicPartition> &tps)
{
    PartitionListHandle list(rd_kafka_topic_partition_list_new(static_cast<int>(tps.size())));
    for (const TopicPartition &tp : tps)
        rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition);
    return list;
}

inline QString tpName(std::string_view topic, int32_t partition)
{
    return QStringLiteral("%1 [%2]").arg(QString::fromUtf8(topic.data(), static_cast<qsizetype>(topic.size()))).arg(partition);
}

}  // namespace ms::kafka::detail
