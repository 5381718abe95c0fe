#include "runtime/live_stage.h"

#include <QMutexLocker>

namespace ms {

void LiveStage::setEnabled(bool on, size_t maxTicks)
{
    QMutexLocker lock(&m_mutex);
    m_maxTicks = std::max<size_t>(maxTicks, 1000);
    m_enabled.store(on, std::memory_order_relaxed);
    if (!on)
        m_batch = {};
}

void LiveStage::add(std::span<const Tick> ticks, std::span<const Candle> candles,
                    std::span<const IndicatorSnapshot> indicators)
{
    if (!enabled())
        return;
    QMutexLocker lock(&m_mutex);
    auto &t = m_batch.ticks;
    t.insert(t.end(), ticks.begin(), ticks.end());
    if (t.size() > m_maxTicks) {
        const size_t drop = t.size() - m_maxTicks;
        t.erase(t.begin(), t.begin() + qsizetype(drop));
        m_batch.droppedTicks += qint64(drop);
    }
    m_batch.candles.insert(m_batch.candles.end(), candles.begin(), candles.end());
    if (m_batch.candles.size() > 100000)
        m_batch.candles.erase(m_batch.candles.begin(), m_batch.candles.begin() + 50000);
    m_batch.indicators.insert(m_batch.indicators.end(), indicators.begin(), indicators.end());
    if (m_batch.indicators.size() > 20000)
        m_batch.indicators.erase(m_batch.indicators.begin(), m_batch.indicators.begin() + 10000);
}

LiveBatch LiveStage::take()
{
    LiveBatch out;
    QMutexLocker lock(&m_mutex);
    std::swap(out, m_batch);
    return out;
}

void LiveStage::clear()
{
    QMutexLocker lock(&m_mutex);
    m_batch = {};
}

}  // namespace ms
