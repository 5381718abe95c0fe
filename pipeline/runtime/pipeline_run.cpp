// A pipeline run's lifetime and its stop sequence (see pipeline_run.h); the start sequence is in
// pipeline_start.cpp.
#include "runtime/pipeline_run.h"

#include "runtime/issue_log.h"
#include "sources/source.h"

#include <QElapsedTimer>
#include <QFile>

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
} // namespace

PipelineRun::PipelineRun(const PipelineConfig &config, RunContext context)
    : m_config(config), m_ctx(std::move(context)),
      // The app owns both ends of the embedded broker: throttle producers by the consumers'
      // progress so the broker's 5 MiB-per-partition retention never deletes unread ticks.
      m_flow(config.kafkaBootstrap.isEmpty() && config.runConsumers
                 ? std::make_unique<kafka::FlowControl>()
                 : nullptr)
{
    const QString url = config.databaseUrl.isEmpty() ? defaultDatabaseUrl() : config.databaseUrl;
    if (auto parsed = DatabaseUrl::parse(url); parsed.ok())
        m_spoolDirectory = ms::spoolDirectory(parsed.value(), config.consumerGroup);
}

PipelineRun::~PipelineRun()
{
    freeComponents(); // in their order; the members' own destruction then has nothing left but
                      // threads
}

void PipelineRun::requestCancel()
{
    m_cancelStart = true;
    m_stopSources = true;
    m_stopConsumers = true;
    if (m_flow)
        m_flow->wakeAll(); // a producer blocked on back-pressure returns at once
}

void PipelineRun::recordFailure(const Error &error)
{
    QMutexLocker lock(&m_failureMutex);
    if (!m_failure)
        m_failure = error;
}

std::optional<Error> PipelineRun::failure() const
{
    QMutexLocker lock(&m_failureMutex);
    return m_failure;
}

bool PipelineRun::threadsFinished() const
{
    return m_consumerThreads.allFinished() && m_sourceThreads.allFinished();
}

void PipelineRun::copyProducerCounts()
{
    if (m_producer) {
        m_ctx.metrics.produced.store(m_producer->delivered());
        m_ctx.metrics.produceErrors.store(m_producer->failed());
        std::map<std::pair<QString, int>, qint64> newest;
        for (const auto &[tp, ms] : m_producer->newestDeliveredMs())
            newest[{QString::fromStdString(tp.first), int(tp.second)}] = ms;
        m_ctx.metrics.setNewestProduced(std::move(newest));
    }
}

void PipelineRun::spoolUnstored(int timeoutMs)
{
    MetricsRegistry &metrics = m_ctx.metrics;
    const qint64 delivered = m_producer ? m_producer->delivered()
                                        : 0; // ticks only: dead letters have their own producer
    const qint64 accounted = metrics.ticksAccounted();
    bool spoolOk = true;
    if (accounted < delivered && !m_spoolDirectory.isEmpty()) {
        const std::vector<SpoolTopic> topics{
            {m_config.cryptoTopic.toStdString(), AssetClass::Crypto},
            {m_config.stockTopic.toStdString(), AssetClass::Stock}};
        auto spooled = spoolUncommitted(m_kafka, m_config.consumerGroup, topics, m_spoolDirectory,
                                        std::max(1, timeoutMs));
        if (spooled.ok()) {
            metrics.spooled.store(spooled->messages);
            IssueLog::instance().warning(
                kComponent, QStringLiteral("%1 tick(s) produced but not stored were spooled to %2; "
                                           "the next start stores them")
                                .arg(spooled->messages)
                                .arg(m_spoolDirectory));
        } else {
            spoolOk = false;
            IssueLog::instance().error(kComponent, spooled.errorMessage());
        }
    }
    // A replayed file is done with once it was read to its end and what it brought is stored or
    // spooled again; otherwise it is kept for the next start (replaying it twice stores nothing
    // twice).
    for (const auto &replay : m_replayingSpool) {
        if (spoolOk && replay.readToEnd->load())
            QFile::remove(replay.file.path);
    }
}

void PipelineRun::stop(bool drain)
{
    QElapsedTimer clock;
    clock.start();
    auto until = [&clock](int offsetMs) {
        return QDeadlineTimer(std::max<qint64>(0, offsetMs - clock.elapsed()));
    };
    QStringList stuck;
    // 1. Sources stop producing (a producer blocked on back-pressure returns at once).
    m_stopSources = true;
    if (m_flow)
        m_flow->wakeAll();
    for (SourceThread *s : m_sources)
        s->requestStop();
    m_sources.clear(); // each source is destroyed on its thread from here on
    stuck << m_sourceThreads.joinAll(until(kSourcesJoinMs));
    // 2. Drain: what was produced reaches the broker, and (embedded: the app owns both ends) the
    //    consumers catch up, so a clean Stop leaves nothing behind in a broker that dies with us.
    if (drain && m_producer) {
        m_producer->flush(int(until(kFlushUntilMs).remainingTime()));
        if (!m_consumers.empty()) {
            while (clock.elapsed() < kDrainUntilMs) {
                const qint64 done = m_ctx.metrics.ticksAccounted();
                if (done >= m_producer->delivered()) // dead letters have their own producer
                    break;
                QThread::msleep(10);
            }
        }
    }
    // 3. Consumers finish their batch, close (bounded), threads end.
    m_stopConsumers = true;
    stuck << m_consumerThreads.joinAll(until(kConsumersJoinMs));
    // 4. The embedded broker dies with this run: what it holds unstored goes to the spool.
    if (m_broker && !m_consumers.empty() && stuck.isEmpty())
        spoolUnstored(int(until(kStopBoundMs).remainingTime()));
    copyProducerCounts();
    if (!stuck.isEmpty()) {
        // Keep everything they might still touch; the run is freed once they end.
        m_lingering = true;
        IssueLog::instance().error(
            kComponent, QStringLiteral("%1 did not stop within %2 ms (blocked in a call to "
                                       "Kafka or the database); kept running and joined later")
                            .arg(stuck.join(u", "))
                            .arg(kStopBoundMs));
    }
}

void PipelineRun::freeComponents()
{
    // After the run was reported Stopped or Error: no worker runs any more, everything produced is
    // stored, dead-lettered or spooled, and what is left is freeing.
    if (m_lingering && !threadsFinished())
        return; // a thread still uses these; the run is freed once it ends
    m_consumers.clear();
    m_publisher.reset();
    m_recorder.reset();
    m_deadLetters.reset();
    m_producer.reset();
    m_broker.reset();
}

} // namespace ms
