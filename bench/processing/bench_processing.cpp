// Prints single-core throughput of the processing hot path: CandleBuilder::add (4 intervals,
// 6 symbols, ticks slightly out of order, takeUpdates every 10k ticks as the consumer does), and of
// the tick codec (decodeTick / encodeTick on v1 JSON), and of the feed gap detector (batches of
// 10k ticks, half of the symbols stocks outside market hours). Figures only; never an assertion.
//   build-*/bench/processing/bench_processing [ticks]
#include "codec/tick_codec.h"
#include "processing/candle_builder.h"
#include "processing/gap_detector.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace ms;

namespace {

std::vector<Tick> makeTicks(size_t n, qint64 meanStepUs)
{
    const char *syms[] = {"BTC", "ETH", "BNB", "AAPL", "MSFT", "GOOGL"};
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<int> pick(0, 5), jitter(0, 500), step(0, int(2 * meanStepUs));
    std::uniform_real_distribution<double> move(-0.001, 0.001), vol(0.0, 2.0);
    double price[6] = {43000, 2300, 310, 190, 370, 135};
    std::vector<Tick> ticks(n);
    qint64 us = 1700000000000000LL;
    for (size_t i = 0; i < n; ++i) {
        us += step(rng);
        const int s = pick(rng);
        price[s] *= 1 + move(rng);
        Tick &t = ticks[i];
        t.symbol = syms[s];
        t.asset = s < 3 ? AssetClass::Crypto : AssetClass::Stock;
        t.price = std::round(price[s] * 100) / 100;
        t.volume = (i % 10 == 0) ? 0 : std::round(vol(rng) * 1e4) / 1e4;
        t.kind = t.volume == 0 ? TickKind::Quote : TickKind::Trade;
        t.tsMs = us / 1000 - (i % 4 == 0 ? jitter(rng) : 0);  // a quarter up to 0.5 s late
        t.id = "sim-" + std::to_string(i);
    }
    return ticks;
}

template <typename F>
double seconds(F &&f)
{
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void benchBuilder(const std::vector<Tick> &ticks, const char *label)
{
    double best = 1e9;
    size_t rows = 0, dropped = 0;
    for (int rep = 0; rep < 3; ++rep) {
        CandleBuilder b;  // 1 s, 1 min, 5 min, 1 h; lateness 10 s
        std::vector<Candle> out;
        out.reserve(4096);
        std::vector<IndicatorSnapshot> ind;
        rows = 0;
        const double s = seconds([&] {
            for (size_t i = 0; i < ticks.size(); ++i) {
                dropped += b.add(ticks[i]).droppedAny();
                if (i % 10000 == 9999) {
                    b.takeUpdates(out);
                    b.takeIndicators(ind);
                    rows += out.size();
                    out.clear();
                    ind.clear();
                }
            }
        });
        best = std::min(best, s);
    }
    std::printf("CandleBuilder::add %-26s %6.2f M ticks/s  (%zu ticks, best of 3: %.3f s, %zu candle rows/run, %.1f rows per 10k ticks)\n",
                label, double(ticks.size()) / best / 1e6, ticks.size(), best, rows,
                double(rows) / (double(ticks.size()) / 10000));
}

// As the consumer runs it: per 10k-tick batch a copy of the committed detector takes the ticks,
// hands back its changed states, and becomes the committed one.
void benchGaps(const std::vector<Tick> &ticks, const char *label)
{
    double best = 1e9;
    size_t gaps = 0;
    for (int rep = 0; rep < 3; ++rep) {
        GapDetector committed;
        std::vector<FeedGap> found;
        std::vector<GapStreamState> states;
        gaps = 0;
        best = std::min(best, seconds([&] {
            for (size_t begin = 0; begin < ticks.size(); begin += 10000) {
                GapDetector working = committed;
                for (size_t i = begin; i < std::min(ticks.size(), begin + 10000); ++i)
                    working.add(ticks[i], 0, found);
                working.takeChanged(states);
                committed = std::move(working);
                gaps += found.size();
                found.clear();
                states.clear();
            }
        }));
    }
    std::printf("GapDetector::add %-28s %6.2f M ticks/s  (%zu ticks, best of 3: %.3f s, %zu gaps)\n", label,
                double(ticks.size()) / best / 1e6, ticks.size(), best, gaps);
}

}  // namespace

int main(int argc, char **argv)
{
    const size_t n = argc > 1 ? size_t(std::atoll(argv[1])) : 3000000;
    std::printf("bench_processing: %zu ticks, 6 symbols, one core\n", n);

    benchBuilder(makeTicks(n, 4), "(250k ticks/s event rate)");
    benchBuilder(makeTicks(n, 500), "(2k ticks/s event rate)");
    benchGaps(makeTicks(n, 4), "(250k ticks/s event rate)");

    const std::vector<Tick> ticks = makeTicks(n, 4);
    std::vector<std::string> json(ticks.size());
    double best = 1e9;
    size_t bytes = 0;
    for (int rep = 0; rep < 3; ++rep) {
        bytes = 0;
        best = std::min(best, seconds([&] {
            for (size_t i = 0; i < ticks.size(); ++i) {
                json[i].clear();
                encodeTick(ticks[i], json[i]);
                bytes += json[i].size();
            }
        }));
    }
    std::printf("encodeTick                                   %6.2f M ticks/s  (avg %.0f bytes)\n",
                double(n) / best / 1e6, double(bytes) / double(n));

    best = 1e9;
    size_t ok = 0;
    for (int rep = 0; rep < 3; ++rep) {
        ok = 0;
        best = std::min(best, seconds([&] {
            for (size_t i = 0; i < json.size(); ++i)
                ok += isTick(decodeTick(json[i], ticks[i].asset));
        }));
    }
    std::printf("decodeTick                                   %6.2f M ticks/s  (%zu/%zu decoded)\n",
                double(n) / best / 1e6, ok, n);
    return ok == n ? 0 : 1;
}
