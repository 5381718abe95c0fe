#include "inspector_worker.h"

namespace ms::ui {

InspectorWorker::InspectorWorker(std::shared_ptr<kafka::TailBuffer> buffer, QObject *parent)
    : QObject(parent), m_buffer(std::move(buffer))
{
}

void InspectorWorker::run(const kafka::TailOptions &options)
{
    auto tail = kafka::TopicTail::open(options, &m_cancel);
    if (!tail) {
        if (tail.error().code != QLatin1String("cancelled"))
            Q_EMIT failed(tail.errorMessage());
        Q_EMIT stopped();
        return;
    }
    Q_EMIT started(options.topic, tail.value()->partitionCount());
    while (!m_cancel.load()) {
        const bool wantPaused = m_pauseWanted.load();
        if (wantPaused != tail.value()->paused()) {
            const Status st = wantPaused ? tail.value()->pause() : tail.value()->resume();
            if (!st) {
                Q_EMIT failed(st.errorMessage());
                break;
            }
            Q_EMIT pausedChanged(wantPaused);
        }
        auto batch = tail.value()->poll(100, 1000, &m_cancel);
        if (!batch) {
            Q_EMIT failed(batch.errorMessage());
            break;
        }
        if (!batch->empty())
            m_buffer->push(std::move(batch).value());
    }
    tail.value().reset(); // closes the client here, on the worker thread, not in the GUI's
    Q_EMIT stopped();
}

} // namespace ms::ui
