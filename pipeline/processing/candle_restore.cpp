// CandleBuilder::restore(): rebuilding state from stored candles after a restart.
#include "processing/candle_builder.h"

#include "processing/candle_state.h"

#include <algorithm>
#include <vector>

namespace ms {

qint64 CandleBuilder::restoreLookbackMs(int intervalIndex) const
{
    const qint64 len = m_intervalMs[size_t(intervalIndex)];
    const qint64 closesNeeded = std::max(m_config.smaPeriod, 4 * m_config.emaPeriod);
    qint64 lookback = std::max(closesNeeded * len, m_config.allowedLatenessMs + 2 * len);
    // The 24 h change ring wants per-minute last prices: taken from the largest interval that
    // divides one minute (usually 60 s).
    qint64 ringSource = 0;
    for (qint64 ms : m_intervalMs)
        if (PriceHistory::kMinuteMs % ms == 0)
            ringSource = std::max(ringSource, ms);
    if (len == ringSource)
        lookback = std::max(lookback, qint64(PriceHistory::kSlots) * PriceHistory::kMinuteMs);
    return lookback;
}

void CandleBuilder::restore(std::span<const Candle> storedCandles, RestoreMode mode)
{
    const bool replay = mode == RestoreMode::ReplayFromStart;
    // Final candles refill SMA/EMA in bucket order: sort pointers to them once.
    std::vector<const Candle *> finals;
    for (const Candle &c : storedCandles) {
        const auto pos = std::find(m_config.intervalsSec.begin(), m_config.intervalsSec.end(), c.intervalSec);
        if (pos == m_config.intervalsSec.end() || c.trades <= 0)
            continue;
        const size_t i = size_t(pos - m_config.intervalsSec.begin());
        if (replay && !c.final)
            continue;  // the replay rebuilds it
        SymbolState &s = stateFor(c.asset, c.symbol, c.currency);
        if (replay) {
            s.closedThrough[i] = std::max(s.closedThrough[i], c.bucketStartMs + m_intervalMs[i]);
            finals.push_back(&c);
            continue;
        }
        if (s.maxTs == kNoTime || c.lastTsMs > s.maxTs)
            s.maxTs = c.lastTsMs;
        if (m_globalMaxTs == kNoTime || c.lastTsMs > m_globalMaxTs)
            m_globalMaxTs = c.lastTsMs;
        s.prices.record(c.lastTsMs, c.close, false);
        if (c.final) {
            finals.push_back(&c);
            continue;
        }
        Bucket b;
        b.start = c.bucketStartMs;
        b.open = c.open;
        b.high = c.high;
        b.low = c.low;
        b.close = c.close;
        b.volume = c.volume;
        b.sumPV = c.vwap * c.volume;  // see the header: recovered, not stored
        b.sumPrice = c.volume > 0 ? 0.0 : c.vwap * double(c.trades);
        b.trades = c.trades;
        b.firstTs = c.firstTsMs;
        b.lastTs = c.lastTsMs;
        std::vector<Bucket> &buckets = s.open[i];
        auto it = std::lower_bound(buckets.begin(), buckets.end(), b.start,
                                   [](const Bucket &x, qint64 start) { return x.start < start; });
        if (it != buckets.end() && it->start == b.start)
            *it = b;
        else
            buckets.insert(it, b);
    }

    std::sort(finals.begin(), finals.end(), [](const Candle *a, const Candle *b) {
        return a->bucketStartMs < b->bucketStartMs;
    });
    for (const Candle *c : finals) {
        const auto pos = std::find(m_config.intervalsSec.begin(), m_config.intervalsSec.end(), c->intervalSec);
        SymbolState &s = stateFor(c->asset, c->symbol, c->currency);
        s.closes[size_t(pos - m_config.intervalsSec.begin())].push(c->close);
    }

    // Open candles the restored watermark already closes are finalized now (emitted by the next
    // takeUpdates()); with a consistent database there are none.
    for (auto &entry : m_symbols)
        finalizeUpTo(*entry.second, watermarkOf(*entry.second));
}

}  // namespace ms
