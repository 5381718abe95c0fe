#pragma once
// Partition choice done by the application, before producing, so flow control knows the partition.
// Uses librdkafka's own murmur2 partitioner, which is the Java client's default (murmur2 of the key,
// masked positive, modulo the partition count): Java/Kafka Streams/kcat with `-X partitioner=murmur2`
// agree on where a symbol lives. The key is the symbol, so one symbol always maps to one partition.
#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string_view>

namespace ms::kafka {

inline int32_t partitionForKey(std::string_view key, int32_t partitionCount)
{
    if (partitionCount <= 1)
        return 0;
    // The topic handle and opaques are unused by this partitioner; it is documented as callable
    // only from partitioner context, but it is a pure function of (key, count).
    return rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(), partitionCount, nullptr,
                                            nullptr);
}

}  // namespace ms::kafka
