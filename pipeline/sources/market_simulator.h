#pragma once
// A deterministic market: geometric-Brownian prices and plausible volumes for a set of symbols.
// Pure generator (no Qt event loop, no I/O). Same seed and options → same sequence of ids, prices
// and volumes; with a fixed start time the event times (and so the encoded ticks) are identical too.
#include "model/tick.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ms {

struct SimulatedSymbol
{
    std::string symbol;
    AssetClass asset = AssetClass::Crypto;
};

struct SimulatorOptions
{
    std::vector<SimulatedSymbol> symbols;
    std::string currency = "USD";
    uint64_t seed = 42;
    // Event-time origin. Unset: event times come from the wall clock at generation.
    std::optional<qint64> startTimeMs;
    // Event-time spacing when startTimeMs is set: ticks per second of event time (over all symbols).
    double eventRate = 1000;
};

class MarketSimulator
{
public:
    explicit MarketSimulator(SimulatorOptions options);

    // Appends `count` ticks (round-robin over the symbols) to `out`. `wallClockMs` is used for the
    // event time only when no start time was configured.
    void generate(size_t count, std::vector<Tick> &out, qint64 wallClockMs);
    uint64_t generated() const { return m_seq; }
    const SimulatorOptions &options() const { return m_options; }

private:
    struct State
    {
        double price;       // GBM state, unrounded
        double sigmaStep;   // volatility per tick
        double volumeScale;
        bool wholeShares;
    };
    uint64_t nextU64();
    double nextUniform();   // (0, 1)
    double nextNormal();

    SimulatorOptions m_options;
    std::vector<State> m_state;
    uint64_t m_rng[4];
    uint64_t m_seq = 0;
    std::optional<double> m_spareNormal;
    std::string m_idPrefix;
};

// Converts elapsed time into "ticks due" for a target rate: count-based, so tests can drive it with
// a fake clock and the simulator never drifts (it catches up after a stall, bounded by maxBurst).
class RatePacer
{
public:
    RatePacer(double ratePerSecond, size_t maxBurst) : m_rate(ratePerSecond), m_maxBurst(maxBurst) {}
    // Ticks to emit now, given microseconds elapsed since start and ticks already emitted.
    size_t due(qint64 elapsedUs, uint64_t emitted) const;

private:
    double m_rate;
    size_t m_maxBurst;
};

}  // namespace ms
