#pragma once
// One consumer instance: poll → decode → candles → sink → commit, in order, on ONE thread. Keeping
// the chain on one thread makes the database transaction the unit of exactly-once: ticks, candles
// and the Kafka positions commit together, and on (re)assignment the consumer resumes from the
// positions the database holds (not Kafka's), with its candle state rebuilt from stored candles.
//
// Rejected messages go to <topic>.dlq (reason in headers) and are counted; a late tick is stored as
// a tick but not merged into a closed candle (counted); a database outage pauses the consumer and
// retries the same batch with backoff until it commits or the pipeline stops — nothing is skipped.
#include "kafka/consumer.h"
#include "kafka/dead_letter.h"
#include "kafka/flow_control.h"
#include "processing/candle_builder.h"
#include "runtime/live_stage.h"
#include "runtime/metrics_registry.h"
#include "storage/database_url.h"
#include "storage/tick_store.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>

namespace ms {

struct ConsumerWorkerOptions
{
    int index = 0;
    kafka::KafkaSettings kafka;
    QString group;
    std::string cryptoTopic, stockTopic;
    DatabaseUrl database;
    CandleConfig candles;
    int maxBatch = 20000;
    int pollTimeoutMs = 20;
    // The sources replay a fixed input (simulator with a start time, replay files): after a fresh
    // embedded broker, stored open candles are rebuilt by the replay rather than resumed.
    bool deterministicInput = false;
    // Non-empty: read exactly these partitions, no group join (the in-process consumers of the
    // embedded broker split its partitions among themselves). Empty: subscribe in `group`.
    std::vector<kafka::TopicPartition> staticPartitions;
};

class ConsumerWorker
{
public:
    // Borrows everything; flow, deadLetters (with the producer behind it) and live may be null.
    ConsumerWorker(ConsumerWorkerOptions options, MetricsRegistry &metrics, kafka::FlowControl *flow,
                   kafka::Producer *dlqProducer, kafka::DeadLetterWriter *deadLetters, LiveStage *live);
    ~ConsumerWorker();

    // Runs on the calling (worker) thread until `stop` is set or a fatal error; returns the fatal
    // error, if any. Bounded exit: polls are short, the close is bounded.
    Status run(const std::atomic_bool &stop);
    // Set once the consumer has joined the group and has partitions (or is known to have none).
    bool ready() const { return m_ready.load(); }

private:
    std::vector<std::optional<int64_t>> onAssigned(const std::vector<kafka::TopicPartition> &tps);
    void onRevoked(const std::vector<kafka::TopicPartition> &tps);
    void rebuildCandles(const std::vector<kafka::TopicPartition> &tps, bool replaying);
    enum class CommitOutcome { Committed, Stopped, Rejected };
    Status processBatch(kafka::MessageBatch &batch, const std::atomic_bool &stop);
    CommitOutcome commitWithRetry(const WriteBatch &wb, WriteResult &result, const std::atomic_bool &stop);
    void reportConsumerError(const kafka::ConsumerError &e);
    int32_t partitionCount(const std::string &topic);

    ConsumerWorkerOptions m_opt;
    MetricsRegistry &m_metrics;
    kafka::FlowControl *m_flow;
    kafka::Producer *m_dlqProducer;
    kafka::DeadLetterWriter *m_deadLetters;
    LiveStage *m_live;
    std::unique_ptr<TickStore> m_store;
    std::unique_ptr<kafka::Consumer> m_consumer;
    std::unique_ptr<CandleBuilder> m_builder;
    std::string m_clusterId;
    std::map<std::string, int32_t> m_partitionCounts;
    std::atomic_bool m_ready{false};
    Error m_rejection;  // why the database refused the batch that stopped this consumer
    qint64 m_rejectLogCount = 0;
    qint64 m_lateLogCount = 0;

    // Per-batch scratch (reused to avoid allocations).
    std::vector<Tick> m_ticks;
    std::vector<qint64> m_tickTimestamps;
    std::vector<Candle> m_candles;
    std::vector<IndicatorSnapshot> m_indicators;
    std::vector<OffsetRecord> m_offsets;
    std::vector<LateTickRecord> m_lateTicks;
};

}  // namespace ms
