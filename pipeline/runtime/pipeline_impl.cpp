// The pipeline's state machine (see pipeline_impl.h); a run's own sequences are in pipeline_run.cpp
// and pipeline_start.cpp.
#include "runtime/pipeline_impl.h"

#include "model/time_util.h"
#include "runtime/issue_log.h"

#include <QMetaObject>
#include <QPointer>

namespace ms {

namespace {
const QString kComponent = QStringLiteral("pipeline");
} // namespace

// Often enough that "everything produced is stored" is seen promptly (the headless runner checks
// every 50 ms); the registry closes its recent-latency window on its own 5 s schedule.
constexpr int kMetricsTickMs = 100;

PipelineImpl::PipelineImpl(Pipeline *q) : m_q(q)
{
    m_metricsClock.start(kMetricsTickMs, [this] { metricsTick(); });
}

PipelineImpl::~PipelineImpl()
{
    stop();
    waitControl();
    reapLingering();
    auto abandon = [](std::unique_ptr<PipelineRun> &r) {
        IssueLog::instance().error(
            kComponent, QStringLiteral("a pipeline thread is still stuck at exit; its run is "
                                       "left to the process exit (nothing uncommitted was "
                                       "acknowledged)"));
        (void)r.release(); // deliberate: its threads still use it, and a running QThread must not
                           // be destroyed
    };
    for (auto &r : m_lingering)
        abandon(r);
    if (m_run && m_run->lingering() && !m_run->threadsFinished())
        abandon(m_run);
}

// Each body runs on a new thread that first joins the one before it: the control sequences run one
// at a time, in the order they were asked for, and nobody else ever waits for them (but the
// destructor). A template, not a std::function: bodies own move-only things (a retired run).
template <class Body>
static void queueOnControlThread(QMutex &mutex, std::thread &control, Body body)
{
    QMutexLocker lock(&mutex);
    std::thread previous = std::move(control);
    control = std::thread([previous = std::move(previous), body = std::move(body)]() mutable {
        if (previous.joinable())
            previous.join();
        body();
    });
}

void PipelineImpl::waitControl()
{
    std::thread t;
    {
        QMutexLocker lock(&m_controlMutex);
        t = std::move(m_control);
    }
    if (t.joinable())
        t.join(); // it joined its predecessors first
}

RunContext PipelineImpl::runContext()
{
    return RunContext{
        m_metrics,
        m_live,
        [this](PipelineRun &run, const Error &error) { onWorkerFailure(run, error); },
        [this] {
            QPointer<Pipeline> guard(m_q);
            QMetaObject::invokeMethod(
                m_q,
                [guard] {
                    if (guard)
                        Q_EMIT guard->sourcesFinished();
                },
                Qt::QueuedConnection);
        },
        [this](const QString &bootstrap) {
            QMutexLocker lock(&m_stateMutex);
            m_bootstrap = bootstrap;
        },
    };
}

Pipeline::State PipelineImpl::state() const
{
    QMutexLocker lock(&m_stateMutex);
    return m_state;
}

QString PipelineImpl::stateMessage() const
{
    QMutexLocker lock(&m_stateMutex);
    return m_message;
}

QString PipelineImpl::errorCode() const
{
    QMutexLocker lock(&m_stateMutex);
    return m_state == Pipeline::State::Error ? m_lastErrorCode : QString();
}

QString PipelineImpl::bootstrapServers() const
{
    QMutexLocker lock(&m_stateMutex);
    return m_bootstrap;
}

MetricsSnapshot PipelineImpl::metrics()
{
    return m_metrics.snapshot(); // reads only: metricsTick() does the writing
}

void PipelineImpl::metricsTick()
{
    {
        QMutexLocker lock(&m_stateMutex);
        // While Running the producer exists (the teardown follows the Stopped/Error state, set
        // under this lock); the stop sequence stores the final counts itself.
        if (m_run && m_state == Pipeline::State::Running)
            m_run->copyProducerCounts();
    }
    m_metrics.tick(nowMs());
}

void PipelineImpl::setTeardownHookForTesting(std::function<void()> hook)
{
    QMutexLocker lock(&m_stateMutex);
    m_teardownHook = std::move(hook);
}

void PipelineImpl::reapLingering()
{
    std::erase_if(m_lingering,
                  [](const std::unique_ptr<PipelineRun> &r) { return r->threadsFinished(); });
}

void PipelineImpl::retire(std::unique_ptr<PipelineRun> run)
{
    reapLingering();
    if (run && run->lingering() && !run->threadsFinished())
        m_lingering.push_back(std::move(run));
    // Otherwise it is destroyed here; its teardown has freed its components already.
}

void PipelineImpl::setState(Pipeline::State s, const QString &msg)
{
    {
        QMutexLocker lock(&m_stateMutex);
        m_state = s;
        m_message = msg;
    }
    announce(s, msg);
}

void PipelineImpl::announce(Pipeline::State s, const QString &msg)
{
    if (s == Pipeline::State::Running) {
        QMutexLocker lock(&m_stateMutex);
        if (m_state != Pipeline::State::Running)
            return; // already stopping: Running is old news
    }
    if (s == Pipeline::State::Error)
        IssueLog::instance().add(Severity::Error, kComponent, msg,
                                 IssueLog::Echo::Never); // the runner prints it
    else if (!msg.isEmpty())
        IssueLog::instance().info(kComponent, toString(s) + QStringLiteral(": ") + msg);
    QPointer<Pipeline> guard(m_q);
    QMetaObject::invokeMethod(
        m_q,
        [guard, s, msg] {
            if (guard)
                Q_EMIT guard->stateChanged(s, msg);
        },
        Qt::QueuedConnection);
}

void PipelineImpl::start(const PipelineConfig &config)
{
    PipelineConfig c = config;
    if (c.freshSeedPerStart)
        c.seed = quint64(nowUs());
    std::unique_ptr<PipelineRun> previous;
    PipelineRun *run = nullptr;
    {
        QMutexLocker lock(&m_stateMutex);
        if (m_state == Pipeline::State::Starting || m_state == Pipeline::State::Running ||
            m_state == Pipeline::State::Stopping)
            return; // starting twice is harmless
        // Stopped or Error: the previous run's threads are joined and its figures final. Its
        // teardown may still be freeing its components on the control thread (librdkafka's destroys
        // take ~1 s under load): the new run's start waits for it there, never here on the caller's
        // thread.
        m_metrics.reset();
        m_live.clear();
        previous = std::move(m_run);
        m_run = std::make_unique<PipelineRun>(c, runContext());
        run = m_run.get();
        m_lastErrorCode.clear();
        m_state = Pipeline::State::Starting;
        m_message.clear();
    }
    announce(Pipeline::State::Starting, QString());
    queueOnControlThread(m_controlMutex, m_control,
                         [this, run, previous = std::move(previous)]() mutable {
                             retire(std::move(previous));
                             runStart(*run);
                         });
}

void PipelineImpl::runStart(PipelineRun &run)
{
    const Status st = run.start();
    bool running = false;
    {
        QMutexLocker stateLock(&m_stateMutex);
        // Promoted under the lock that stop() and onWorkerFailure() take: a failure or a stop that
        // comes now is either seen here or sees Running.
        if (st.ok() && !run.cancelled() && !run.failure()) {
            m_state = Pipeline::State::Running;
            m_message.clear();
            running = true;
        }
    }
    if (running) {
        // Announced, not set again: a stop() that came since the promotion has set Stopping,
        // and writing Running over it would let a second stop() run the stop sequence twice.
        announce(Pipeline::State::Running, QString());
        return;
    }
    run.stop(false);
    finishRun(run, st.ok() || run.cancelled() ? std::nullopt : std::optional<Error>(st.error()));
    tearDown(run);
}

void PipelineImpl::stop()
{
    PipelineRun *r = nullptr;
    {
        QMutexLocker lock(&m_stateMutex);
        if (m_state == Pipeline::State::Starting && m_run) {
            // Cut a start in progress short: every step checks the run's flags, and the start's own
            // control thread runs the stop sequence when it sees them.
            m_run->requestCancel();
            m_state = Pipeline::State::Stopping;
        } else if (m_state == Pipeline::State::Running) {
            m_state = Pipeline::State::Stopping;
            r = m_run.get();
        } else {
            return; // stopping twice, or stopping a stopped pipeline, is harmless
        }
    }
    setState(Pipeline::State::Stopping, QString());
    if (r)
        beginStop(r);
}

void PipelineImpl::beginStop(PipelineRun *r)
{
    // Never blocks the caller. After the start sequence (finished already: it set Running).
    queueOnControlThread(m_controlMutex, m_control, [this, r] {
        const bool failed = r->failure().has_value();
        r->stop(!failed); // after a failure there is nothing to wait for
        finishRun(*r, std::nullopt);
        tearDown(*r);
    });
}

void PipelineImpl::finishRun(PipelineRun &run, const std::optional<Error> &startError)
{
    std::optional<Error> failure = run.failure();
    if (!failure)
        failure = startError;
    {
        QMutexLocker lock(&m_stateMutex);
        m_bootstrap.clear();
        m_lastErrorCode = failure ? failure->code : QString();
    }
    if (failure)
        setState(Pipeline::State::Error, failure->message);
    else
        setState(Pipeline::State::Stopped, QString());
}

void PipelineImpl::tearDown(PipelineRun &run)
{
    // After the run was reported Stopped or Error; the next start() waits for this on the control
    // thread, not on its caller's.
    std::function<void()> hook;
    {
        QMutexLocker lock(&m_stateMutex);
        hook = m_teardownHook;
    }
    if (hook)
        hook();
    run.freeComponents();
}

void PipelineImpl::onWorkerFailure(PipelineRun &run, const Error &error)
{
    bool launch = false;
    {
        QMutexLocker lock(&m_stateMutex);
        run.recordFailure(error);
        if (&run != m_run.get())
            return; // a retired run's thread, ending late: its run is over already
        if (m_state == Pipeline::State::Starting) {
            run.requestCancel(); // the start sequence sees it and stops into Error itself
        } else if (m_state == Pipeline::State::Running) {
            m_state = Pipeline::State::Stopping;
            launch = true;
        }
        // Stopping: the stop sequence under way ends in Error with this reason.
    }
    if (launch) {
        setState(Pipeline::State::Stopping, QStringLiteral("after a failure: ") + error.message);
        beginStop(&run);
    }
}

} // namespace ms
