// The state machine of a pipeline run and its stop sequence (see pipeline_impl.h); the start
// sequence is in pipeline_start.cpp.
#include "runtime/pipeline_impl.h"

#include "model/time_util.h"
#include "runtime/issue_log.h"
#include "sources/source.h"

#include <QFile>
#include <QMetaObject>

namespace ms {

namespace {
const QString kComponent = QStringLiteral("pipeline");

// The stop sequence's phases, as offsets from its start. Everything is asked to stop by the first
// deadline that concerns it, and each wait is against an absolute deadline, so a stuck stage costs
// its own phase at most: Stop ends within kStopBoundMs whatever hangs.
constexpr int kSourcesJoinMs = 300;
constexpr int kFlushUntilMs = 500;
constexpr int kDrainUntilMs = 750;
constexpr int kConsumersJoinMs = 1000;
// The spool (embedded broker, something left unstored) ends by then; the teardown after it and the
// process exit take the rest of the 2 s promise (seen: ~0.4 s on a loaded 2-core machine).
constexpr int kStopBoundMs = 1300;
}  // namespace

PipelineRun::PipelineRun(const PipelineConfig &c)
    : config(c),
      // The app owns both ends of the embedded broker: throttle producers by the consumers'
      // progress so the broker's 5 MiB-per-partition retention never deletes unread ticks.
      flow(c.kafkaBootstrap.isEmpty() && c.runConsumers ? std::make_unique<kafka::FlowControl>() : nullptr)
{
    if (auto url = DatabaseUrl::parse(c.databaseUrl.isEmpty() ? defaultDatabaseUrl() : c.databaseUrl); url.ok())
        spoolDirectory = ms::spoolDirectory(url.value(), c.consumerGroup);
}

PipelineImpl::~PipelineImpl()
{
    stop();
    waitControl();
    reapLingering();
    auto abandon = [](std::unique_ptr<PipelineRun> &r) {
        IssueLog::instance().error(kComponent, QStringLiteral("a pipeline thread is still stuck at exit; its run is "
                                                              "left to the process exit (nothing uncommitted was "
                                                              "acknowledged)"));
        (void)r.release();  // deliberate: its threads still use it, and a running QThread must not be destroyed
    };
    for (auto &r : m_lingering)
        abandon(r);
    if (run && run->lingering)
        abandon(run);
}

void PipelineImpl::waitControl()
{
    std::thread t;
    {
        QMutexLocker lock(&m_controlMutex);
        t = std::move(m_control);
    }
    if (t.joinable())
        t.join();
}

void PipelineImpl::reapLingering()
{
    std::erase_if(m_lingering, [](const std::unique_ptr<PipelineRun> &r) {
        return r->consumerThreads.allFinished() && r->sourceThreads.allFinished();
    });
}

void PipelineImpl::setState(Pipeline::State s, const QString &msg)
{
    {
        QMutexLocker lock(&stateMutex);
        state = s;
        message = msg;
    }
    announce(s, msg);
}

void PipelineImpl::announce(Pipeline::State s, const QString &msg)
{
    if (s == Pipeline::State::Running) {
        QMutexLocker lock(&stateMutex);
        if (state != Pipeline::State::Running)
            return;  // already stopping: Running is old news
    }
    if (s == Pipeline::State::Error)
        IssueLog::instance().add(Severity::Error, kComponent, msg, IssueLog::Echo::Never);  // the runner prints it
    else if (!msg.isEmpty())
        IssueLog::instance().info(kComponent, toString(s) + QStringLiteral(": ") + msg);
    QPointer<Pipeline> guard(q);
    QMetaObject::invokeMethod(
        q,
        [guard, s, msg] {
            if (guard)
                Q_EMIT guard->stateChanged(s, msg);
        },
        Qt::QueuedConnection);
}

void PipelineImpl::start(const PipelineConfig &config)
{
    {
        QMutexLocker lock(&stateMutex);
        if (state == Pipeline::State::Starting || state == Pipeline::State::Running
            || state == Pipeline::State::Stopping)
            return;  // starting twice is harmless
    }
    waitControl();  // the previous run's stop has finished (state is Stopped or Error)
    reapLingering();
    metrics.reset();
    live.clear();
    PipelineConfig c = config;
    if (c.freshSeedPerStart)
        c.seed = quint64(nowUs());
    auto r = std::make_unique<PipelineRun>(c);
    PipelineRun *raw = r.get();
    {
        QMutexLocker lock(&stateMutex);
        if (run && run->lingering)
            m_lingering.push_back(std::move(run));
        run = std::move(r);
        lastErrorCode.clear();
    }
    setState(Pipeline::State::Starting, QString());
    QMutexLocker lock(&m_controlMutex);
    m_control = std::thread([this, raw] {
        const Status st = doStart(*raw);
        bool running = false;
        {
            QMutexLocker stateLock(&stateMutex);
            // Promoted under the lock that stop() and onWorkerFailure() take: a failure or a stop that
            // comes now is either seen here or sees Running.
            if (st.ok() && !raw->cancelStart && !raw->failure) {
                state = Pipeline::State::Running;
                message.clear();
                running = true;
            }
        }
        if (running) {
            // Announced, not set again: a stop() that came since the promotion has set Stopping,
            // and writing Running over it would let a second stop() run the stop sequence twice.
            announce(Pipeline::State::Running, QString());
            return;
        }
        doStop(*raw, false);
        finishRun(*raw, st.ok() || raw->cancelStart ? std::nullopt : std::optional<Error>(st.error()));
        tearDown(*raw);
    });
}

void PipelineImpl::stop()
{
    PipelineRun *r = nullptr;
    {
        QMutexLocker lock(&stateMutex);
        if (state == Pipeline::State::Starting && run) {
            // Cut a start in progress short: every step checks these flags, and the start's own
            // control thread runs the stop sequence when it sees them.
            run->cancelStart = true;
            run->stopSources = true;
            run->stopConsumers = true;
            if (run->flow)
                run->flow->wakeAll();
            state = Pipeline::State::Stopping;
        } else if (state == Pipeline::State::Running) {
            state = Pipeline::State::Stopping;
            r = run.get();
        } else {
            return;  // stopping twice, or stopping a stopped pipeline, is harmless
        }
    }
    setState(Pipeline::State::Stopping, QString());
    if (r)
        beginStop(r);
}

void PipelineImpl::beginStop(PipelineRun *r)
{
    // Never blocks the caller: the stop sequence runs on the control thread.
    QMutexLocker lock(&m_controlMutex);
    std::thread previous = std::move(m_control);
    m_control = std::thread([this, r, previous = std::move(previous)]() mutable {
        if (previous.joinable())
            previous.join();  // the start sequence, finished already (it set Running)
        bool failed = false;
        {
            QMutexLocker stateLock(&stateMutex);
            failed = r->failure.has_value();
        }
        doStop(*r, !failed);  // after a failure there is nothing to wait for
        finishRun(*r, std::nullopt);
        tearDown(*r);
    });
}

void PipelineImpl::finishRun(PipelineRun &r, const std::optional<Error> &startError)
{
    std::optional<Error> failure;
    {
        QMutexLocker lock(&stateMutex);
        bootstrap.clear();
        failure = r.failure ? r.failure : startError;
        lastErrorCode = failure ? failure->code : QString();
    }
    if (failure)
        setState(Pipeline::State::Error, failure->message);
    else
        setState(Pipeline::State::Stopped, QString());
}

void PipelineImpl::onWorkerFailure(PipelineRun &r, const Error &error)
{
    bool launch = false;
    {
        QMutexLocker lock(&stateMutex);
        if (!r.failure)
            r.failure = error;
        if (&r != run.get())
            return;  // a lingering run's thread, ending late: its run is over already
        if (state == Pipeline::State::Starting) {
            // The start sequence sees the failure and stops into Error itself.
            r.cancelStart = true;
            r.stopSources = true;
            r.stopConsumers = true;
            if (r.flow)
                r.flow->wakeAll();
        } else if (state == Pipeline::State::Running) {
            state = Pipeline::State::Stopping;
            launch = true;
        }
        // Stopping: the stop sequence under way ends in Error with this reason.
    }
    if (launch) {
        setState(Pipeline::State::Stopping, QStringLiteral("after a failure: ") + error.message);
        beginStop(&r);
    }
}

void PipelineImpl::spoolUnstored(PipelineRun &r, int timeoutMs)
{
    const qint64 delivered = r.producer ? r.producer->delivered() : 0;  // ticks only: dead letters have their own producer
    const qint64 accounted = metrics.ticksAccounted();
    bool spoolOk = true;
    if (accounted < delivered && !r.spoolDirectory.isEmpty()) {
        const std::vector<SpoolTopic> topics{{r.config.cryptoTopic.toStdString(), AssetClass::Crypto},
                                             {r.config.stockTopic.toStdString(), AssetClass::Stock}};
        auto spooled = spoolUncommitted(r.kafka, r.config.consumerGroup, topics, r.spoolDirectory, std::max(1, timeoutMs));
        if (spooled.ok()) {
            metrics.spooled.store(spooled->messages);
            IssueLog::instance().warning(kComponent, QStringLiteral("%1 tick(s) produced but not stored were spooled to %2; "
                                                                    "the next start stores them")
                                                         .arg(spooled->messages)
                                                         .arg(r.spoolDirectory));
        } else {
            spoolOk = false;
            IssueLog::instance().error(kComponent, spooled.errorMessage());
        }
    }
    // A replayed file is done with once it was read to its end and what it brought is stored or
    // spooled again; otherwise it is kept for the next start (replaying it twice stores nothing twice).
    for (const auto &replay : r.replayingSpool) {
        if (spoolOk && replay.readToEnd->load())
            QFile::remove(replay.file.path);
    }
}

void PipelineImpl::doStop(PipelineRun &r, bool drain)
{
    QElapsedTimer clock;
    clock.start();
    auto until = [&clock](int offsetMs) { return QDeadlineTimer(std::max<qint64>(0, offsetMs - clock.elapsed())); };
    QStringList stuck;
    // 1. Sources stop producing (a producer blocked on back-pressure returns at once).
    r.stopSources = true;
    if (r.flow)
        r.flow->wakeAll();
    for (const QPointer<Source> &s : r.sources) {
        if (s)
            QMetaObject::invokeMethod(s.data(), &Source::stop, Qt::QueuedConnection);
    }
    r.sourceThreads.quitAll();
    stuck << r.sourceThreads.joinAll(until(kSourcesJoinMs));
    // 2. Drain: what was produced reaches the broker, and (embedded: the app owns both ends) the
    //    consumers catch up, so a clean Stop leaves nothing behind in a broker that dies with us.
    if (drain && r.producer) {
        r.producer->flush(int(until(kFlushUntilMs).remainingTime()));
        if (!r.consumers.empty()) {
            while (clock.elapsed() < kDrainUntilMs) {
                const qint64 done = metrics.ticksAccounted();
                if (done >= r.producer->delivered())  // dead letters have their own producer
                    break;
                QThread::msleep(10);
            }
        }
    }
    // 3. Consumers finish their batch, close (bounded), threads end.
    r.stopConsumers = true;
    stuck << r.consumerThreads.joinAll(until(kConsumersJoinMs));
    // 4. The embedded broker dies with this run: what it holds unstored goes to the spool.
    if (r.broker && !r.consumers.empty() && stuck.isEmpty())
        spoolUnstored(r, int(until(kStopBoundMs).remainingTime()));
    if (r.producer) {
        metrics.produced.store(r.producer->delivered());
        metrics.produceErrors.store(r.producer->failed());
    }
    if (!stuck.isEmpty()) {
        // Keep everything they might still touch; reapLingering() frees the run once they end.
        r.lingering = true;
        IssueLog::instance().error(kComponent, QStringLiteral("%1 did not stop within %2 ms (blocked in a call to "
                                                              "Kafka or the database); kept running and joined later")
                                                   .arg(stuck.join(u", "))
                                                   .arg(kStopBoundMs));
        return;
    }
}

void PipelineImpl::tearDown(PipelineRun &r)
{
    // After the run was reported Stopped or Error: no worker runs any more, everything produced is
    // stored, dead-lettered or spooled, and what is left is freeing (librdkafka's destroys took ~1 s
    // on a loaded machine). start() joins this before the next run begins.
    if (r.lingering)
        return;  // a thread still uses these; reapLingering() frees the run once it ends
    r.consumers.clear();
    r.publisher.reset();
    r.recorder.reset();
    r.deadLetters.reset();
    r.producer.reset();
    r.broker.reset();
}

}  // namespace ms
