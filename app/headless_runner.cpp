#include "headless_runner.h"

#include "metrics_http/prometheus_text.h"
#include "runtime/issue_log.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace ms {

namespace {
std::atomic_int g_signal{0};
std::atomic_int g_signalCount{0};

void onSignal(int sig)
{
    g_signal.store(sig);
    g_signalCount.fetch_add(1);
}

// After a signal, how long the pipeline's own (bounded) stop may take before the process leaves
// without it: above the stop's own bound (1.3 s), under the 2 s promise, with room for the summary.
constexpr qint64 kSignalExitBoundMs = 1750;
}  // namespace

int exitCodeForError(const QString &code, bool wasRunning)
{
    static const QStringList unreachable{QStringLiteral("db_unreachable"), QStringLiteral("kafka_unreachable"),
                                         QStringLiteral("db_busy")};
    if (unreachable.contains(code))
        return ExitDependencyDown;
    return wasRunning ? ExitPipelineFailure : ExitUsage;
}

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

bool HeadlessRunner::startMetricsServer()
{
    if (m_options.metricsPort < 0)
        return true;
    auto server = servePipelineMetrics(m_pipeline, m_options.metricsBind, quint16(m_options.metricsPort));
    if (!server.ok()) {
        std::fprintf(stderr, "marketstream: error: %s\n", qPrintable(server.errorMessage()));
        return false;
    }
    m_metricsServer = std::move(server).value();
    return true;
}

void HeadlessRunner::start()
{
    if (!startMetricsServer()) {
        QMetaObject::invokeMethod(this, [] { QCoreApplication::exit(ExitUsage); }, Qt::QueuedConnection);
        return;
    }
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
        if (!m_stopRequested)
            m_runSeconds = double(m_clock.nsecsElapsed()) / 1e9;
        std::fprintf(stderr, "marketstream: error: %s\n", qPrintable(message));
        printSummary();
        QCoreApplication::exit(exitCodeForError(m_pipeline.errorCode(), m_wasRunning));
        return;
    }
    if (state == Pipeline::State::Stopped && (m_stopRequested || m_signals > 0)) {
        m_timer.stop();
        printSummary();
        QCoreApplication::exit(ExitOk);
    }
}

void HeadlessRunner::exitNow(int code, const QString &why)
{
    IssueLog::instance().error(QStringLiteral("headless"), why);
    printSummary();
    std::fflush(nullptr);
    std::_Exit(code);
}

void HeadlessRunner::check()
{
    if (const int count = g_signalCount.load(); count > m_signals) {
        const int sig = g_signal.load();
        if (m_signals == 0)
            m_sinceSignal.start();
        m_signals = count;
        if (count > 1)
            exitNow(ExitPipelineFailure, QStringLiteral("second signal %1: leaving without waiting for the stop").arg(sig));
        requestStop(QStringLiteral("signal %1").arg(sig));
    }
    if (m_sinceSignal.isValid() && m_sinceSignal.elapsed() >= kSignalExitBoundMs) {
        // The stop missed its bound: a thread is blocked in Kafka or the database (a frozen server).
        exitNow(ExitDependencyDown, QStringLiteral("the pipeline did not stop within %1 ms after the signal (a "
                                                   "dependency stopped answering); leaving without it")
                                        .arg(kSignalExitBoundMs));
    }
    if (m_signals > 0)
        return;
    if (m_stopRequested || m_pipeline.state() != Pipeline::State::Running)
        return;
    const PipelineConfig &c = m_options.config;
    if (m_options.durationSec > 0 && m_clock.elapsed() >= qint64(m_options.durationSec * 1000)) {
        requestStop(QStringLiteral("--duration reached"));
        return;
    }
    const MetricsSnapshot m = m_pipeline.metrics();
    const qint64 accounted = m.stored + m.duplicates + m.rejected;  // every tick a consumer finished with
    if (c.runConsumers && c.maxTicks > 0 && m.stored + m.duplicates >= c.maxTicks) {
        requestStop(QStringLiteral("%1 ticks stored (%2 new rows, %3 duplicates)")
                        .arg(m.stored + m.duplicates)
                        .arg(m.stored)
                        .arg(m.duplicates));
        return;
    }
    if (c.runProducers && m_sourcesFinished) {
        const bool delivered = m.produced + m.produceErrors >= m.queued;
        if (delivered && (!c.runConsumers || accounted >= m.produced)) {
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
    o[QStringLiteral("duplicates")] = double(m.duplicates);
    o[QStringLiteral("rejected")] = double(m.rejected);
    o[QStringLiteral("dead_lettered")] = double(m.deadLettered);
    o[QStringLiteral("dropped_late")] = double(m.droppedLate);
    o[QStringLiteral("candle_writes")] = double(m.candleWrites);
    o[QStringLiteral("produce_errors")] = double(m.produceErrors);
    o[QStringLiteral("db_errors")] = double(m.dbErrors);
    o[QStringLiteral("spooled")] = double(m.spooled);
    o[QStringLiteral("alerts_triggered")] = double(m.alertsTriggered);
    o[QStringLiteral("feed_gaps")] = double(m.feedGaps);
    o[QStringLiteral("lag_messages")] = double(m.lagMessages);
    o[QStringLiteral("lag_seconds")] = m.lagSeconds;
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
