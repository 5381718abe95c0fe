#pragma once
// Kafka producer for ticks: idempotent, acks=all, lz4, keyed by symbol with the partition chosen
// here (murmur2, see partitioner.h) so FlowControl knows it before the message is produced.
//
//   auto p = Producer::create(settings, &flow);          // flow may be nullptr (external cluster)
//   p.value()->produce("crypto_topic", "BTC", json, stop);
//
// Thread-safe: any number of threads may call produce(). A background thread polls librdkafka
// (60 ms timeout) to serve delivery reports and keeps the counters. The message timestamp is set
// to "now" (CreateTime) so consumers can measure produce → database latency.
//
// Ownership: owns its rd_kafka_t and the poll thread; borrows FlowControl (must outlive it).
// The destructor flushes for at most shutdownFlushTimeoutMs, purges what is left (counted as
// failed, flow-control bytes released) and stops the poll thread.
#include "kafka/flow_control.h"
#include "kafka/handles.h"
#include "kafka/kafka_config.h"
#include "kafka/kafka_types.h"
#include "model/result.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ms::kafka {

struct ProduceOptions
{
    const Headers *headers = nullptr;
    int32_t partition = -1;       // -1: murmur2 of the key over the topic's partition count
    int64_t timestampMs = 0;      // 0: now
    bool throttle = true;         // false: bypass flow control (dead letters nobody consumes)
    // false: when flow control has no room now, fail at once with code "backpressure" instead of
    // waiting (sources must never block their own event loop).
    bool waitForRoom = true;
};

class Producer
{
public:
    // Defaults (a user property in settings.props overrides them): enable.idempotence=true,
    // acks=all, compression.type=lz4, linger.ms=5, batch.num.messages=10000,
    // queue.buffering.max.messages=500000, queue.buffering.max.kbytes=1048576,
    // message.timeout.ms=300000, partitioner=murmur2.
    static Result<std::unique_ptr<Producer>> create(const KafkaSettings &settings, FlowControl *flow = nullptr);
    ~Producer();
    Producer(const Producer &) = delete;
    Producer &operator=(const Producer &) = delete;

    // Copies key and value. Blocks (flow control, full local queue) until queued or `stop` is set.
    // Errors: stopped, unknown topic (no metadata), produce() rejected (e.g. authorization), fatal
    // idempotence error. Success means queued; delivery is counted asynchronously.
    Status produce(const std::string &topic, std::string_view key, std::string_view value,
                   const std::atomic_bool &stop, const Headers *headers = nullptr);
    Status produce(const std::string &topic, std::string_view key, std::string_view value,
                   const std::atomic_bool &stop, const ProduceOptions &options);

    // Fetches and caches the partition counts of these topics (a metadata round trip each). Call at
    // start so produce() never waits on metadata; produce() does it lazily otherwise.
    // Every topic's metadata within ONE overall timeout; `cancel` (optional) cuts the wait short.
    // Error codes: kafka_unreachable (no broker answered in time), kafka_unknown_topic, cancelled.
    Status prepareTopics(const QStringList &topics, int timeoutMs = 5000, const std::atomic_bool *cancel = nullptr);
    Result<int32_t> partitionCount(const std::string &topic, int timeoutMs = 5000,
                                   const std::atomic_bool *cancel = nullptr);

    // Waits up to timeoutMs for outstanding messages; returns how many are still outstanding.
    int flush(int timeoutMs);
    int outstanding() const;

    int64_t produced() const { return m_produced.load(std::memory_order_relaxed); }   // queued OK
    int64_t delivered() const { return m_delivered.load(std::memory_order_relaxed); }
    int64_t failed() const { return m_failed.load(std::memory_order_relaxed); }
    int64_t deliveredFor(const std::string &topic) const;
    // Per (topic, partition): the newest message timestamp (ms) the broker acknowledged (lag in seconds).
    std::map<std::pair<std::string, int32_t>, int64_t> newestDeliveredMs() const;
    // Client-level errors (all brokers down, transport, authentication) seen by the poll thread.
    int64_t clientErrors() const { return m_clientErrors.load(std::memory_order_relaxed); }
    QString lastDeliveryError() const;  // last delivery or client error text
    void setShutdownFlushTimeoutMs(int ms) { m_shutdownFlushMs = ms; }

    rd_kafka_t *handle() const { return m_rk.get(); }

private:
    explicit Producer(FlowControl *flow) : m_flow(flow) {}
    static void onDelivery(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque);
    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);
    void handleDelivery(const rd_kafka_message_t *msg);
    void pollLoop();

    FlowControl *m_flow = nullptr;
    KafkaHandle m_rk;
    std::thread m_poller;
    std::atomic_bool m_stopPoll{false};
    int m_shutdownFlushMs = 5000;

    std::atomic<int64_t> m_produced{0};
    std::atomic<int64_t> m_delivered{0};
    std::atomic<int64_t> m_failed{0};
    std::atomic<int64_t> m_clientErrors{0};

    mutable std::mutex m_mutex;  // guards the maps and the error text below
    std::map<std::string, int64_t, std::less<>> m_deliveredByTopic;
    std::map<std::string, std::vector<int64_t>, std::less<>> m_newestDeliveredMs;  // per topic, by partition
    std::map<std::string, int32_t, std::less<>> m_partitionCounts;
    QString m_lastError;
};

}  // namespace ms::kafka
