#pragma once
// The message inspector's reader: a QObject living on its own QThread (owned by InspectorPanel)
// that holds one TopicTail and pours what it reads into a bounded TailBuffer. The panel takes the
// buffer's content on its ~30 fps timer, so a fast topic never floods the GUI thread with signals.
//
// run() loops until stop() (or a new run) sets the cancel flag; stop and pause are atomics read by
// the loop between polls (at most ~100 ms apart), because the loop keeps the worker's event loop
// busy. Errors and state changes go back as queued signals.
#include "kafka/tail_buffer.h"
#include "kafka/topic_tail.h"

#include <QObject>
#include <QStringList>
#include <atomic>
#include <memory>

namespace ms::ui {

class InspectorWorker : public QObject
{
    Q_OBJECT
public:
    explicit InspectorWorker(std::shared_ptr<kafka::TailBuffer> buffer, QObject *parent = nullptr);

    // Thread-safe: seen by the running loop within one poll.
    void requestStop() { m_cancel.store(true); }
    // Called by the panel before it queues run(): a stop requested after this ends that run, and a
    // stop requested before (the panel closing) ends any run still queued at once.
    void clearStop() { m_cancel.store(false); }
    void setPaused(bool paused) { m_pauseWanted.store(paused); }

public Q_SLOTS:
    // Runs the tail until requestStop(); emits started() once reading, stopped() at the end.
    void run(const ms::kafka::TailOptions &options);

Q_SIGNALS:
    void started(const QString &topic, int partitions);
    void pausedChanged(bool paused);
    void failed(const QString &message);
    void stopped();

private:
    std::shared_ptr<kafka::TailBuffer> m_buffer;
    std::atomic_bool m_cancel{false};
    std::atomic_bool m_pauseWanted{false};
};

} // namespace ms::ui

Q_DECLARE_METATYPE(ms::kafka::TailOptions)
