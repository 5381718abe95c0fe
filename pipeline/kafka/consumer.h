#pragma once
// Kafka consumer for one consumer thread: group subscription (or a static assignment), manual
// commits (never auto), the application's own start offsets on assignment (exactly-once: the
// database holds the positions).
//
//   AssignmentHandler h;
//   h.onAssigned = [&](const std::vector<TopicPartition>& tps) { return offsetsFromDb(tps); };
//   h.onRevoked  = [&](const std::vector<TopicPartition>& tps) { flushState(); flow.reset(...); };
//   auto c = Consumer::create(settings, "marketstream", {"crypto_topic"}, h);
//   while (!stop) { auto batch = c.value()->poll(5000, 100); ... db commit ...; c.value()->commitAsync(next); }
//   c.value()->close(2000);
//
// Not thread-safe: one thread owns it (the handler runs on that thread, inside poll()). lag() and
// the counters may be read from any thread.
//
// Offset out of range (the position fell off the log: retention deleted unread data, or the
// stored offset is beyond a fresh log's end): librdkafka resets to the earliest offset and poll()
// detects the jump (offsets of our topics are contiguous) and returns a ConsumerError {code
// "offset_out_of_range", topic, partition, offset = the expected one, lostMessages} next to the
// data. Never silent. (auto.offset.reset=error was tried: in librdkafka 2.0.2 the partition could
// not be restarted afterwards without blocking.) Compacted or transactional topics would show
// false gaps; ours are neither.
#include "kafka/handles.h"
#include "kafka/kafka_config.h"
#include "kafka/kafka_types.h"
#include "kafka/message.h"
#include "model/result.h"

#include <QStringList>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

namespace ms::kafka {

struct AssignmentHandler
{
    // Called on assignment (inside poll()); returns the start offset for each partition, same
    // order: the next offset to read, or std::nullopt → where auto.offset.reset says (earliest by
    // default; Kafka's committed offsets are NOT used: the database is the source of truth).
    // May be empty: every partition then starts from the group's committed offset, else earliest.
    std::function<std::vector<std::optional<int64_t>>(const std::vector<TopicPartition> &)> onAssigned;
    // Called on revocation / loss / close, before the partitions go (flush state, reset flow control).
    std::function<void(const std::vector<TopicPartition> &)> onRevoked;
};

struct PartitionLag
{
    std::string topic;
    int32_t partition = 0;
    int64_t position = -1;   // next offset this consumer will read; -1 unknown
    int64_t highWatermark = -1;
    int64_t lag = -1;        // high - position; -1 unknown
};

class Consumer
{
public:
    // Defaults (user props override): enable.auto.commit=false, enable.auto.offset.store=false,
    // auto.offset.reset=earliest (see above), fetch.wait.max.ms=10, session.timeout.ms=10000,
    // heartbeat.interval.ms=2000, enable.partition.eof=false.
    static Result<std::unique_ptr<Consumer>> create(const KafkaSettings &settings, const QString &groupId,
                                                    const QStringList &topics, AssignmentHandler handler);
    // Without a group subscription: the caller assigns partitions with assignStatic(). Offsets are
    // still committed under groupId (lag tools see progress). For consumers that own all readers of
    // a broker (the embedded one): no join round, whose first instance takes ~3 s on the mock.
    static Result<std::unique_ptr<Consumer>> createUnsubscribed(const KafkaSettings &settings, const QString &groupId,
                                                                AssignmentHandler handler);
    // Takes these partitions as if the group had assigned them (onAssigned decides the starts).
    Status assignStatic(const std::vector<TopicPartition> &tps);
    // close(2000) if not closed; that runs onRevoked, so close() explicitly (or destroy the
    // Consumer) before whatever the handler uses goes away.
    ~Consumer();
    Consumer(const Consumer &) = delete;
    Consumer &operator=(const Consumer &) = delete;

    // Up to maxMessages: waits at most timeoutMs for the first, then takes what is already there.
    MessageBatch poll(int maxMessages, int timeoutMs);

    // Commits NEXT offsets asynchronously (never blocks); failures are counted by the callback.
    Status commitAsync(const std::vector<TopicPartitionOffset> &offsets);
    int64_t commitFailures() const { return m_commitFailures.load(std::memory_order_relaxed); }
    int64_t commitsSucceeded() const { return m_commitsOk.load(std::memory_order_relaxed); }
    QString lastCommitError() const;

    // The cluster this consumer talks to (tie stored offsets to it); empty on timeout.
    QString clusterId(int timeoutMs = 3000);

    // Current assignment and lag from cached watermarks (no broker round trip; fresh after fetches).
    std::vector<TopicPartition> assignment() const;
    std::vector<PartitionLag> lag() const;

    // Stop / restart fetching for the whole assignment (database down). New assignments made while
    // paused are paused too.
    Status pause();
    Status resume();
    bool paused() const { return m_paused; }

    // Leaves the group (revocation → handler) within timeoutMs, then releases the handle.
    // Returns false when the close did not finish in time (the handle is destroyed anyway).
    bool close(int timeoutMs = 2000);

    rd_kafka_t *handle() const { return m_rk.get(); }

private:
    Consumer() = default;
    static void onRebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                            void *opaque);
    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);
    static void onCommit(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets,
                         void *opaque);
    void handleRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts);
    void handleCommit(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets);
    void handleErrorMessage(const rd_kafka_message_t *msg, MessageBatch &out);
    void checkContinuity(const Message &m, MessageBatch &out);

    KafkaHandle m_rk;
    AssignmentHandler m_handler;
    std::atomic_bool m_closed{false};
    // Rebalance and error callbacks run inside poll(), on the consumer's thread: no lock needed.
    void queueClientError(const QString &code, const QString &message, bool fatal);
    std::vector<ConsumerError> m_clientErrors;  // from the error callback, handed out by poll()
    bool m_paused = false;
    bool m_static = false;       // assignStatic() instead of a subscription
    bool m_cooperative = false;  // rebalance protocol, learnt in the rebalance callback
    std::atomic<int64_t> m_commitFailures{0};
    std::atomic<int64_t> m_commitsOk{0};
    mutable std::mutex m_mutex;                 // guards m_assigned, m_lastCommitError
    std::set<TopicPartition> m_assigned;
    std::map<TopicPartition, int64_t> m_expected;  // next offset per partition (poll thread only)
    std::map<TopicPartition, int64_t>::iterator m_lastExpected = m_expected.end();  // lookup cache
    const rd_kafka_topic_t *m_lastRkt = nullptr;
    int32_t m_lastPartition = -1;
    int64_t m_unknownStart = RD_KAFKA_OFFSET_BEGINNING;  // start offset for std::nullopt
    QString m_lastCommitError;
};

}  // namespace ms::kafka
