#pragma once
// Private to pipeline.cpp: the components of one run and the start/stop sequences. Start and stop
// run on a control thread so the caller (the GUI thread) never waits on Kafka or the database.
//
// Threads and who writes what:
// - state, message, bootstrap, run (the pointer) and PipelineRun::failure: under stateMutex;
// - PipelineRun's components: written by the control thread during doStart/doStop only; read by the
//   workers it started (which it joins before tearing the components down);
// - PipelineRun::flow is created with the run, before any thread sees it, and never reassigned.
#include "kafka/dead_letter.h"
#include "kafka/embedded_broker.h"
#include "kafka/flow_control.h"
#include "kafka/producer.h"
#include "runtime/consumer_worker.h"
#include "runtime/live_stage.h"
#include "runtime/metrics_clock.h"
#include "runtime/metrics_registry.h"
#include "runtime/owned_threads.h"
#include "runtime/pipeline.h"
#include "runtime/spool.h"
#include "runtime/tick_publisher.h"
#include "sources/tick_recorder.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QPointer>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace ms {

class Source;

// Everything that exists only while the pipeline runs, in construction order; torn down in reverse.
struct PipelineRun
{
    explicit PipelineRun(const PipelineConfig &c);

    const PipelineConfig config;
    const std::unique_ptr<kafka::FlowControl> flow;  // embedded broker with consumers only
    std::unique_ptr<kafka::EmbeddedBroker> broker;
    kafka::KafkaSettings kafka;
    std::unique_ptr<kafka::Producer> producer;
    std::unique_ptr<kafka::DeadLetterWriter> deadLetters;
    std::unique_ptr<TickRecorder> recorder;  // --record FILE
    std::unique_ptr<TickPublisher> publisher;
    std::atomic_bool cancelStart{false};
    std::atomic_bool stopSources{false};
    std::atomic_bool stopConsumers{false};
    std::vector<std::unique_ptr<ConsumerWorker>> consumers;  // used by consumerThreads: joined first
    OwnedThreads consumerThreads;
    OwnedThreads sourceThreads;  // event loops; each source is deleteLater'd on its thread's finish
    std::vector<QPointer<Source>> sources;
    std::atomic<int> sourcesRunning{0};
    // Spool files this run replays, each with "its replay read it to the end" (set on its thread).
    struct SpoolReplay
    {
        SpoolFile file;
        std::shared_ptr<std::atomic_bool> readToEnd;
    };
    QString spoolDirectory;  // empty when the database URL does not parse (the start fails on it anyway)
    std::vector<SpoolReplay> replayingSpool;
    std::optional<Error> failure;  // first fatal worker error (under PipelineImpl::stateMutex)
    bool lingering = false;        // a thread missed the stop bound: the run must outlive it
};

class PipelineImpl
{
public:
    explicit PipelineImpl(Pipeline *q) : q(q) {}
    ~PipelineImpl();

    void start(const PipelineConfig &config);
    void stop();
    void waitControl();

    Pipeline *q;
    MetricsRegistry metrics;
    LiveStage live;
    mutable QMutex stateMutex;  // guards state, message, lastErrorCode, run pointer swaps, bootstrap, run->failure
    Pipeline::State state = Pipeline::State::Stopped;
    QString message;
    QString bootstrap;
    QString lastErrorCode;  // Error::code of the failure that ended the last run (empty: none)
    std::unique_ptr<PipelineRun> run;
    MetricsClock metricsClock;  // started by Pipeline; stops (joins) before `run` is destroyed

private:
    void setState(Pipeline::State s, const QString &msg);
    void announce(Pipeline::State s, const QString &msg);  // log and emit stateChanged; state unchanged
    // Starts the stop sequence on the control thread (any thread may call it). The end state is Error
    // when the run recorded a failure, else Stopped.
    void beginStop(PipelineRun *r);
    void finishRun(PipelineRun &r, const std::optional<Error> &startError);
    Status doStart(PipelineRun &r);
    void doStop(PipelineRun &r, bool drain);
    void tearDown(PipelineRun &r);
    Status startKafka(PipelineRun &r);
    Status startConsumers(PipelineRun &r);
    Status startSources(PipelineRun &r);
    Source *startSource(PipelineRun &r, std::unique_ptr<Source> source);
    void startSpoolReplays(PipelineRun &r);
    void spoolUnstored(PipelineRun &r, int timeoutMs);
    // A worker thread's fatal error: recorded once, then the run stops into Error.
    void onWorkerFailure(PipelineRun &r, const Error &error);
    void reapLingering();

    QMutex m_controlMutex;  // guards m_control: stop() may come from a worker thread
    std::thread m_control;
    // Runs whose threads missed the stop bound; freed once those threads end (never while they run).
    std::vector<std::unique_ptr<PipelineRun>> m_lingering;
};

}  // namespace ms
