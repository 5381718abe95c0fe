#include "runtime/pipeline.h"

#include "runtime/pipeline_impl.h"

#include <QCoreApplication>
#include <QMetaObject>

namespace ms {

QString toString(Pipeline::State s)
{
    switch (s) {
    case Pipeline::State::Stopped:
        return QStringLiteral("stopped");
    case Pipeline::State::Starting:
        return QStringLiteral("starting");
    case Pipeline::State::Running:
        return QStringLiteral("running");
    case Pipeline::State::Stopping:
        return QStringLiteral("stopping");
    case Pipeline::State::Error:
        return QStringLiteral("error");
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

Pipeline::~Pipeline() = default; // d's destructor stops (bounded) and joins the control thread

Pipeline::State Pipeline::state() const
{
    return d->state();
}

QString Pipeline::stateMessage() const
{
    return d->stateMessage();
}

QString Pipeline::errorCode() const
{
    return d->errorCode();
}

QString Pipeline::bootstrapServers() const
{
    return d->bootstrapServers();
}

MetricsSnapshot Pipeline::metrics() const
{
    return d->metrics();
}

LiveBatch Pipeline::takeLiveBatch()
{
    return d->takeLiveBatch();
}

void Pipeline::setLiveBatchEnabled(bool on, size_t maxStagedTicks)
{
    d->setLiveBatchEnabled(on, maxStagedTicks);
}

void Pipeline::setTeardownHookForTesting(std::function<void()> hook)
{
    d->setTeardownHookForTesting(std::move(hook));
}

void Pipeline::start(const PipelineConfig &config)
{
    d->start(config);
}

void Pipeline::stop()
{
    d->stop();
}

} // namespace ms
