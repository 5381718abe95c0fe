#pragma once
// The fixed tick set of the exactly-once tests.
#include "model/tick.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace ms::test {

// Unique event times per symbol (the SQL check breaks ties by trade_id, the builder by arrival),
// slightly out of order, with zero-volume quotes and re-delivered copies far too late.
inline std::vector<Tick> makeInput(std::mt19937_64 &rng, int count)
{
    const char *syms[] = {"BTC", "ETH", "AAPL", "MSFT"};
    std::uniform_int_distribution<int> pick(0, 3), step(1, 40), jitter(0, 3000), pct(-30, 30);
    double price[4] = {43000, 2300, 190, 370};
    qint64 ts = 1700000000000LL;
    std::vector<Tick> out;
    std::set<std::pair<int, qint64>> used;
    for (int i = 0; i < count; ++i) {
        ts += step(rng);
        const int s = pick(rng);
        qint64 t = ts - ((i % 3 == 0) ? jitter(rng) : 0);
        while (!used.insert({s, t}).second)
            ++t;
        price[s] = std::round(price[s] * (1 + pct(rng) / 10000.0) * 100) / 100;
        Tick k;
        k.symbol = syms[s];
        k.asset = s < 2 ? AssetClass::Crypto : AssetClass::Stock;
        k.price = price[s];
        k.volume = i % 9 == 0 ? 0 : double(1 + i % 13) / 4;
        k.kind = k.volume == 0 ? TickKind::Quote : TickKind::Trade;
        k.tsMs = t;
        k.id = "t" + std::to_string(i);
        out.push_back(k);
        if (i > 2000 && i % 250 == 0) {  // a copy of a tick ~1500 ticks (~30 s) older: late
            Tick late = out[out.size() - 1500];
            late.id += "-late";
            qint64 lt = late.tsMs;
            const int ls = int(std::find(std::begin(syms), std::end(syms), late.symbol) - std::begin(syms));
            while (!used.insert({ls, lt}).second)
                --lt;
            late.tsMs = lt;
            out.push_back(late);
        }
    }
    return out;
}


}  // namespace ms::test
