#pragma once
// Small value types shared by the Kafka classes.
#include <QList>
#include <QString>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ms::kafka {

// A topic to create (embedded broker, topic admin).
struct TopicSpec
{
    QString name;
    int partitions = 1;
};

// Message headers in order; names may repeat (Kafka allows it).
using Headers = std::vector<std::pair<std::string, std::string>>;

struct TopicPartition
{
    std::string topic;
    int32_t partition = 0;
    bool operator==(const TopicPartition &) const = default;
    bool operator<(const TopicPartition &o) const
    {
        return topic != o.topic ? topic < o.topic : partition < o.partition;
    }
};

// For commits: `offset` is the NEXT offset to read (last processed offset + 1), Kafka's convention.
struct TopicPartitionOffset
{
    std::string topic;
    int32_t partition = 0;
    int64_t offset = 0;
};

// The conventional dead-letter topic of a topic.
inline QString deadLetterTopic(const QString &topic)
{
    return topic + QStringLiteral(".dlq");
}

}  // namespace ms::kafka
