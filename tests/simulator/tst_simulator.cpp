// The simulator is deterministic for a seed, and paced by counts (never wall-clock assertions).
#include "codec/tick_codec.h"
#include "sources/simulator_source.h"
#include "test_util.h"

#include <QSignalSpy>
#include <QTest>

#include <charconv>
#include <set>

using namespace ms;

namespace {
SimulatorOptions sixSymbols(uint64_t seed, std::optional<qint64> start = 1700000000000LL)
{
    SimulatorOptions o;
    for (const char *s : {"BTC", "ETH", "BNB"})
        o.symbols.push_back({s, AssetClass::Crypto});
    for (const char *s : {"AAPL", "MSFT", "GOOGL"})
        o.symbols.push_back({s, AssetClass::Stock});
    o.seed = seed;
    o.startTimeMs = start;
    return o;
}

std::string encodeAll(const std::vector<Tick> &ticks)
{
    std::string all;
    for (const auto &t : ticks) {
        encodeTick(t, all);
        all += '\n';
    }
    return all;
}
}  // namespace

class TstSimulator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameSeedAndStartGiveIdenticalBytes()
    {
        MarketSimulator a(sixSymbols(7)), b(sixSymbols(7));
        std::vector<Tick> ta, tb;
        a.generate(5000, ta, 111);
        // Generated in different chunk sizes: the stream must not depend on batching.
        for (int i = 0; i < 50; ++i)
            b.generate(100, tb, 999);
        QCOMPARE(ta.size(), size_t(5000));
        QVERIFY(encodeAll(ta) == encodeAll(tb));
    }

    void sameSeedWithoutStartGivesSameIdsPricesVolumes()
    {
        MarketSimulator a(sixSymbols(7, std::nullopt)), b(sixSymbols(7, std::nullopt));
        std::vector<Tick> ta, tb;
        a.generate(1000, ta, 1700000000000LL);
        b.generate(1000, tb, 1800000000000LL);
        for (size_t i = 0; i < ta.size(); ++i) {
            QCOMPARE(ta[i].id, tb[i].id);
            QCOMPARE(ta[i].price, tb[i].price);
            QCOMPARE(ta[i].volume, tb[i].volume);
            QCOMPARE(ta[i].tsMs, 1700000000000LL);  // wall clock, as given
        }
    }

    void differentSeedsDifferAndIdsAreUnique()
    {
        MarketSimulator a(sixSymbols(1)), b(sixSymbols(2));
        std::vector<Tick> ta, tb;
        a.generate(3000, ta, 0);
        b.generate(3000, tb, 0);
        QVERIFY(encodeAll(ta) != encodeAll(tb));
        std::set<std::string> ids;
        for (const auto &t : ta)
            ids.insert(t.id);
        for (const auto &t : tb)
            ids.insert(t.id);
        QCOMPARE(ids.size(), size_t(6000));  // seeds never collide on the natural key
    }

    void ticksAreValidAndPlausible()
    {
        MarketSimulator sim(sixSymbols(3));
        std::vector<Tick> ticks;
        sim.generate(60000, ticks, 0);
        for (const auto &t : ticks) {
            QVERIFY(t.price > 0);
            QVERIFY(t.volume > 0);
            // Every tick survives its own wire format.
            const auto r = decodeTick(encodeTick(t), t.asset);
            QVERIFY(isTick(r));
        }
        // BTC stays within a plausible band of its start price over 10k ticks.
        const auto &lastBtc = ticks[ticks.size() - 6];
        QCOMPARE(lastBtc.symbol, std::string("BTC"));
        QVERIFY2(lastBtc.price > 20000 && lastBtc.price < 90000, std::to_string(lastBtc.price).c_str());
        // Prices and volumes are exact decimals: the shortest text of each double has at most the
        // simulator's decimals (2 for prices >= 10, 5 for crypto sizes), never 189.39000000000001.
        for (const auto &t : ticks) {
            char buf[32];
            const auto decimals = [&buf](double v) {
                const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
                const std::string s(buf, r.ptr);
                const auto dot = s.find('.');
                return dot == std::string::npos ? 0 : int(s.size() - dot - 1);
            };
            if (t.price >= 10)
                QVERIFY2(decimals(t.price) <= 2, std::to_string(t.price).c_str());
            QVERIFY2(decimals(t.volume) <= 5, std::to_string(t.volume).c_str());
        }
        // Stock volumes are whole shares.
        QCOMPARE(ticks[3].volume, std::round(ticks[3].volume));
        // Event times advance by 1 ms per tick at the default 1000 ticks/s of event time.
        QCOMPARE(ticks[1000].tsMs - ticks[0].tsMs, 1000LL);
    }

    void pacerCountsFollowTheRate()
    {
        RatePacer pacer(2000, 100000);
        QCOMPARE(pacer.due(0, 0), size_t(0));
        QCOMPARE(pacer.due(500000, 0), size_t(1000));     // half a second: 1000 due
        QCOMPARE(pacer.due(500000, 1000), size_t(0));     // already emitted
        QCOMPARE(pacer.due(1000000, 1500), size_t(500));
        RatePacer capped(1e6, 50);
        QCOMPARE(capped.due(1000000, 0), size_t(50));     // a stall never causes a huge burst
        RatePacer flatOut(0, 777);
        QCOMPARE(flatOut.due(0, 123456), size_t(777));
    }

    void sourceStopsAtMaxTicksAndPublishesEveryTick()
    {
        SimulatorSourceOptions o;
        o.market = sixSymbols(5);
        o.rate = 0;
        o.maxTicks = 12345;
        SimulatorSource src(o);
        uint64_t published = 0;
        std::set<std::string> ids;
        src.setTickHandler([&](std::span<const Tick> ticks) {
            published += ticks.size();
            for (const auto &t : ticks)
                ids.insert(t.id);
        });
        QSignalSpy finished(&src, &Source::finished);
        src.start();
        QVERIFY(ms::test::waitUntil([&] { return finished.count() == 1; }, 20000));
        QCOMPARE(published, uint64_t(12345));
        QCOMPARE(ids.size(), size_t(12345));
        QVERIFY(src.status().state == SourceState::Finished);
    }

    void sourceStopsPromptlyWhenAsked()
    {
        SimulatorSourceOptions o;
        o.market = sixSymbols(5);
        o.rate = 0;
        SimulatorSource src(o);
        uint64_t published = 0;
        src.setTickHandler([&](std::span<const Tick> ticks) { published += ticks.size(); });
        QSignalSpy finished(&src, &Source::finished);
        src.start();
        QVERIFY(ms::test::waitUntil([&] { return published > 10000; }));
        src.stop();
        QCOMPARE(finished.count(), 1);
        const uint64_t atStop = published;
        QTest::qWait(50);
        QCOMPARE(published, atStop);
        QVERIFY(src.status().state == SourceState::Stopped);
    }
};

QTEST_GUILESS_MAIN(TstSimulator)
#include "tst_simulator.moc"
