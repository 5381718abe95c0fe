#pragma once
// A hole in a market feed, found by processing/gap_detector.h on the ticks as they are stored, and
// the detector's per-stream state (stored with the ticks so a restart resumes where the last
// committed batch left off). Table feed_gaps / feed_gap_state (migration 051).
#include "model/tick.h"

#include <QtGlobal>
#include <string>
#include <string_view>

namespace ms {

enum class GapKind : quint8 {
    Silence,  // no tick for longer than the symbol's usual spacing allows (market hours only)
    Sequence, // the provider's trade sequence jumped: ids are missing
};

inline std::string_view wireName(GapKind k)
{
    return k == GapKind::Silence ? "silence" : "sequence";
}

struct FeedGap
{
    SourceKind source = SourceKind::Simulator;
    AssetClass asset = AssetClass::Crypto;
    std::string symbol;
    GapKind kind = GapKind::Silence;
    std::string stream; // sequence gaps: the id prefix of the stream (e.g. "t-Coinbase-USD-"); ""
                        // for silence
    qint64 startMs = 0; // event time of the last tick before the hole
    qint64 endMs = 0;   // event time of the first tick after it
    qint64 missing = 0; // sequence gaps: how many ids are missing; 0 for silence
    qint64 thresholdMs =
        0; // silence gaps: the silence the detector allowed (market time); 0 for sequence
    qint64 detectedAtMs = 0; // wall clock of the consumer that found it (not part of the key)

    bool operator==(const FeedGap &) const = default;
};

// One stream's detector state. stream "" is the (source, asset, symbol) silence state: lastTsMs,
// the mean spacing in `estimate` (ms of market time) over `samples` spacings. A non-empty stream is
// a provider sequence: lastSeq, the learned stride in `estimate`, `samples` steps that confirmed
// it.
struct GapStreamState
{
    SourceKind source = SourceKind::Simulator;
    AssetClass asset = AssetClass::Crypto;
    std::string symbol;
    std::string stream;
    qint64 lastTsMs = 0;
    qint64 lastSeq = 0;
    double estimate = 0;
    qint32 samples = 0;

    bool operator==(const GapStreamState &) const = default;
};

} // namespace ms
