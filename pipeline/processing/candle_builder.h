#pragma once
// Event-time OHLCV + VWAP candles per (asset class, symbol, currency) for a set of intervals, with a
// watermark, allowed lateness and indicators. Pure logic: no I/O, no Qt beyond QtGlobal, not
// thread-safe (one builder per consumer thread).
//
// Candle rules
// - Bucket = [floor(ts / I) * I, +I) in UTC epoch ms: a tick exactly at a bucket's end belongs to
//   the next bucket.
// - open = price of the tick with the EARLIEST event time, close = the LATEST; ties on event time:
//   the earlier arrival keeps `open`, the later arrival takes `close`. Any arrival order within the
//   lateness therefore gives the candle of the event-time-sorted (stable) input.
// - high/low/trades/first/last over all merged ticks; trades and quotes alike (volume 0 allowed).
// - Sums are guarded: a tick that would make any of them non-finite is refused (AddOutcome::
//   nonFiniteSum) and changes nothing, so every emitted candle is finite.
// - vwap = sum(price*volume)/sum(volume). When the bucket's volume is 0 (quotes only): the
//   arithmetic mean of the merged prices (order-independent, and SQL-recomputable as avg(price)).
//   Zero-volume ticks do not move the VWAP once the bucket has volume.
//   sum(price*volume) is not stored in ms::Candle: restore() recovers it as vwap*volume (the stored
//   columns stay those of the original schema; the relative error is ~1e-16, far below a cent).
//
// Watermark (PER SYMBOL: one symbol lives on one Kafka partition, and stock and crypto clocks differ)
//   wm(symbol) = max(maxEventTs(symbol) - allowedLatenessMs,  maxEventTs(all symbols) - idleCloseMs)
// The second term closes the candles of a symbol that went quiet (a stock after the close) once the
// builder's event time has moved idleCloseMs past them; idleCloseMs = 0 disables it. Only ticks
// merged into at least one interval move the maxima.
// - A candle is FINAL when wm >= its bucket end; it is emitted once with final=true and dropped
//   from state.
// - A tick whose bucket is already final (bucket end <= wm) is DROPPED-LATE for that interval:
//   never merged, counted per interval and per tick, and reported in AddOutcome so the caller can
//   log and record it. The tick itself must still be stored by the caller.
// - A late tick inside the lateness updates its open candle, which is emitted again.
//
// Emission: takeUpdates() appends every candle finalized since the last call (final=true) and every
// open candle changed since the last call (final=false), each key at most once per call.
//
// Memory: per symbol, the open buckets (about lateness/interval + 2 per interval), SMA/EMA closes per
// interval and a 24 h minute ring (indicators.h). A symbol with no open bucket whose last tick is
// evictAfterMs behind the builder's event time is evicted entirely.
#include "model/candle.h"
#include "model/indicators.h"
#include "model/tick.h"

#include <QtGlobal>

#include <bit>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ms {

struct CandleConfig
{
    std::vector<qint32> intervalsSec{1, 60, 300, 3600};  // at most kMaxIntervals, each > 0
    qint64 allowedLatenessMs = 10000;
    qint64 idleCloseMs = 3600000;     // cross-symbol rule above; 0 = off
    qint64 evictAfterMs = 86400000;   // raised to idleCloseMs + largest interval + lateness if lower
    int smaPeriod = 20;
    int emaPeriod = 20;

    static constexpr int kMaxIntervals = 16;
};

struct AddOutcome
{
    quint32 droppedLateMask = 0;  // bit i set: too late for config.intervalsSec[i]
    bool invalid = false;         // non-finite or non-positive price, negative/non-finite volume
    bool nonFiniteSum = false;    // refused: merging it would make a candle sum (volume, price*volume,
                                  // sum of prices) non-finite; nothing changed
    quint32 replayedMask = 0;     // bit i set: the bucket was already final in the candles given to
                                  // restore(..., ReplayFromStart): a replayed tick, already counted
                                  // there; neither merged nor late (do not log or record it)
    qint64 watermarkMs = 0;       // the symbol's watermark the decision was made against
                                  // (INT64_MIN before its first tick); for late_ticks.watermark

    bool droppedAny() const { return droppedLateMask != 0; }
    int droppedCount() const { return std::popcount(droppedLateMask); }
};

class CloseHistory;
class PriceHistory;

class CandleBuilder
{
public:
    enum class RestoreMode {
        // The input resumes right after what the stored candles contain (stored Kafka offsets).
        Resume,
        // The input is replayed from its beginning (a fresh embedded broker: no stored offsets for
        // this cluster, and the deterministic source produces the same ticks again). Open candles
        // are NOT restored (the replay rebuilds them; restoring them would merge ticks twice);
        // final candles refill SMA/EMA and mark their buckets closed: replayed ticks for them are
        // ignored (AddOutcome::replayedMask). The watermark restarts with the replay.
        ReplayFromStart,
    };

    explicit CandleBuilder(CandleConfig config = {});
    ~CandleBuilder();
    CandleBuilder(const CandleBuilder &) = delete;
    CandleBuilder &operator=(const CandleBuilder &) = delete;

    // Hot path: merges one tick into every interval (no allocation in steady state).
    AddOutcome add(const Tick &tick);

    // Appends finalized candles then changed open candles (see above); clears the change marks.
    // Also applies the idle-close rule to quiet symbols and evicts idle ones.
    void takeUpdates(std::vector<Candle> &out);

    // Appends one snapshot per (symbol, interval) that finalized a candle since the last call.
    void takeIndicators(std::vector<IndicatorSnapshot> &out);

    // Rebuilds state after a restart from the candles the database holds (any order, any mix of
    // final and open; intervals not configured are ignored). Pass, per (asset, symbol, currency,
    // interval), every candle with bucket_start >= (latest bucket_start - restoreLookbackMs(i)).
    // Open candles become open state again (their sum(price*volume) recovered as vwap*volume); the
    // watermark is the latest last_ts; final closes refill SMA/EMA; closes refill the 24 h ring.
    // Call on a fresh builder, before add(). Candles that the restored watermark already closes are
    // emitted final by the next takeUpdates().
    void restore(std::span<const Candle> storedCandles, RestoreMode mode = RestoreMode::Resume);

    // How far back (from the newest bucket of that interval) restore() wants candles of interval i.
    qint64 restoreLookbackMs(int intervalIndex) const;

    const CandleConfig &config() const { return m_config; }
    qint64 droppedLate(int intervalIndex) const { return m_droppedPerInterval[size_t(intervalIndex)]; }
    qint64 droppedLateTicks() const { return m_droppedTicks; }  // ticks dropped for >= 1 interval
    qint64 invalidTicks() const { return m_invalidTicks; }
    qint64 nonFiniteTicks() const { return m_nonFiniteTicks; }  // refused by the sum guard
    // Effective watermark of a symbol (INT64_MIN when nothing is known about it).
    qint64 watermarkMs(AssetClass asset, std::string_view symbol, std::string_view currency) const;
    size_t symbolCount() const { return m_symbols.size(); }
    size_t openCandleCount() const;

private:
    struct Bucket;
    struct SymbolState;
    struct KeyView
    {
        AssetClass asset;
        std::string_view symbol, currency;
    };
    struct KeyHash
    {
        using is_transparent = void;
        size_t operator()(const KeyView &k) const;
    };
    struct KeyEq
    {
        using is_transparent = void;
        bool operator()(const KeyView &a, const KeyView &b) const
        {
            return a.asset == b.asset && a.symbol == b.symbol && a.currency == b.currency;
        }
    };
    // Keys view the strings owned by their SymbolState (stable: heap-allocated).
    using SymbolMap = std::unordered_map<KeyView, std::unique_ptr<SymbolState>, KeyHash, KeyEq>;

    SymbolState &stateFor(AssetClass asset, std::string_view symbol, std::string_view currency);
    qint64 watermarkOf(const SymbolState &s) const;
    void finalizeUpTo(SymbolState &s, qint64 watermark);
    void emitFinal(SymbolState &s, int interval, const Bucket &b);
    Candle toCandle(const SymbolState &s, int interval, const Bucket &b, bool final) const;

    CandleConfig m_config;
    std::vector<qint64> m_intervalMs;
    SymbolMap m_symbols;
    SymbolState *m_last = nullptr;  // cache: consecutive ticks of one symbol skip the hash lookup
    qint64 m_globalMaxTs;
    std::vector<Candle> m_pendingFinal;
    std::vector<qint64> m_droppedPerInterval;
    qint64 m_droppedTicks = 0;
    qint64 m_invalidTicks = 0;
    qint64 m_nonFiniteTicks = 0;
};

}  // namespace ms
