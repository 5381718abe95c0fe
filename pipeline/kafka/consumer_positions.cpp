// Consumer: positions — offset continuity (loss detection), assignment, lag, pause/resume.
#include "kafka/consumer.h"
#include "kafka/partition_list.h"

#include <algorithm>

namespace ms::kafka {

using namespace detail;

void Consumer::checkContinuity(const Message &m, MessageBatch &out)
{
    // Offsets of a non-compacted, non-transactional topic are contiguous, so the next message of a
    // partition must carry exactly the expected offset. A jump forward means the data in between
    // was deleted before it was read (librdkafka then reset to the earliest offset); a jump back
    // means the stored position was beyond the log's end (a fresh or recreated cluster/topic).
    const int32_t partition = m.partition();
    const int64_t offset = m.offset();
    const rd_kafka_topic_t *rkt = m.raw()->rkt;
    std::map<TopicPartition, int64_t>::iterator it;
    if (m_lastRkt == rkt && m_lastPartition == partition && m_lastExpected != m_expected.end()) {
        it = m_lastExpected;  // common case: runs of messages from one partition
    } else {
        const TopicPartition tp{std::string(m.topic()), partition};
        it = m_expected.find(tp);
        if (it == m_expected.end())
            it = m_expected.emplace(tp, offset).first;  // position unknown until now
        m_lastRkt = rkt;
        m_lastPartition = partition;
        m_lastExpected = it;
    }
    const std::string_view topic = m.topic();
    const int64_t expected = it->second;
    it->second = offset + 1;
    if (offset == expected)
        return;
    ConsumerError e;
    e.code = QStringLiteral("offset_out_of_range");
    e.topic = std::string(topic);
    e.partition = partition;
    e.offset = expected;
    if (offset > expected) {
        e.lostMessages = offset - expected;
        e.message = QStringLiteral("%1: offsets %2..%3 were deleted by retention before they were read; %4 "
                                   "messages lost, continuing from the earliest available offset %5")
                        .arg(tpName(topic, partition))
                        .arg(expected)
                        .arg(offset - 1)
                        .arg(e.lostMessages)
                        .arg(offset);
    } else {
        e.message = QStringLiteral("%1: stored position %2 is beyond the log (a different or recreated "
                                   "cluster/topic?); continuing from offset %3")
                        .arg(tpName(topic, partition))
                        .arg(expected)
                        .arg(offset);
    }
    out.errors.push_back(std::move(e));
}

std::vector<TopicPartition> Consumer::assignment() const
{
    std::lock_guard lock(m_mutex);
    return {m_assigned.begin(), m_assigned.end()};
}

std::vector<PartitionLag> Consumer::lag() const
{
    std::vector<PartitionLag> out;
    const std::vector<TopicPartition> tps = assignment();
    if (tps.empty() || m_closed)
        return out;
    PartitionListHandle list = toList(tps);
    rd_kafka_position(m_rk.get(), list.get());
    for (int i = 0; i < list->cnt; ++i) {
        const auto &el = list->elems[i];
        PartitionLag l;
        l.topic = el.topic;
        l.partition = el.partition;
        l.position = el.offset >= 0 ? el.offset : -1;
        int64_t lo = -1, hi = -1;
        if (rd_kafka_get_watermark_offsets(m_rk.get(), el.topic, el.partition, &lo, &hi) == RD_KAFKA_RESP_ERR_NO_ERROR
            && hi >= 0) {
            l.highWatermark = hi;
            if (l.position >= 0)
                l.lag = std::max<int64_t>(0, hi - l.position);
            else if (lo >= 0)
                l.lag = hi - lo;  // nothing read yet: everything still in the log is unread
        }
        out.push_back(std::move(l));
    }
    return out;
}

Status Consumer::pause()
{
    m_paused = true;
    rd_kafka_topic_partition_list_t *current = nullptr;
    if (rd_kafka_assignment(m_rk.get(), &current) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return makeError(QStringLiteral("Kafka consumer: cannot read the assignment to pause it"));
    PartitionListHandle all(current);
    if (const auto e = detail::withPartitionErrors(rd_kafka_pause_partitions(m_rk.get(), all.get()), all.get()); e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return makeError(QStringLiteral("Kafka consumer: pause failed: ") + errorText(e));
    return {};
}

Status Consumer::resume()
{
    m_paused = false;
    rd_kafka_topic_partition_list_t *current = nullptr;
    if (rd_kafka_assignment(m_rk.get(), &current) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return makeError(QStringLiteral("Kafka consumer: cannot read the assignment to resume it"));
    PartitionListHandle all(current);
    if (const auto e = detail::withPartitionErrors(rd_kafka_resume_partitions(m_rk.get(), all.get()), all.get()); e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return makeError(QStringLiteral("Kafka consumer: resume failed: ") + errorText(e));
    return {};
}

}  // namespace ms::kafka
