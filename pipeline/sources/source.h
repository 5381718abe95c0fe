#pragma once
// A market-data source. Lives on a worker thread (the runtime moves it there), produces ticks and
// hands them in batches to the TickHandler, which publishes them to Kafka. The handler may block
// briefly (back-pressure from the producer); sources must tolerate that.
//
// Ownership: the runtime creates sources parentless, moves them to their thread and deletes them
// with deleteLater when the thread finishes.
#include "model/tick.h"
#include "sources/source_status.h"

#include <QObject>

#include <functional>
#include <span>

namespace ms {

using TickHandler = std::function<void(std::span<const Tick> ticks)>;

class Source : public QObject
{
    Q_OBJECT
public:
    explicit Source(QObject *parent = nullptr) : QObject(parent) {}
    ~Source() override = default;

    // Short name for logs and the health panel, e.g. "simulator", "cryptocompare-ws".
    virtual QString name() const = 0;

    // Set before start(); called on the source's own thread.
    void setTickHandler(TickHandler handler) { m_handler = std::move(handler); }

    SourceStatus status() const { return m_status; }

public Q_SLOTS:
    // Both are invoked on the source's thread (QMetaObject::invokeMethod, queued).
    virtual void start() = 0;
    // Must return promptly: cancel timers/requests, close sockets. Emits finished() afterwards.
    virtual void stop() = 0;

Q_SIGNALS:
    void statusChanged(const ms::SourceStatus &status);
    // The source has nothing more to deliver (finite replay, --max-ticks reached, or stopped).
    void finished();
    // Backfill and replay report progress in [0, 1].
    void progress(double fraction);

protected:
    void publish(std::span<const Tick> ticks)
    {
        if (m_handler && !ticks.empty())
            m_handler(ticks);
    }
    void setStatus(SourceStatus status)
    {
        m_status = std::move(status);
        Q_EMIT statusChanged(m_status);
    }

private:
    TickHandler m_handler;
    SourceStatus m_status;
};

}  // namespace ms
