#include "runtime/pipeline.h"

#include "runtime/pipeline_impl.h"

#include "model/time_util.h"

#include <QCoreApplication>
#include <QMetaObject>

namespace ms {

QString toString(Pipeline::State s)
{
    switch (s) {
    case Pipeline::State::Stopped: return QStringLiteral("stopped");
    case Pipeline::State::Starting: return QStringLiteral("starting");
    case Pipeline::State::Running: return QStringLiteral("running");
    case Pipeline::State::Stopping: return QStringLiteral("stopping");
    case Pipeline::State::Error: return QStringLiteral("error");
    }
    return QStringLiteral("?");
}

namespace {
// Often enough that "everything produced is stored" is seen promptly (the headless runner checks
// every 50 ms); the registry closes its recent-latency window on its own 5 s schedule.
constexpr int kMetricsTickMs = 100;

void metricsTick(PipelineImpl &d)
{
    {
        QMutexLocker lock(&d.stateMutex);
        // While Running the producer exists (the teardown follows the Stopped/Error state, set
        // under this lock); the stop sequence stores the final counts itself.
        if (d.run && d.run->producer && d.state == Pipeline::State::Running) {
            const kafka::Producer &p = *d.run->producer;
            d.metrics.produced.store(p.delivered());
            d.metrics.produceErrors.store(p.failed());
            std::map<std::pair<QString, int>, qint64> newest;
            for (const auto &[tp, ms] : p.newestDeliveredMs())
                newest[{QString::fromStdString(tp.first), int(tp.second)}] = ms;
            d.metrics.setNewestProduced(std::move(newest));
        }
    }
    d.metrics.tick(nowMs());
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// Pipeline

Pipeline::Pipeline(QObject *parent) : QObject(parent), d(std::make_unique<PipelineImpl>(this))
{
    qRegisterMetaType<ms::Pipeline::State>();
    qRegisterMetaType<ms::SourceStatus>();
    d->metricsClock.start(kMetricsTickMs, [impl = d.get()] { metricsTick(*impl); });
}

Pipeline::~Pipeline()
{
    d->stop();
    d->waitControl();
}

Pipeline::State Pipeline::state() const
{
    QMutexLocker lock(&d->stateMutex);
    return d->state;
}

QString Pipeline::stateMessage() const
{
    QMutexLocker lock(&d->stateMutex);
    return d->message;
}

QString Pipeline::errorCode() const
{
    QMutexLocker lock(&d->stateMutex);
    return d->state == State::Error ? d->lastErrorCode : QString();
}

QString Pipeline::bootstrapServers() const
{
    QMutexLocker lock(&d->stateMutex);
    return d->bootstrap;
}

MetricsSnapshot Pipeline::metrics() const
{
    return d->metrics.snapshot();  // reads only: the metrics clock below does the writing
}

LiveBatch Pipeline::takeLiveBatch()
{
    return d->live.take();
}

void Pipeline::setLiveBatchEnabled(bool on, size_t maxStagedTicks)
{
    d->live.setEnabled(on, maxStagedTicks);
}

void Pipeline::start(const PipelineConfig &config)
{
    d->start(config);
}

void Pipeline::stop()
{
    d->stop();
}

}  // namespace ms
