#include "processing/gap_detector.h"

#include "processing/market_hours.h"

#include <QtGlobal>
#include <algorithm>
#include <cmath>

namespace ms {

namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x | 0x20) == (y | 0x20);
           });
}

} // namespace

GapDetector::GapDetector(GapConfig config) : m_config(std::move(config))
{
    m_config.warmupSamples = std::max(1, m_config.warmupSamples);
    m_config.sequenceWarmup = std::max(1, m_config.sequenceWarmup);
    m_config.ewmaWeight = std::clamp(m_config.ewmaWeight, 1e-6, 1.0);
}

void GapDetector::restore(std::span<const GapStreamState> states)
{
    for (const GapStreamState &g : states) {
        State &s = m_states[Key{g.source, g.asset, g.symbol, g.stream}];
        s.lastTsMs = g.lastTsMs;
        s.lastSeq = g.lastSeq;
        s.estimate = std::isfinite(g.estimate) && g.estimate >= 0 ? g.estimate : 0;
        s.samples = std::max<qint32>(0, g.samples);
        s.dirty = false;
    }
}

void GapDetector::clear()
{
    m_states.clear();
}

GapDetector::SequenceId GapDetector::sequenceOf(const Tick &tick) const
{
    if (tick.kind != TickKind::Trade)
        return {};
    const std::string &id = tick.id;
    size_t digits = 0;
    while (digits < id.size() && id[id.size() - 1 - digits] >= '0' &&
           id[id.size() - 1 - digits] <= '9')
        ++digits;
    // At most 18 digits: the number and any difference of two fit in qint64.
    if (digits == 0 || digits > 18 || digits == id.size())
        return {};
    const std::string_view prefix(id.data(), id.size() - digits);
    if (tick.source == SourceKind::Simulator) {
        if (!prefix.starts_with("sim-"))
            return {};
    } else if (tick.source == SourceKind::CryptoCompare) {
        // "t-<market>-<currency>-<id>"
        if (!prefix.starts_with("t-"))
            return {};
        const std::string_view rest = prefix.substr(2);
        const size_t dash = rest.find('-');
        if (dash == std::string_view::npos)
            return {};
        const std::string_view market = rest.substr(0, dash);
        if (std::none_of(m_config.sequencedMarkets.begin(), m_config.sequencedMarkets.end(),
                         [&](const std::string &m) { return equalsIgnoringCase(m, market); }))
            return {};
    } else {
        return {};
    }
    qint64 n = 0;
    for (size_t i = id.size() - digits; i < id.size(); ++i)
        n = n * 10 + (id[i] - '0');
    return {std::string(prefix), n};
}

qint64 GapDetector::allowed(const State &s) const
{
    if (s.samples < m_config.warmupSamples)
        return 0;
    const double byRate = m_config.silenceFactor * s.estimate;
    const double capped = std::min(byRate, 9.0e15); // far beyond any sane tick time span
    return std::max(m_config.minSilenceMs, qint64(std::ceil(capped)));
}

qint64 GapDetector::allowedSilenceMs(SourceKind source, AssetClass asset,
                                     const std::string &symbol) const
{
    const auto it = m_states.find(Key{source, asset, symbol, std::string()});
    return it == m_states.end() ? 0 : allowed(it->second);
}

void GapDetector::add(const Tick &tick, qint64 detectedAtMs, std::vector<FeedGap> &out)
{
    addSilence(tick, detectedAtMs, out);
    const SequenceId seq = sequenceOf(tick);
    if (!seq.stream.empty())
        addSequence(tick, seq, detectedAtMs, out);
}

void GapDetector::addSilence(const Tick &tick, qint64 detectedAtMs, std::vector<FeedGap> &out)
{
    auto [it, fresh] =
        m_states.try_emplace(Key{tick.source, tick.asset, tick.symbol, std::string()});
    State &s = it->second;
    if (fresh) {
        s.lastTsMs = tick.tsMs;
        s.dirty = true;
        return;
    }
    if (tick.tsMs <= s.lastTsMs)
        return; // late or same millisecond: no spacing to learn from
    const qint64 spacing = openMarketMs(tick.asset, s.lastTsMs, tick.tsMs);
    const qint64 limit = allowed(s);
    if (limit > 0 && spacing > limit) {
        out.push_back(FeedGap{tick.source,
                              tick.asset,
                              tick.symbol,
                              GapKind::Silence,
                              {},
                              s.lastTsMs,
                              tick.tsMs,
                              0,
                              limit,
                              detectedAtMs});
    } else if (spacing > 0) {
        const double x = double(spacing);
        if (s.samples < m_config.warmupSamples) {
            s.estimate += (x - s.estimate) / double(s.samples + 1);
            ++s.samples;
        } else {
            const double sample = std::min(x, 4.0 * std::max(s.estimate, 1.0));
            s.estimate += m_config.ewmaWeight * (sample - s.estimate);
        }
    }
    s.lastTsMs = tick.tsMs;
    s.dirty = true;
}

void GapDetector::addSequence(const Tick &tick, const SequenceId &seq, qint64 detectedAtMs,
                              std::vector<FeedGap> &out)
{
    auto [it, fresh] = m_states.try_emplace(Key{tick.source, tick.asset, tick.symbol, seq.stream});
    State &s = it->second;
    s.dirty = true;
    const qint64 prevTs = s.lastTsMs;
    s.lastTsMs = std::max(s.lastTsMs, tick.tsMs);
    if (fresh) {
        s.lastSeq = seq.number;
        s.lastTsMs = tick.tsMs;
        return;
    }
    const qint64 step = seq.number - s.lastSeq; // both < 10^18: no overflow
    const qint64 stride = qint64(s.estimate);
    s.lastSeq = seq.number;
    if (step <= 0) { // reordered or restarted: learn again
        s.estimate = 0;
        s.samples = 0;
        return;
    }
    if (s.samples >= m_config.sequenceWarmup && stride > 0) {
        if (step == stride)
            return;
        if (step % stride == 0) {
            out.push_back(FeedGap{tick.source, tick.asset, tick.symbol, GapKind::Sequence,
                                  seq.stream, prevTs, std::max(prevTs, tick.tsMs),
                                  step / stride - 1, 0, detectedAtMs});
            return;
        }
    } else if (stride > 0 && step == stride) {
        ++s.samples;
        return;
    }
    s.estimate = double(step); // a new candidate stride
    s.samples = 1;
}

void GapDetector::takeChanged(std::vector<GapStreamState> &out)
{
    for (auto &[key, s] : m_states) {
        if (!s.dirty)
            continue;
        s.dirty = false;
        out.push_back(GapStreamState{std::get<0>(key), std::get<1>(key), std::get<2>(key),
                                     std::get<3>(key), s.lastTsMs, s.lastSeq, s.estimate,
                                     s.samples});
    }
}

} // namespace ms
