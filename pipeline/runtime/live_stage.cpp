#include "runtime/live_stage.h"

#include <QMutexLocker>

namespace ms {

void LiveStage::Rings::swap(Rings &o) noexcept
{
    ticks.swap(o.ticks);
    candles.swap(o.candles);
    indicators.swap(o.indicators);
    std::swap(droppedTicks, o.droppedTicks);
    std::swap(droppedCandles, o.droppedCandles);
    std::swap(droppedIndicators, o.droppedIndicators);
}

void LiveStage::Rings::reset(size_t maxTicks)
{
    ticks.setCapacity(maxTicks);
    candles.setCapacity(kMaxCandles);
    indicators.setCapacity(kMaxIndicators);
    droppedTicks = droppedCandles = droppedIndicators = 0;
}

LiveStage::LiveStage()
{
    m_live.reset(m_maxTicks);
}

void LiveStage::setEnabled(bool on, size_t maxTicks)
{
    Rings old;
    {
        QMutexLocker lock(&m_mutex);
        m_maxTicks = std::max<size_t>(maxTicks, 1000);
        m_enabled.store(on, std::memory_order_relaxed);
        old.swap(m_live);
        m_live.reset(m_maxTicks);
    }
}

void LiveStage::add(std::span<const Tick> ticks, std::span<const Candle> candles,
                    std::span<const IndicatorSnapshot> indicators)
{
    if (!enabled())
        return;
    QMutexLocker lock(&m_mutex);
    m_live.droppedTicks += qint64(m_live.ticks.push(ticks));
    m_live.droppedCandles += qint64(m_live.candles.push(candles));
    m_live.droppedIndicators += qint64(m_live.indicators.push(indicators));
}

LiveBatch LiveStage::take()
{
    Rings got;
    {
        QMutexLocker lock(&m_mutex);
        got.swap(m_live); // O(1): no copy; the consumers go on at once into an empty ring
        m_live.reset(m_maxTicks);
    }
    LiveBatch out;
    got.ticks.copyTo(out.ticks);
    got.candles.copyTo(out.candles);
    got.indicators.copyTo(out.indicators);
    out.droppedTicks = got.droppedTicks;
    out.droppedCandles = got.droppedCandles;
    out.droppedIndicators = got.droppedIndicators;
    return out; // `got` is destroyed here, outside the lock
}

void LiveStage::clear()
{
    Rings old;
    QMutexLocker lock(&m_mutex);
    old.swap(m_live);
    m_live.reset(m_maxTicks);
    lock.unlock();
}

} // namespace ms
