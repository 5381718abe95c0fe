#include "processing/candle_builder.h"

#include "model/time_util.h"
#include "processing/candle_state.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ms {

namespace {
qint64 satSub(qint64 a, qint64 b)  // a - b without overflow for a == kNoTime
{
    return a == kNoTime ? kNoTime : a - b;
}
}  // namespace

size_t CandleBuilder::KeyHash::operator()(const KeyView &k) const
{
    const size_t h1 = std::hash<std::string_view>{}(k.symbol);
    const size_t h2 = std::hash<std::string_view>{}(k.currency);
    return h1 ^ (h2 * 0x9E3779B97F4A7C15ULL) ^ size_t(k.asset);
}

CandleBuilder::CandleBuilder(CandleConfig config) : m_config(std::move(config)), m_globalMaxTs(kNoTime)
{
    Q_ASSERT(!m_config.intervalsSec.empty());
    Q_ASSERT(int(m_config.intervalsSec.size()) <= CandleConfig::kMaxIntervals);
    if (int(m_config.intervalsSec.size()) > CandleConfig::kMaxIntervals)
        m_config.intervalsSec.resize(size_t(CandleConfig::kMaxIntervals));
    qint64 largest = 0;
    for (qint32 s : m_config.intervalsSec) {
        Q_ASSERT(s > 0);
        m_intervalMs.push_back(qint64(std::max(s, 1)) * 1000);
        largest = std::max(largest, m_intervalMs.back());
    }
    m_config.allowedLatenessMs = std::max<qint64>(0, m_config.allowedLatenessMs);
    if (m_config.idleCloseMs > 0) {
        // Eviction forgets a symbol's watermark; only the idle rule then keeps old ticks out of
        // buckets that were already final, which holds once the symbol is this far behind.
        m_config.evictAfterMs = std::max(
            m_config.evictAfterMs, m_config.idleCloseMs + largest + m_config.allowedLatenessMs);
    }
    m_droppedPerInterval.assign(m_intervalMs.size(), 0);
    m_pendingFinal.reserve(256);
}

CandleBuilder::~CandleBuilder() = default;

CandleBuilder::SymbolState &CandleBuilder::stateFor(AssetClass asset, std::string_view symbol,
                                                    std::string_view currency)
{
    if (m_last && m_last->asset == asset && m_last->symbol == symbol && m_last->currency == currency)
        return *m_last;
    const KeyView key{asset, symbol, currency};
    auto it = m_symbols.find(key);
    if (it == m_symbols.end()) {
        auto state = std::make_unique<SymbolState>(asset, symbol, currency, m_intervalMs.size(),
                                                   m_config.smaPeriod, m_config.emaPeriod);
        const KeyView owned{asset, state->symbol, state->currency};
        it = m_symbols.emplace(owned, std::move(state)).first;
    }
    m_last = it->second.get();
    return *m_last;
}

qint64 CandleBuilder::watermarkOf(const SymbolState &s) const
{
    const qint64 own = satSub(s.maxTs, m_config.allowedLatenessMs);
    const qint64 idle = m_config.idleCloseMs > 0 ? satSub(m_globalMaxTs, m_config.idleCloseMs) : kNoTime;
    return std::max(own, idle);
}

qint64 CandleBuilder::watermarkMs(AssetClass asset, std::string_view symbol,
                                  std::string_view currency) const
{
    auto it = m_symbols.find(KeyView{asset, symbol, currency});
    if (it != m_symbols.end())
        return watermarkOf(*it->second);
    return m_config.idleCloseMs > 0 ? satSub(m_globalMaxTs, m_config.idleCloseMs) : kNoTime;
}

AddOutcome CandleBuilder::add(const Tick &tick)
{
    AddOutcome outcome;
    if (!std::isfinite(tick.price) || tick.price <= 0 || !std::isfinite(tick.volume) || tick.volume < 0) {
        outcome.invalid = true;
        ++m_invalidTicks;
        return outcome;
    }
    SymbolState &s = stateFor(tick.asset, tick.symbol, tick.currency);
    const qint64 ts = tick.tsMs;
    const qint64 wm = watermarkOf(s);
    outcome.watermarkMs = wm;
    const size_t n = m_intervalMs.size();

    // Two passes: find every bucket the tick goes into and check that its sums stay finite, then
    // merge. A tick that would make any sum non-finite (two volumes of 1e308 in one bucket) is
    // refused before anything changes: no NaN or inf ever reaches a candle.
    struct Target
    {
        Bucket *bucket;                     // existing bucket, or null: insert at `pos`
        std::vector<Bucket>::iterator pos;  // into s.open[i]
        bool merge;
    };
    Target targets[CandleConfig::kMaxIntervals];
    const double pv = tick.price * tick.volume;
    if (!std::isfinite(pv)) {
        outcome.nonFiniteSum = true;
        ++m_nonFiniteTicks;
        return outcome;
    }
    for (size_t i = 0; i < n; ++i) {
        targets[i].merge = false;
        const qint64 len = m_intervalMs[i];
        const qint64 start = floorTo(ts, len);
        if (wm != kNoTime && start + len <= wm) {
            outcome.droppedLateMask |= 1u << i;
            continue;
        }
        if (start + len <= s.closedThrough[i]) {  // only after restore(ReplayFromStart)
            outcome.replayedMask |= 1u << i;
            continue;
        }
        std::vector<Bucket> &buckets = s.open[i];
        // Usually the newest bucket; search backwards.
        auto it = buckets.end();
        while (it != buckets.begin() && std::prev(it)->start > start)
            --it;
        Bucket *b = nullptr;
        if (it != buckets.begin() && std::prev(it)->start == start) {
            b = &*std::prev(it);
            if (!std::isfinite(b->volume + tick.volume) || !std::isfinite(b->sumPV + pv)
                || !std::isfinite(b->sumPrice + tick.price)) {
                outcome.nonFiniteSum = true;
                outcome.droppedLateMask = 0;
                outcome.replayedMask = 0;
                ++m_nonFiniteTicks;
                return outcome;
            }
        }
        targets[i] = Target{b, it, true};
    }
    for (size_t i = 0; i < n; ++i) {
        if (outcome.droppedLateMask & (1u << i))
            ++m_droppedPerInterval[i];
        if (!targets[i].merge)
            continue;
        Bucket *b = targets[i].bucket;
        if (b) {
            if (ts < b->firstTs) {
                b->firstTs = ts;
                b->open = tick.price;
            }
            if (ts >= b->lastTs) {  // ties: the later arrival closes
                b->lastTs = ts;
                b->close = tick.price;
            }
            b->high = std::max(b->high, tick.price);
            b->low = std::min(b->low, tick.price);
            b->volume += tick.volume;
            b->sumPV += pv;
            b->sumPrice += tick.price;
            ++b->trades;
        } else {
            const qint64 start = floorTo(ts, m_intervalMs[i]);
            auto it = s.open[i].insert(targets[i].pos, Bucket{start, tick.price, tick.price, tick.price, tick.price,
                                                              tick.volume, pv, tick.price, 1, ts, ts, false});
            b = &*it;
        }
        b->dirty = true;
    }

    const quint32 allMask = n >= 32 ? ~0u : ((1u << n) - 1);
    if (outcome.droppedLateMask != 0)
        ++m_droppedTicks;
    if ((outcome.droppedLateMask | outcome.replayedMask) == allMask) {
        if (outcome.replayedMask != 0)  // a replayed tick was merged the first time: keep its price
            s.prices.record(ts, tick.price, true);
        return outcome;  // merged nowhere: moves no clock
    }

    s.anyDirty = true;
    s.prices.record(ts, tick.price, true);
    if (s.maxTs == kNoTime || ts > s.maxTs)
        s.maxTs = ts;
    if (m_globalMaxTs == kNoTime || ts > m_globalMaxTs)
        m_globalMaxTs = ts;
    finalizeUpTo(s, watermarkOf(s));
    return outcome;
}

void CandleBuilder::finalizeUpTo(SymbolState &s, qint64 watermark)
{
    if (watermark == kNoTime)
        return;
    for (size_t i = 0; i < m_intervalMs.size(); ++i) {
        std::vector<Bucket> &buckets = s.open[i];
        size_t done = 0;
        while (done < buckets.size() && buckets[done].start + m_intervalMs[i] <= watermark)
            emitFinal(s, int(i), buckets[done++]);
        if (done > 0)
            buckets.erase(buckets.begin(), buckets.begin() + qsizetype(done));
    }
}

Candle CandleBuilder::toCandle(const SymbolState &s, int interval, const Bucket &b, bool final) const
{
    Candle c;
    c.symbol = s.symbol;
    c.currency = s.currency;
    c.asset = s.asset;
    c.intervalSec = m_config.intervalsSec[size_t(interval)];
    c.bucketStartMs = b.start;
    c.open = b.open;
    c.high = b.high;
    c.low = b.low;
    c.close = b.close;
    c.volume = b.volume;
    c.vwap = b.volume > 0 ? b.sumPV / b.volume : b.sumPrice / double(b.trades);
    c.trades = b.trades;
    c.firstTsMs = b.firstTs;
    c.lastTsMs = b.lastTs;
    c.final = final;
    return c;
}

void CandleBuilder::emitFinal(SymbolState &s, int interval, const Bucket &b)
{
    m_pendingFinal.push_back(toCandle(s, interval, b, true));
    s.closes[size_t(interval)].push(b.close);
    s.indicatorBucket[size_t(interval)] = b.start;
}

void CandleBuilder::takeUpdates(std::vector<Candle> &out)
{
    // Quiet symbols: the idle-close rule may have passed their buckets' ends.
    if (m_config.idleCloseMs > 0 && m_globalMaxTs != kNoTime) {
        for (auto &entry : m_symbols)
            finalizeUpTo(*entry.second, watermarkOf(*entry.second));
    }
    out.insert(out.end(), std::make_move_iterator(m_pendingFinal.begin()),
               std::make_move_iterator(m_pendingFinal.end()));
    m_pendingFinal.clear();

    for (auto it = m_symbols.begin(); it != m_symbols.end();) {
        SymbolState &s = *it->second;
        bool anyOpen = false;
        for (size_t i = 0; i < s.open.size(); ++i) {
            for (Bucket &b : s.open[i]) {
                anyOpen = true;
                if (s.anyDirty && b.dirty) {
                    out.push_back(toCandle(s, int(i), b, false));
                    b.dirty = false;
                }
            }
        }
        s.anyDirty = false;
        const bool idle = !anyOpen && m_config.idleCloseMs > 0 && s.maxTs != kNoTime
                          && m_globalMaxTs - s.maxTs > m_config.evictAfterMs;
        if (idle) {  // its last final candle was evictAfterMs ago: its snapshot is long taken
            if (m_last == &s)
                m_last = nullptr;
            it = m_symbols.erase(it);
        } else {
            ++it;
        }
    }
}

void CandleBuilder::takeIndicators(std::vector<IndicatorSnapshot> &out)
{
    for (auto &entry : m_symbols) {
        SymbolState &s = *entry.second;
        for (size_t i = 0; i < s.indicatorBucket.size(); ++i) {
            if (s.indicatorBucket[i] == kNoTime)
                continue;
            IndicatorSnapshot snap;
            snap.symbol = s.symbol;
            snap.currency = s.currency;
            snap.asset = s.asset;
            snap.intervalSec = m_config.intervalsSec[i];
            snap.bucketStartMs = s.indicatorBucket[i];
            snap.sma = s.closes[i].sma();
            snap.ema = s.closes[i].ema();
            snap.change24hPct = s.prices.change24hPct();
            snap.changeSessionPct = s.prices.changeSessionPct();
            out.push_back(std::move(snap));
            s.indicatorBucket[i] = kNoTime;
        }
    }
}

size_t CandleBuilder::openCandleCount() const
{
    size_t n = 0;
    for (const auto &entry : m_symbols)
        for (const auto &buckets : entry.second->open)
            n += buckets.size();
    return n;
}

}  // namespace ms
