#pragma once
// Where consumer threads stage what the GUI shows; the GUI swaps it out on its frame timer
// (Pipeline::takeLiveBatch) under a short lock. Bounded: when nobody takes, the oldest ticks go.
#include "runtime/pipeline.h"

#include <QMutex>

#include <atomic>
#include <span>

namespace ms {

class LiveStage
{
public:
    void setEnabled(bool on, size_t maxTicks);
    bool enabled() const { return m_enabled.load(std::memory_order_relaxed); }
    void add(std::span<const Tick> ticks, std::span<const Candle> candles,
             std::span<const IndicatorSnapshot> indicators);
    LiveBatch take();
    void clear();

private:
    std::atomic_bool m_enabled{false};
    QMutex m_mutex;
    size_t m_maxTicks = 200000;
    LiveBatch m_batch;
};

}  // namespace ms
