#include "headless_runner.h"

#include "runtime/issue_log.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace ms {

namespace {
std::atomic_int g_signal{0};

void onSignal(int sig)
{
    g_signal.store(sig);
}
}  // namespace

void HeadlessRunner::installSignalHandlers()
{
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

HeadlessRunner::HeadlessRunner(const CliOptions &options, QObject *parent) : QObject(parent), m_options(options)
{
    connect(&m_pipeline, &Pipeline::stateChanged, this, &HeadlessRunner::onStateChanged);
    connect(&m_pipeline, &Pipeline::sourcesFinished, this, [this] { m_sourcesFinished = true; });
    m_timer.setInterval(50);
    connect(&m_timer, &QTimer::timeout, this, &HeadlessRunner::check);
}

void HeadlessRunner::start()
{
    m_clock.start();
    m_sinceProgress.start();
    m_timer.start();
    m_pipeline.start(m_options.config);
}

void HeadlessRunner::requestStop(const QString &why)
{
    if (m_stopRequested)
        return;
    m_stopRequested = true;
    m_runSeconds = double(m_clock.nsecsElapsed()) / 1e9;
    IssueLog::instance().info(QStringLiteral("headless"), QStringLiteral("stopping: ") + why);
    m_pipeline.stop();
}

void HeadlessRunner::onStateChanged(Pipeline::State state, const QString &message)
{
    if (state == Pipeline::State::Running)
        m_wasRunning = true;
    if (state == Pipeline::State::Error) {
        m_timer.stop();
        std::fprintf(stderr, "marketstream: error: %s\n", qPrintable(message));
        // Failing to start (bad database, unreachable Kafka) is a configuration problem: exit 2.
        QCoreApplication::exit(m_wasRunning ? 1 : 2);
        return;
    }
    if (state == Pipeline::State::Stopped && m_stopRequested) {
        m_timer.stop();
        printSummary();
        QCoreApplication::exit(0);
    }
}

void HeadlessRunner::check()
{
    if (const int sig = g_signal.load()) {
        requestStop(QStringLiteral("signal %1").arg(sig));
        return;
    }
    if (m_stopRequested || m_pipeline.state() != Pipeline::State::Running)
        return;
    const PipelineConfig &c = m_options.config;
    if (m_options.durationSec > 0 && m_clock.elapsed() >= qint64(m_options.durationSec * 1000)) {
        requestStop(QStringLiteral("--duration reached"));
        return;
    }
    const MetricsSnapshot m = m_pipeline.metrics();
    const qint64 accounted = m.stored + m.rejected;
    if (c.runConsumers && c.maxTicks > 0 && m.stored >= c.maxTicks) {
        requestStop(QStringLiteral("%1 ticks stored").arg(m.stored));
        return;
    }
    if (c.runProducers && m_sourcesFinished) {
        const bool delivered = m.produced + m.produceErrors >= m.queued;
        if (delivered && (!c.runConsumers || accounted >= m.produced - m.deadLettered)) {
            requestStop(QStringLiteral("sources finished and everything is stored"));
            return;
        }
    }
    if (c.runConsumers && c.idleExitMs > 0) {
        if (accounted != m_lastProgress) {
            m_lastProgress = accounted;
            m_sinceProgress.restart();
        } else if (m_sinceProgress.elapsed() >= c.idleExitMs) {
            requestStop(QStringLiteral("idle for %1 s").arg(double(c.idleExitMs) / 1000.0));
        }
    }
}

void HeadlessRunner::printSummary()
{
    const MetricsSnapshot m = m_pipeline.metrics();
    QJsonObject o;
    o[QStringLiteral("produced")] = double(m.produced);
    o[QStringLiteral("consumed")] = double(m.consumed);
    o[QStringLiteral("stored")] = double(m.stored);
    o[QStringLiteral("inserted")] = double(m.stored - m.duplicates);
    o[QStringLiteral("duplicates")] = double(m.duplicates);
    o[QStringLiteral("rejected")] = double(m.rejected);
    o[QStringLiteral("dead_lettered")] = double(m.deadLettered);
    o[QStringLiteral("dropped_late")] = double(m.droppedLate);
    o[QStringLiteral("candles")] = double(m.candlesWritten);
    o[QStringLiteral("produce_errors")] = double(m.produceErrors);
    o[QStringLiteral("db_errors")] = double(m.dbErrors);
    o[QStringLiteral("latency_p50_ms")] = m.latencyP50Ms;
    o[QStringLiteral("latency_p99_ms")] = m.latencyP99Ms;
    o[QStringLiteral("seconds")] = m_runSeconds;
    QJsonObject reasons;
    for (auto it = m.rejectedByReason.cbegin(); it != m.rejectedByReason.cend(); ++it)
        reasons[it.key()] = double(it.value());
    o[QStringLiteral("rejected_by_reason")] = reasons;
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    std::fflush(stderr);
    std::fprintf(stdout, "%s\n", line.constData());
    std::fflush(stdout);
}

}  // namespace ms
