#pragma once
// GapDetector: finds holes in a market feed from the ticks as they are stored. Pure (no I/O, no
// clock: the caller passes the detection time). One per consumer; state per (source, asset, symbol)
// and per provider sequence stream, restorable from GapStreamState rows (see model/feed_gap.h).
//
// Silence. The usual spacing of a symbol's ticks is learned as a mean of event-time spacings in
// market time (market_hours.h: a stock's weekend or night is not counted; crypto always trades):
// a running mean over the first `warmupSamples` spacings, then an EWMA (weight `ewmaWeight`) whose
// samples are capped at 4× the mean so one long pause cannot teach it that pauses are normal.
// After the warm-up, a spacing whose market time exceeds max(minSilenceMs, silenceFactor × mean)
// is a gap [previous tick, this tick] (and is not learned). For Poisson arrivals the default factor
// 20 flags a healthy feed with probability e^-20 ≈ 2e-9 per tick. A tick not newer than the newest
// one seen (late, or in the same millisecond) neither learns nor judges.
//
// Sequence. Only providers whose ids number the trades of one stream contiguously:
//   simulator:          "sim-<seed>-<n>", n counts over all symbols (per symbol the stride is the
//                        number of simulated symbols); the stream is the prefix "sim-<seed>-";
//   CryptoCompare:      streamer trades "t-<market>-<currency>-<exchange trade id>" from the
//   markets
//                        in `sequencedMarkets` (exchanges that number trades per pair: Coinbase,
//                        Binance); other exchanges' ids are not contiguous per pair.
// Replay files, Finnhub (no trade id) and REST quotes have no sequence. Even then a stream is
// judged only after `sequenceWarmup` consecutive equal steps (its stride); a step that is a larger
// multiple of the stride is a gap with step/stride − 1 ids missing; any other step (reordering, a
// reset) starts the learning again rather than guess.
//
// The detector never fills a gap: it only reports it.
#include "model/feed_gap.h"
#include "model/tick.h"

#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace ms {

struct GapConfig
{
    double silenceFactor = 20;
    qint64 minSilenceMs = 5000; // a silence shorter than this is never a gap
    int warmupSamples = 16;     // spacings learned before silence is judged
    double ewmaWeight = 1.0 / 16;
    int sequenceWarmup = 8; // equal steps before a sequence is judged
    std::vector<std::string> sequencedMarkets{"Coinbase",
                                              "Binance"}; // CryptoCompare, case-insensitive
};

class GapDetector
{
public:
    explicit GapDetector(GapConfig config = {});

    // Replaces the state of the streams given (rows read back from feed_gap_state).
    void restore(std::span<const GapStreamState> states);
    void clear();
    // One stored tick, in arrival order; appends what it reveals to `out`.
    void add(const Tick &tick, qint64 detectedAtMs, std::vector<FeedGap> &out);
    // The state of every stream changed since the last call (to store with the batch).
    void takeChanged(std::vector<GapStreamState> &out);

    // The silence a symbol may keep before it is a gap, in market ms (0 while warming up).
    qint64 allowedSilenceMs(SourceKind source, AssetClass asset, const std::string &symbol) const;
    const GapConfig &config() const { return m_config; }

    // The sequence stream and number of an id, when its provider numbers trades (empty stream:
    // none).
    struct SequenceId
    {
        std::string stream;
        qint64 number = 0;
    };
    SequenceId sequenceOf(const Tick &tick) const;

private:
    using Key = std::tuple<SourceKind, AssetClass, std::string, std::string>; // stream "" = silence
    struct State
    {
        qint64 lastTsMs = 0;
        qint64 lastSeq = 0;
        double estimate = 0;
        qint32 samples = 0;
        bool dirty = false;
    };
    void addSilence(const Tick &tick, qint64 detectedAtMs, std::vector<FeedGap> &out);
    void addSequence(const Tick &tick, const SequenceId &seq, qint64 detectedAtMs,
                     std::vector<FeedGap> &out);
    qint64 allowed(const State &s) const;

    GapConfig m_config;
    std::map<Key, State> m_states;
};

} // namespace ms
