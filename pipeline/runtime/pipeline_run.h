#pragma once
// One run of the pipeline: everything that exists only while it runs, owned here and nowhere else.
//
// Lifetime, on the pipeline's control thread (see pipeline_impl.h):
//   construct → start() → [running] → stop(drain) → report Stopped/Error → freeComponents() →
//   destroy.
// stop() joins every thread this run started against one deadline. A thread that misses it (stuck
// in a call without a deadline of its own) makes the run lingering(): its components stay alive,
// and the run is destroyed only once threadsFinished() (never while a thread of it runs).
//
// Threads and who writes what:
// - config, flow, spool directory: set in the constructor, before any thread sees the run, never
//   written after. flow in particular is a const pointer: requestCancel() (stop(), any thread)
//   wakes it while the control thread may be starting the run; FlowControl locks itself;
// - broker, kafka, producer, dead letters, recorder, publisher, consumers, sources: written by the
//   control thread in start() and freeComponents() only; the worker threads read them between
//   (they are started after what they use exists, and joined before it is freed);
// - the stop flags: atomics, set by stop() and requestCancel() (any thread), read by the workers;
// - failure: under m_failureMutex (written by whichever worker fails first);
// - sourcesRunning: atomic, counted down by the source threads;
// - lingering: atomic, written by stop() on the control thread, read by the next control thread
//   and the pipeline's destructor.
#include "kafka/dead_letter.h"
#include "kafka/embedded_broker.h"
#include "kafka/flow_control.h"
#include "kafka/producer.h"
#include "runtime/config.h"
#include "runtime/consumer_worker.h"
#include "runtime/live_stage.h"
#include "runtime/metrics_registry.h"
#include "runtime/owned_threads.h"
#include "runtime/retention_worker.h"
#include "runtime/spool.h"
#include "runtime/tick_publisher.h"
#include "sources/tick_recorder.h"

#include <QMutex>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace ms {

class PipelineRun;
class Source;

// What a run borrows from its pipeline (all outlive the run) and how it reports back.
struct RunContext
{
    MetricsRegistry &metrics;
    LiveStage &live;
    // A worker's fatal error (on that worker's thread).
    std::function<void(PipelineRun &run, const Error &error)> onWorkerFailure;
    // The last producer source finished (on that source's thread).
    std::function<void()> onSourcesFinished;
    // The bootstrap servers in use, once known (on the control thread, during start()).
    std::function<void(const QString &bootstrap)> onBootstrap;
};

class PipelineRun
{
public:
    PipelineRun(const PipelineConfig &config, RunContext context);
    ~PipelineRun(); // frees what freeComponents() has not; never called while threadsFinished() is
                    // false
    PipelineRun(const PipelineRun &) = delete;
    PipelineRun &operator=(const PipelineRun &) = delete;

    // Control thread. The start sequence: database, Kafka, consumers, sources. Every wait in it is
    // bounded and ends early once requestCancel() was called.
    Status start();
    // Any thread: cut a start in progress short and ask every worker to stop.
    void requestCancel();
    bool cancelled() const { return m_cancelStart.load(); }
    // Control thread. The stop sequence, bounded (~1.3 s whatever hangs): sources stop, (drain) the
    // produced ticks reach the database, consumers stop, the embedded broker's unstored ticks are
    // spooled. A thread missing its deadline leaves the run lingering().
    void stop(bool drain);
    // Control thread, after the end state was reported: frees the components (librdkafka's destroys
    // take ~1 s under load). Does nothing while the run is lingering.
    void freeComponents();

    // Records the first fatal worker error; later ones are dropped. Any thread.
    void recordFailure(const Error &error);
    std::optional<Error> failure() const;
    bool lingering() const { return m_lingering.load(); }
    bool threadsFinished() const;
    // Copies the producer's delivery counts into the metrics (the caller knows the run is running).
    void copyProducerCounts();

private:
    Status checkDatabase();
    Status startKafka();
    Status startConsumers();
    void startRetention(const DatabaseUrl &url);
    Status startSources();
    Source *startSource(std::unique_ptr<Source> source);
    void startSpoolReplays();
    void spoolUnstored(int timeoutMs);
    bool consumersReady() const;

    const PipelineConfig m_config;
    const RunContext m_ctx;
    QString m_spoolDirectory; // empty when the database URL does not parse (the start fails on it
                              // anyway)

    mutable QMutex m_failureMutex;
    std::optional<Error> m_failure; // guarded by m_failureMutex

    std::atomic_bool m_cancelStart{false};
    std::atomic_bool m_stopSources{false};
    std::atomic_bool m_stopConsumers{false};
    std::atomic<int> m_sourcesRunning{0};
    std::atomic_bool m_lingering{false};

    // The components, in construction order; freeComponents() and the destructor free them in
    // reverse.
    const std::unique_ptr<kafka::FlowControl> m_flow; // embedded broker with consumers only
    std::unique_ptr<kafka::EmbeddedBroker> m_broker;
    kafka::KafkaSettings m_kafka;
    std::unique_ptr<kafka::Producer> m_producer;
    std::unique_ptr<kafka::DeadLetterWriter> m_deadLetters;
    std::unique_ptr<TickRecorder> m_recorder; // --record FILE
    std::unique_ptr<TickPublisher> m_publisher;
    std::vector<std::unique_ptr<ConsumerWorker>>
        m_consumers; // used by m_consumerThreads: outlives them
    std::unique_ptr<RetentionWorker> m_retention; // also runs on m_consumerThreads
    OwnedThreads m_consumerThreads;
    // Spool files this run replays, each with "its replay read it to the end" (set on its thread).
    struct SpoolReplay
    {
        SpoolFile file;
        std::shared_ptr<std::atomic_bool> readToEnd;
    };
    std::vector<SpoolReplay> m_replayingSpool;
    std::vector<SourceThread *> m_sources; // owned by m_sourceThreads
    OwnedThreads m_sourceThreads;
};

} // namespace ms
