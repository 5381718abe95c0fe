#pragma once
// A market-data source. Lives on a worker thread (the runtime moves it there), produces ticks and
// hands them in batches to its sink, which publishes them to Kafka.
//
// Back-pressure never freezes a source: the sink never blocks, it takes what fits now. What it
// cannot take waits here in a bounded backlog that a timer on the source's own thread offers again,
// while the source's other timers and heartbeats keep running. Meanwhile backpressured() is true and
// the status says "throttled": the simulator and replay stop generating, the REST pollers skip their
// polls; a stream that cannot pause (WebSocket) fills the backlog, and ticks past its bound are
// counted and reported, never dropped silently.
//
// Ownership: the runtime creates sources parentless and hands each to its own thread
// (runtime/owned_threads.h: SourceThread), which deletes it on that thread when its loop ends.
#include "model/tick.h"
#include "sources/source_status.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <span>
#include <vector>

namespace ms {

using TickHandler = std::function<void(std::span<const Tick> ticks)>;
// Takes the leading ticks it has room for now and returns how many; never blocks.
using TickSink = std::function<size_t(std::span<const Tick> ticks)>;

class Source : public QObject
{
    Q_OBJECT
public:
    explicit Source(QObject *parent = nullptr) : QObject(parent) {}
    ~Source() override;

    // Short name for logs and the health panel, e.g. "simulator", "cryptocompare-ws".
    virtual QString name() const = 0;

    // Set before start(); called on the source's own thread. A handler takes every tick it is given.
    void setTickHandler(TickHandler handler);
    void setTickSink(TickSink sink) { m_sink = std::move(sink); }

    static constexpr size_t kMaxBacklogTicks = 200000;
    // Ticks that arrived while the backlog was full (a stream that cannot pause): counted, reported.
    qint64 overflowedTicks() const { return m_overflowed; }

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
    // Never blocks; see the class comment.
    void publish(std::span<const Tick> ticks);
    // True while ticks wait for room: generate or poll nothing new until it is false again.
    bool backpressured() const { return m_backlogHead < m_backlog.size(); }
    // While throttled, a Running status is remembered and shown once the backlog has drained.
    void setStatus(SourceStatus status);
    // Called on the source's thread once the backlog has drained: a source that stopped its own
    // generating timer while backpressured() restarts it here (so a throttled source sleeps in its
    // event loop instead of spinning a zero timer that only finds the backlog still full).
    virtual void backpressureEnded() {}

private:
    void offerBacklog();
    void emitStatus(SourceStatus status);

    TickSink m_sink;
    SourceStatus m_status;
    SourceStatus m_statusBeforeThrottle;
    std::vector<Tick> m_backlog;  // [m_backlogHead, end) waits for the sink
    size_t m_backlogHead = 0;
    QTimer *m_retryTimer = nullptr;  // child: lives on the source's thread
    qint64 m_overflowed = 0;
};

}  // namespace ms
