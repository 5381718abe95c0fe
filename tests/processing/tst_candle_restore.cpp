// CandleBuilder::restore(): a builder that crashes at random points and restarts from the stored
// candles produces exactly the candles (and SMA/EMA/24 h change) of one builder that never stopped.
#include "candle_test_util.h"

#include <algorithm>
#include <set>

using namespace ms;
using namespace ms::test;

class TestCandleRestore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void crashAndRestoreEqualsUninterrupted_data();
    void crashAndRestoreEqualsUninterrupted();
    void restoreClosesWhatTheWatermarkPassed();
    void restoreKeepsLateTicksOut();
};

namespace {

using IndKey = std::tuple<int, std::string, std::string, int>;

// The "database": candle rows upserted by key, latest indicator values per (symbol, interval).
struct Store
{
    std::map<CandleKey, Candle> candles;
    std::map<IndKey, IndicatorSnapshot> indicators;

    void takeFrom(CandleBuilder &b)
    {
        std::vector<Candle> out;
        b.takeUpdates(out);
        for (const Candle &c : out)
            candles[keyOf(c)] = c;
        std::vector<IndicatorSnapshot> ind;
        b.takeIndicators(ind);
        for (const IndicatorSnapshot &s : ind)
            indicators[{int(s.asset), s.symbol, s.currency, s.intervalSec}] = s;
    }

    // What the consumer would load at start: per (key, interval) the candles within the lookback.
    std::vector<Candle> loadForRestore(const CandleBuilder &b) const
    {
        std::map<IndKey, qint64> newest;
        for (const auto &[k, c] : candles) {
            qint64 &n = newest[{int(c.asset), c.symbol, c.currency, c.intervalSec}];
            n = std::max(n, c.bucketStartMs);
        }
        std::vector<Candle> rows;
        const auto &ivs = b.config().intervalsSec;
        for (const auto &[k, c] : candles) {
            const int i = int(std::find(ivs.begin(), ivs.end(), c.intervalSec) - ivs.begin());
            if (c.bucketStartMs >= newest.at({int(c.asset), c.symbol, c.currency, c.intervalSec}) - b.restoreLookbackMs(i))
                rows.push_back(c);
        }
        std::mt19937_64 rng(rows.size());
        std::shuffle(rows.begin(), rows.end(), rng);  // restore() takes any order
        return rows;
    }
};

bool sameOpt(const std::optional<double> &a, const std::optional<double> &b)
{
    return a.has_value() == b.has_value() && (!a || near(*a, *b));
}

}  // namespace

void TestCandleRestore::crashAndRestoreEqualsUninterrupted_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("crashes");
    QTest::addColumn<bool>("replay");  // restart replays the input from its start (embedded broker)
    QTest::newRow("one crash") << quint64(11) << 1 << false;
    QTest::newRow("three crashes") << quint64(12) << 3 << false;
    QTest::newRow("eight crashes") << quint64(13) << 8 << false;
    QTest::newRow("replay: one crash") << quint64(14) << 1 << true;
    QTest::newRow("replay: four crashes") << quint64(15) << 4 << true;
}

void TestCandleRestore::crashAndRestoreEqualsUninterrupted()
{
    QFETCH(quint64, seed);
    QFETCH(int, crashes);
    QFETCH(bool, replay);
    std::mt19937_64 rng(seed);
    CandleConfig config;
    config.smaPeriod = 5;
    config.emaPeriod = 4;
    // ~28 h of event time so the 24 h change exists, out of order within the lateness, plus a few
    // ticks far too late.
    std::vector<Tick> ticks = shuffleWithin(rng, randomTicks(rng, 40000, 2, 1700000000000LL, 5000), 9000);
    for (size_t i = 1000; i < ticks.size(); i += 997) {
        Tick late = ticks[i - 500];
        late.id += "-late";
        ticks.insert(ticks.begin() + qsizetype(i), late);
    }

    Store reference;
    {
        CandleBuilder a(config);
        for (size_t i = 0; i < ticks.size(); ++i) {
            a.add(ticks[i]);
            if (i % 500 == 499)
                reference.takeFrom(a);
        }
        reference.takeFrom(a);
    }

    std::set<size_t> cuts;
    std::uniform_int_distribution<size_t> at(1, ticks.size() - 1);
    while (int(cuts.size()) < crashes)
        cuts.insert(at(rng));
    cuts.insert(ticks.size());

    Store db;
    size_t begin = 0;
    int restarts = 0;
    for (size_t end : cuts) {
        CandleBuilder c(config);
        qint64 replayed = 0;
        if (begin > 0) {
            const std::vector<Candle> rows = db.loadForRestore(c);
            QVERIFY(rows.size() < db.candles.size());  // the lookback limits what is loaded
            c.restore(rows, replay ? CandleBuilder::RestoreMode::ReplayFromStart : CandleBuilder::RestoreMode::Resume);
            ++restarts;
            if (replay)
                begin = 0;  // a fresh embedded broker: the same input again from its start
        }
        for (size_t i = begin; i < end; ++i) {
            replayed += c.add(ticks[i]).replayedMask != 0;
            if (i % 500 == 499)  // the same batch boundaries as the reference
                db.takeFrom(c);
        }
        db.takeFrom(c);  // the runtime commits at the crash point's last batch; the rest is lost
        if (replay && restarts > 0 && end > 5000)
            QVERIFY(replayed > 0);
        begin = end;
    }
    QCOMPARE(restarts, crashes);

    QCOMPARE(db.candles.size(), reference.candles.size());
    for (const auto &[key, want] : reference.candles) {
        auto it = db.candles.find(key);
        QVERIFY2(it != db.candles.end(), qPrintable(QStringLiteral("missing ") + describe(want)));
        QVERIFY2(sameCandle(it->second, want), qPrintable(describe(it->second) + QStringLiteral("\n vs ") + describe(want)));
    }
    QCOMPARE(db.indicators.size(), reference.indicators.size());
    int withChange = 0;
    for (const auto &[key, want] : reference.indicators) {
        const IndicatorSnapshot &got = db.indicators.at(key);
        QCOMPARE(got.bucketStartMs, want.bucketStartMs);
        QVERIFY(want.sma && want.ema);
        QVERIFY(sameOpt(got.sma, want.sma));
        QVERIFY(sameOpt(got.ema, want.ema));
        QVERIFY(sameOpt(got.change24hPct, want.change24hPct));
        withChange += want.change24hPct.has_value();
    }
    QVERIFY(withChange > 0);
}

void TestCandleRestore::restoreClosesWhatTheWatermarkPassed()
{
    // A stored open candle that the stored watermark already passed (e.g. the idle rule) is
    // finalized by the next takeUpdates(), once.
    CandleConfig config;
    config.intervalsSec = {60};
    Candle open;
    open.symbol = "BTC";
    open.intervalSec = 60;
    open.bucketStartMs = 1700000040000LL;
    open.open = open.high = open.low = open.close = open.vwap = 10;
    open.volume = 2;
    open.trades = 1;
    open.firstTsMs = open.lastTsMs = open.bucketStartMs + 1000;
    Candle newer = open;
    newer.bucketStartMs += 60000;
    newer.firstTsMs = newer.lastTsMs = newer.bucketStartMs + 30000;  // wm = start + 20 s > first end
    CandleBuilder b(config);
    const std::vector<Candle> rows{newer, open};
    b.restore(rows);
    std::vector<Candle> out;
    b.takeUpdates(out);
    QCOMPARE(out.size(), size_t(1));
    QVERIFY(out[0].final);
    QCOMPARE(out[0].bucketStartMs, open.bucketStartMs);
    QCOMPARE(out[0].vwap, 10.0);
    out.clear();
    b.takeUpdates(out);
    QVERIFY(out.empty());  // restored open candles are not re-emitted until they change
}

void TestCandleRestore::restoreKeepsLateTicksOut()
{
    CandleConfig config;
    config.intervalsSec = {60};
    Candle c;
    c.symbol = "ETH";
    c.intervalSec = 60;
    c.bucketStartMs = 1700000040000LL;
    c.open = c.high = c.low = c.close = 5;
    c.volume = 0;  // quotes only: vwap is the mean price
    c.vwap = 4.5;
    c.low = 4;
    c.trades = 2;
    c.firstTsMs = c.bucketStartMs;
    c.lastTsMs = c.bucketStartMs + 50000;
    c.final = true;
    Candle open = c;
    open.bucketStartMs += 60000;
    open.firstTsMs = open.lastTsMs = open.bucketStartMs + 15000;  // wm = bucket + 5 s
    open.final = false;
    open.vwap = 6;
    open.trades = 1;
    CandleBuilder b(config);
    const std::vector<Candle> rows{c, open};
    b.restore(rows);
    Tick late;
    late.symbol = "ETH";
    late.price = 100;
    late.tsMs = c.bucketStartMs + 59000;
    QCOMPARE(b.add(late).droppedLateMask, 1u);  // its minute is final in the database
    Tick inside = late;
    inside.price = 8;
    inside.tsMs = open.bucketStartMs + 1000;  // the open minute, 14 s behind: within the lateness
    QCOMPARE(b.add(inside).droppedLateMask, 0u);
    std::vector<Candle> out;
    b.takeUpdates(out);
    QCOMPARE(out.size(), size_t(1));
    QCOMPARE(out[0].open, 8.0);    // earlier event time than the restored first tick
    QCOMPARE(out[0].vwap, 7.0);    // zero-volume mean: (6 * 1 + 8) / 2
    QCOMPARE(out[0].trades, 2);
}

QTEST_GUILESS_MAIN(TestCandleRestore)
#include "tst_candle_restore.moc"
