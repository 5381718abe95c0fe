// Prints how many ticks per second the simulator generates (and encodes) on one core.
#include "codec/tick_codec.h"
#include "sources/market_simulator.h"

#include <chrono>
#include <cstdio>

int main()
{
    using namespace ms;
    SimulatorOptions o;
    for (const char *s : {"BTC", "ETH", "BNB"})
        o.symbols.push_back({s, AssetClass::Crypto});
    for (const char *s : {"AAPL", "MSFT", "GOOGL"})
        o.symbols.push_back({s, AssetClass::Stock});
    MarketSimulator sim(o);
    std::vector<Tick> batch;
    const size_t total = 5000000, chunk = 10000;
    std::string buf;
    size_t bytes = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (size_t done = 0; done < total; done += chunk) {
        batch.clear();
        sim.generate(chunk, batch, 0);
    }
    auto t1 = std::chrono::steady_clock::now();
    for (size_t done = 0; done < total; done += chunk) {
        batch.clear();
        sim.generate(chunk, batch, 0);
        for (const auto &t : batch) {
            buf.clear();
            encodeTick(t, buf);
            bytes += buf.size();
        }
    }
    auto t2 = std::chrono::steady_clock::now();
    const double gen = std::chrono::duration<double>(t1 - t0).count();
    const double genEnc = std::chrono::duration<double>(t2 - t1).count();
    std::printf("simulator generate:          %.2f M ticks/s (%zu ticks, %.3f s)\n", total / gen / 1e6, total, gen);
    std::printf("simulator generate + encode: %.2f M ticks/s (avg %.0f bytes/tick)\n", total / genEnc / 1e6,
                double(bytes) / double(total));
    return 0;
}
