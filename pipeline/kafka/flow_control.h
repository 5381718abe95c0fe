#pragma once
// Back-pressure for the embedded broker. librdkafka's mock cluster keeps only ~5 MiB (or 100k
// messages) per partition and silently deletes older data, so a producer that outruns the consumers
// would make unread ticks vanish. In embedded mode the app owns both ends, so the producer asks for
// room before producing and the consumer gives it back after the database commit:
//
//   producer:  flow.acquire(topic, partition, bytes, stop)   // blocks while over the limit
//   consumer:  flow.release(topic, partition, bytes)         // after the DB transaction committed
//
// Bytes are key + value sizes. The limits (default 2 MiB and 40,000 messages per partition) stay
// well below the broker's retention (5 MiB / 100,000 messages), so a partition never holds more
// unread data than it can keep. Release with the same byte and message counts you acquired
// (summed per partition is fine: one release per committed batch).
//
// Rebalances: when a consumer loses a partition (revocation, close), the bytes it had consumed but
// not committed will be read again by the partition's next owner, which releases them again. Call
// reset(topic, partition) on revocation: the in-flight count drops to zero and release() never goes
// below zero, so the re-read bytes cannot be counted twice and the producer cannot wait forever for
// releases that will never come. The price is a temporary overshoot of at most one limit (2 × 2 MiB
// < 5 MiB retention), never a deadlock. reset() with no arguments clears every partition (pipeline
// stop, broker restart). Failed deliveries are released by the producer.
//
// Thread-safe. A single message bigger than the limit is admitted when its partition is empty.
#include <QString>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace ms::kafka {

class FlowControl
{
public:
    static constexpr int64_t kDefaultMaxBytesPerPartition = 2 * 1024 * 1024;

    static constexpr int64_t kDefaultMaxMessagesPerPartition = 40000;

    explicit FlowControl(int64_t maxBytesPerPartition = kDefaultMaxBytesPerPartition,
                         int64_t maxMessagesPerPartition = kDefaultMaxMessagesPerPartition);

    // Blocks while the partition's in-flight bytes + `bytes` exceed the limit. Waits in short
    // slices (≤ 20 ms) and returns false as soon as `stop` is set; true once the bytes are counted.
    bool acquire(const std::string &topic, int32_t partition, int64_t bytes, const std::atomic_bool &stop,
                 int64_t messages = 1);
    // Non-blocking variant: true and counted if there is room now.
    bool tryAcquire(const std::string &topic, int32_t partition, int64_t bytes, int64_t messages = 1);
    // Gives bytes back (never below zero) and wakes waiting producers.
    void release(const std::string &topic, int32_t partition, int64_t bytes, int64_t messages = 1);
    // Forget a partition's in-flight bytes (its consumer lost it) / every partition's.
    void reset(const std::string &topic, int32_t partition);
    void reset();
    // Wake every waiter (e.g. after setting a stop flag) so they re-check at once.
    void wakeAll();

    int64_t maxBytesPerPartition() const { return m_max; }
    int64_t maxMessagesPerPartition() const { return m_maxMessages; }
    int64_t inFlight(const std::string &topic, int32_t partition) const;  // bytes
    int64_t inFlightMessages(const std::string &topic, int32_t partition) const;
    int64_t totalInFlight() const;
    // How many acquire() calls had to wait at least once (a "producer throttled" metric).
    int64_t throttledCount() const { return m_throttled.load(std::memory_order_relaxed); }

private:
    struct Key
    {
        std::string topic;
        int32_t partition;
        bool operator<(const Key &o) const
        {
            return topic != o.topic ? topic < o.topic : partition < o.partition;
        }
    };
    struct Usage
    {
        int64_t bytes = 0;
        int64_t messages = 0;
    };
    bool hasRoomLocked(const Key &k, int64_t bytes, int64_t messages) const;

    const int64_t m_max;
    const int64_t m_maxMessages;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::map<Key, Usage> m_inFlight;
    std::atomic<int64_t> m_throttled{0};
};

}  // namespace ms::kafka
