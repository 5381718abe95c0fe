#include "sources/market_simulator.h"

#include <cmath>
#include <string_view>

namespace ms {

namespace {

uint64_t splitmix64(uint64_t &x)
{
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t fnv1a(std::string_view s)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

// Plausible starting prices for the original pipeline's symbols; others get a hash-derived price.
double startPrice(const SimulatedSymbol &s)
{
    static const std::pair<std::string_view, double> known[] = {
        {"BTC", 43000.0}, {"ETH", 2300.0}, {"BNB", 310.0},  {"SOL", 95.0},   {"XRP", 0.62},
        {"AAPL", 190.0},  {"MSFT", 370.0}, {"GOOGL", 140.0}, {"AMZN", 150.0}, {"TSLA", 240.0}};
    for (const auto &[name, price] : known) {
        if (s.symbol == name)
            return price;
    }
    return 20.0 + double(fnv1a(s.symbol) % 48000) / 100.0;
}

// Rounds to 1/unitsPerOne (100 → cents). Dividing the whole count by the exact integer unitsPerOne gives
// the double nearest the decimal (189.39); multiplying by an inexact step such as 0.01 did not
// (18939 * 0.01 = 189.39000000000001), and that noise reached every export and chart label.
double roundTo(double v, double unitsPerOne)
{
    return std::round(v * unitsPerOne) / unitsPerOne;
}

}  // namespace

MarketSimulator::MarketSimulator(SimulatorOptions options) : m_options(std::move(options))
{
    uint64_t s = m_options.seed;
    for (auto &r : m_rng)
        r = splitmix64(s);
    m_idPrefix = "sim-" + std::to_string(m_options.seed) + "-";
    for (const auto &sym : m_options.symbols) {
        const bool crypto = sym.asset == AssetClass::Crypto;
        // Annualised volatility ~60% crypto, ~25% stocks, spread over ~1 tick per 10 ms per symbol.
        const double annualVol = crypto ? 0.60 : 0.25;
        const double ticksPerYear = 365.0 * 24 * 3600 * 100;
        m_state.push_back(State{startPrice(sym), annualVol / std::sqrt(ticksPerYear) * 30.0,
                                crypto ? 5000.0 / startPrice(sym) : 200.0, !crypto});
    }
}

uint64_t MarketSimulator::nextU64()
{
    // xoshiro256**
    const uint64_t result = rotl(m_rng[1] * 5, 7) * 9;
    const uint64_t t = m_rng[1] << 17;
    m_rng[2] ^= m_rng[0];
    m_rng[3] ^= m_rng[1];
    m_rng[1] ^= m_rng[2];
    m_rng[0] ^= m_rng[3];
    m_rng[2] ^= t;
    m_rng[3] = rotl(m_rng[3], 45);
    return result;
}

double MarketSimulator::nextUniform()
{
    return (double(nextU64() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

double MarketSimulator::nextNormal()
{
    if (m_spareNormal) {
        const double v = *m_spareNormal;
        m_spareNormal.reset();
        return v;
    }
    // Box-Muller: two normals per pair of uniforms.
    const double u1 = nextUniform();
    const double u2 = nextUniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double theta = 6.283185307179586 * u2;
    m_spareNormal = r * std::sin(theta);
    return r * std::cos(theta);
}

void MarketSimulator::generate(size_t count, std::vector<Tick> &out, qint64 wallClockMs)
{
    if (m_options.symbols.empty())
        return;
    const size_t n = m_options.symbols.size();
    out.reserve(out.size() + count);
    for (size_t i = 0; i < count; ++i, ++m_seq) {
        const size_t k = size_t(m_seq % n);
        const auto &sym = m_options.symbols[k];
        State &st = m_state[k];
        const double z = nextNormal();
        // GBM step without drift: S *= exp(-σ²/2 + σ z) keeps E[S] constant.
        st.price *= std::exp(-0.5 * st.sigmaStep * st.sigmaStep + st.sigmaStep * z);
        Tick &t = out.emplace_back();
        t.source = SourceKind::Simulator;
        t.kind = TickKind::Trade;
        t.asset = sym.asset;
        t.symbol = sym.symbol;
        t.currency = m_options.currency;
        const double unitsPerOne = st.price >= 10 ? 100.0 : st.price >= 0.1 ? 10000.0 : 100000000.0;
        t.price = std::max(1.0 / unitsPerOne, roundTo(st.price, unitsPerOne));
        // Log-normal trade size, whole shares for stocks.
        const double size = st.volumeScale * std::exp(0.8 * nextNormal() - 3.0);
        t.volume = st.wholeShares ? std::max(1.0, std::round(size)) : roundTo(size, 100000.0);
        if (m_options.startTimeMs) {
            const double rate = m_options.eventRate > 0 ? m_options.eventRate : 1000.0;
            t.tsMs = *m_options.startTimeMs + qint64(double(m_seq) * 1000.0 / rate);
        } else {
            t.tsMs = wallClockMs;
        }
        t.id = m_idPrefix;
        t.id += std::to_string(m_seq);
    }
}

size_t RatePacer::due(qint64 elapsedUs, uint64_t emitted) const
{
    if (m_rate <= 0)
        return m_maxBurst;  // as fast as possible
    const double target = m_rate * double(elapsedUs) / 1e6;
    if (target <= double(emitted))
        return 0;
    const double owed = target - double(emitted);
    return size_t(std::min(owed, double(m_maxBurst)));
}

}  // namespace ms
