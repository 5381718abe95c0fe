#pragma once
// Private to pipeline.cpp: the pipeline's state machine. The run itself (its components, threads,
// start and stop sequences) is a PipelineRun; the sequences run on a control thread so the caller
// (the GUI thread) never waits on Kafka, the database or a previous run's teardown.
//
// The control thread: each start() or stop sequence is a new std::thread that first joins the one
// before it, so they run one after another, in order, and never overlap; the caller never joins.
//
// Threads and who writes what:
// - m_state, m_message, m_bootstrap, m_lastErrorCode and m_run (the pointer): under m_stateMutex;
//   the caller's thread swaps m_run in start(), the control thread writes the state and bootstrap;
// - m_lingering: only the control thread (one at a time, see above) and the destructor after it
//   joined the last control thread;
// - m_control: under m_controlMutex (stop() may come from a worker thread);
// - m_metrics and m_live: thread-safe themselves (atomics and their own mutexes);
// - m_metricsClock: its own thread, which alone writes the producer counts and rotates the recent
//   latency window (metricsTick), so metrics() only reads.
#include "runtime/live_stage.h"
#include "runtime/metrics_clock.h"
#include "runtime/metrics_registry.h"
#include "runtime/pipeline.h"
#include "runtime/pipeline_run.h"

#include <QElapsedTimer>
#include <QMutex>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace ms {

class PipelineImpl
{
public:
    explicit PipelineImpl(Pipeline *q);
    ~PipelineImpl(); // stops (bounded) and joins the control thread
    PipelineImpl(const PipelineImpl &) = delete;
    PipelineImpl &operator=(const PipelineImpl &) = delete;

    // Any thread; neither waits.
    void start(const PipelineConfig &config);
    void stop();

    Pipeline::State state() const;
    QString stateMessage() const;
    QString errorCode() const;
    QString bootstrapServers() const;
    MetricsSnapshot metrics();
    LiveBatch takeLiveBatch() { return m_live.take(); }
    void setLiveBatchEnabled(bool on, size_t maxStagedTicks)
    {
        m_live.setEnabled(on, maxStagedTicks);
    }
    void setTeardownHookForTesting(std::function<void()> hook);

private:
    RunContext runContext();
    void metricsTick(); // on the metrics clock's thread
    void setState(Pipeline::State s, const QString &msg);
    void announce(Pipeline::State s,
                  const QString &msg); // log and emit stateChanged; state unchanged
    // The start sequence, on the control thread once the previous run's teardown has ended.
    void runStart(PipelineRun &run);
    // Starts the stop sequence on the control thread (any thread may call it). The end state is
    // Error when the run recorded a failure, else Stopped.
    void beginStop(PipelineRun *run);
    void finishRun(PipelineRun &run, const std::optional<Error> &startError);
    void tearDown(PipelineRun &run);
    // A worker thread's fatal error: recorded once, then the run stops into Error.
    void onWorkerFailure(PipelineRun &run, const Error &error);
    // Control thread: a finished run is destroyed, one whose threads still run is kept until they
    // end.
    void retire(std::unique_ptr<PipelineRun> run);
    void reapLingering();
    void waitControl();

    Pipeline *const m_q;
    MetricsRegistry m_metrics;
    LiveStage m_live;

    mutable QMutex m_stateMutex;
    Pipeline::State m_state = Pipeline::State::Stopped;
    QString m_message;
    QString m_bootstrap;
    QString m_lastErrorCode; // Error::code of the failure that ended the last run (empty: none)
    std::unique_ptr<PipelineRun> m_run;
    MetricsClock m_metricsClock; // declared after m_run: stops (joins) before the run is destroyed
    std::function<void()> m_teardownHook; // tests: runs on the control thread before a teardown

    QMutex m_controlMutex;
    std::thread m_control;
    // Runs whose threads missed the stop bound; freed once those threads end (never while they
    // run).
    std::vector<std::unique_ptr<PipelineRun>> m_lingering;
};

} // namespace ms
