#include "runtime/pipeline.h"

#include "runtime/pipeline_impl.h"

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

// ---------------------------------------------------------------------------------------------
// Pipeline

Pipeline::Pipeline(QObject *parent) : QObject(parent), d(std::make_unique<PipelineImpl>(this))
{
    qRegisterMetaType<ms::Pipeline::State>();
    qRegisterMetaType<ms::SourceStatus>();
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
    {
        QMutexLocker lock(&d->stateMutex);
        if (d->run && d->run->producer && d->state == State::Running) {
            d->metrics.produced.store(d->run->producer->delivered());
            d->metrics.produceErrors.store(d->run->producer->failed());
        }
    }
    if (d->sinceRotate.isValid() && d->sinceRotate.elapsed() > 5000) {
        d->sinceRotate.restart();
        d->metrics.rotateRecent();
    }
    return d->metrics.snapshot();
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
