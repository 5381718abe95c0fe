#pragma once
// One consumer instance: poll → decode → candles → sink → commit, in order, on ONE thread. Keeping
// the chain on one thread makes the database transaction the unit of exactly-once: ticks, candles
// and the Kafka positions commit together, and on (re)assignment the consumer resumes from the
// positions the database holds (not Kafka's), with its candle state rebuilt from stored candles.
//
// Candles count each stored tick once: only the ticks the database reports as newly inserted are
// merged, inside the batch's transaction (a redelivered tick is stored once and merged once). When a
// write attempt fails after merging, the candle state is rebuilt from the database before the next.
//
// Rejected messages go to <topic>.dlq (reason in headers) and are counted: those the decoder refuses,
// ticks whose merge would make a candle sum non-finite, and rows the database refuses for their data
// (found by bisecting the batch; the rest of the batch is stored). The dead letters are acknowledged
// before the offsets that skip them commit; if they cannot be written the batch waits and retries.
// A late tick is stored as a tick but not merged into a closed candle (counted); a database outage
// pauses the consumer and retries the same batch with backoff until it commits or the pipeline
// stops — nothing is skipped. Failures that do not concern the data end run() with the error.
#include "alerts/alert_evaluator.h"
#include "kafka/consumer.h"
#include "kafka/dead_letter.h"
#include "kafka/flow_control.h"
#include "processing/candle_builder.h"
#include "processing/gap_detector.h"
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
    // The sources replay a fixed input (simulator with a start time, replay files). Informational
    // now: only newly inserted ticks are merged, so stored candles are always resumed, replay or not.
    bool deterministicInput = false;
    // Non-empty: read exactly these partitions, no group join (the in-process consumers of the
    // embedded broker split its partitions among themselves). Empty: subscribe in `group`.
    std::vector<kafka::TopicPartition> staticPartitions;
    // Price alerts evaluated on the ticks this consumer stores (see consumer_worker_alerts.cpp).
    std::vector<AlertRule> alerts;
};

class ConsumerWorker
{
public:
    // Borrows everything; flow, deadLetters and live may be null (without a DLQ writer rejected
    // messages are only counted and logged).
    ConsumerWorker(ConsumerWorkerOptions options, MetricsRegistry &metrics, kafka::FlowControl *flow,
                   kafka::DeadLetterWriter *deadLetters, LiveStage *live);
    ~ConsumerWorker();

    // Runs on the calling (worker) thread until `stop` is set or a fatal error; returns the fatal
    // error, if any. Bounded exit: polls are short, the close is bounded.
    Status run(const std::atomic_bool &stop);
    // Set once the consumer has joined the group and has partitions (or is known to have none).
    bool ready() const { return m_ready.load(); }

private:
    std::vector<std::optional<int64_t>> onAssigned(const std::vector<kafka::TopicPartition> &tps);
    void onRevoked(const std::vector<kafka::TopicPartition> &tps);
    Status rebuildCandles(const std::vector<kafka::TopicPartition> &tps);
    Status restoreGaps(const std::vector<kafka::TopicPartition> &tps);
    bool ownsSymbol(AssetClass asset, const std::string &symbol, const std::vector<kafka::TopicPartition> &tps);
    enum class CommitOutcome { Committed, Stopped, Rejected };
    struct Reject
    {
        const kafka::Message *message;
        QString reason, detail;
    };
    Status processBatch(kafka::MessageBatch &batch, const std::atomic_bool &stop);
    CommitOutcome commitWithRetry(WriteResult &result, const std::atomic_bool &stop, Error *fatal);
    Status deriveCandles(std::span<const quint8> inserted, DerivedRows &out);
    bool deliverDeadLetters(const std::atomic_bool &stop);
    Status findRefusedTicks(size_t begin, size_t end, std::vector<std::pair<size_t, Error>> &out);
    void dropTicks(const std::vector<std::pair<size_t, QString>> &refused, const QString &reason);
    void pauseConsumer(bool pause);
    // Price alerts (consumer_worker_alerts.cpp): state back from the database; `newInBatch` (may be
    // null) = the ticks this transaction inserted, left out of the windows it reads.
    Status restoreAlerts(const std::vector<quint8> *newInBatch);
    Status evaluateAlerts(std::span<const quint8> inserted, DerivedRows &out);
    void reportAlerts(qint64 written);
    void reportConsumerError(const kafka::ConsumerError &e);
    void reportLag();  // lag per assigned partition, to the metrics
    int32_t partitionCount(const std::string &topic);

    ConsumerWorkerOptions m_opt;
    MetricsRegistry &m_metrics;
    kafka::FlowControl *m_flow;
    kafka::DeadLetterWriter *m_deadLetters;
    LiveStage *m_live;
    std::unique_ptr<TickStore> m_store;
    std::unique_ptr<kafka::Consumer> m_consumer;
    std::unique_ptr<CandleBuilder> m_builder;
    std::string m_clusterId;
    std::map<std::string, int32_t> m_partitionCounts;
    std::atomic_bool m_ready{false};
    std::vector<kafka::TopicPartition> m_assigned;
    // Per partition: the Kafka timestamp of the newest message a committed batch held (lag in seconds).
    std::map<std::pair<std::string, int32_t>, qint64> m_newestStoredMs;
    // Per partition: the next offset the database holds (resumed on assignment, then per commit).
    std::map<std::pair<std::string, int32_t>, int64_t> m_storedNext;
    bool m_builderStale = false;  // merged ticks of a write that did not commit: rebuild first
    std::unique_ptr<AlertEvaluator> m_alerts;  // null without rules
    bool m_alertsStale = true;    // not restored yet, or fed ticks of a write that did not commit
    std::vector<AlertTrigger> m_alertsThisBatch;
    qint64 m_rejectLogCount = 0;
    qint64 m_lateLogCount = 0;
    // Feed gaps: the detector's state as of the last committed batch, and the copy a write attempt
    // works on (kept only when it commits, so a failed attempt leaves no trace).
    GapDetector m_gapsCommitted;
    GapDetector m_gapsWorking;
    bool m_gapsStale = true;  // not restored from the database for the current assignment yet
    std::vector<FeedGap> m_batchGaps;  // found by the last write attempt, logged once it commits
    qint64 m_gapLogCount = 0;
    void logFeedGaps();

    // Per-batch scratch (reused to avoid allocations).
    std::vector<Tick> m_ticks;
    std::vector<size_t> m_tickMessage;  // per tick: its index in the batch's messages
    std::vector<qint64> m_tickTimestamps;
    std::vector<Reject> m_rejects;
    size_t m_rejectsDelivered = 0;  // m_rejects[0, this) are acknowledged by the DLQ
    std::vector<size_t> m_candleRefused;  // ticks (indices) whose merge would overflow a candle sum
    qint64 m_lateThisBatch = 0;
    const kafka::MessageBatch *m_batch = nullptr;
    std::vector<Candle> m_candles;
    std::vector<IndicatorSnapshot> m_indicators;
    std::vector<OffsetRecord> m_offsets;
};

}  // namespace ms
