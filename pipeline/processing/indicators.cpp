#include "processing/indicators.h"

#include <algorithm>
#include <cmath>

namespace ms {

CloseHistory::CloseHistory(int smaPeriod, int emaPeriod)
    : m_smaPeriod(std::max(1, smaPeriod)), m_emaPeriod(std::max(1, emaPeriod))
{
    m_ring.assign(size_t(std::max(m_smaPeriod, 4 * m_emaPeriod)), 0.0);
}

void CloseHistory::push(double close)
{
    m_ring[size_t(m_head)] = close;
    m_head = (m_head + 1) % capacity();
    m_count = std::min(m_count + 1, capacity());
}

double CloseHistory::at(int back) const
{
    Q_ASSERT(back >= 0 && back < m_count);
    int i = m_head - 1 - back;
    if (i < 0)
        i += capacity();
    return m_ring[size_t(i)];
}

std::optional<double> CloseHistory::sma() const
{
    if (m_count < m_smaPeriod)
        return std::nullopt;
    double sum = 0;
    for (int i = 0; i < m_smaPeriod; ++i)
        sum += at(i);
    return sum / m_smaPeriod;
}

std::optional<double> CloseHistory::ema() const
{
    if (m_count < m_emaPeriod)
        return std::nullopt;
    const double decay = 1.0 - 2.0 / (m_emaPeriod + 1.0);
    double weight = 1, num = 0, den = 0;
    for (int i = 0; i < m_count; ++i) {  // m_count <= 4 * period by construction
        num += weight * at(i);
        den += weight;
        weight *= decay;
    }
    return num / den;
}

void PriceHistory::record(qint64 tsMs, double price, bool sessionTick)
{
    if (!m_hasLast || tsMs >= m_lastTs) {  // ties: the later arrival wins
        m_lastTs = tsMs;
        m_lastPrice = price;
        m_hasLast = true;
    }
    if (sessionTick && (!m_sessionFirst || tsMs < m_sessionFirstTs)) {  // ties: earlier arrival
        m_sessionFirst = price;
        m_sessionFirstTs = tsMs;
    }
    if (m_slots.empty())
        m_slots.resize(size_t(kSlots));
    const qint64 minute = tsMs >= 0 ? tsMs / kMinuteMs : (tsMs - kMinuteMs + 1) / kMinuteMs;
    Slot &slot = m_slots[size_t(((minute % kSlots) + kSlots) % kSlots)];
    if (slot.minute < minute) {
        slot = Slot{minute, tsMs, price};
    } else if (slot.minute == minute && tsMs >= slot.tsMs) {
        slot.tsMs = tsMs;
        slot.price = price;
    }
    // slot.minute > minute: a tick older than the ring covers; it cannot matter for 24 h change.
}

std::optional<double> PriceHistory::lastPrice() const
{
    return m_hasLast ? std::optional<double>(m_lastPrice) : std::nullopt;
}

std::optional<double> PriceHistory::change24hPct() const
{
    if (!m_hasLast || m_slots.empty())
        return std::nullopt;
    const qint64 target = m_lastTs - kDayMs;
    const qint64 targetMinute = target >= 0 ? target / kMinuteMs : (target - kMinuteMs + 1) / kMinuteMs;
    // The newest slot at or before the target minute still held by the ring.
    for (int back = 0; back < kSlots - 1; ++back) {
        const qint64 minute = targetMinute - back;
        const Slot &slot = m_slots[size_t(((minute % kSlots) + kSlots) % kSlots)];
        if (slot.minute == minute) {
            if (slot.price == 0)
                return std::nullopt;
            return (m_lastPrice - slot.price) / slot.price * 100.0;
        }
        if (slot.minute > minute)  // overwritten by newer data: nothing older remains
            break;
    }
    return std::nullopt;
}

std::optional<double> PriceHistory::changeSessionPct() const
{
    if (!m_hasLast || !m_sessionFirst || *m_sessionFirst == 0)
        return std::nullopt;
    return (m_lastPrice - *m_sessionFirst) / *m_sessionFirst * 100.0;
}

}  // namespace ms
