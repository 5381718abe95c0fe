// CandleBuilder: golden data folders, order independence within the lateness, late ticks, emission
// contract and bounded memory.
#include "candle_test_util.h"

#include <QDir>
#include <QJsonArray>

#include <algorithm>

using namespace ms;
using namespace ms::test;

class TestCandleBuilder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void golden_data();
    void golden();
    void outOfOrderWithinLatenessGivesSortedCandles_data();
    void outOfOrderWithinLatenessGivesSortedCandles();
    void lateTickIsReportedPerInterval();
    void lateTickInsideLatenessReemitsCandle();
    void batchEmitsEachCandleOnce();
    void idleSymbolIsClosedAndEvicted();
    void invalidTickIsRejected();
    void memoryStaysBounded();
};

static QString goldenRoot()
{
    return QStringLiteral(MS_SOURCE_DIR "/tests/data/candles");
}

void TestCandleBuilder::golden_data()
{
    QTest::addColumn<QString>("dir");
    const QStringList cases = QDir(goldenRoot()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY2(cases.size() >= 8, "golden cases missing");
    for (const QString &c : cases)
        QTest::newRow(qPrintable(c)) << goldenRoot() + QLatin1Char('/') + c;
}

void TestCandleBuilder::golden()
{
    QFETCH(QString, dir);
    QFile cfgFile(dir + QStringLiteral("/config.json"));
    QVERIFY(cfgFile.open(QIODevice::ReadOnly));
    const QJsonObject cfg = QJsonDocument::fromJson(cfgFile.readAll()).object();
    CandleConfig config;
    config.intervalsSec.clear();
    for (const QJsonValue &v : cfg.value(QLatin1String("intervals")).toArray())
        config.intervalsSec.push_back(v.toInt());
    config.allowedLatenessMs = cfg.value(QLatin1String("lateness_ms")).toInteger(10000);
    config.idleCloseMs = cfg.value(QLatin1String("idle_close_ms")).toInteger(3600000);

    const std::vector<Tick> ticks = readTicksJsonl(dir + QStringLiteral("/input.jsonl"));
    const std::vector<Candle> expected = readCandlesCsv(dir + QStringLiteral("/expected.csv"));
    QVERIFY(!ticks.empty());
    QVERIFY(!expected.empty());

    CandleBuilder builder(config);
    Collector got;
    qint64 droppedTicks = 0;
    for (size_t i = 0; i < ticks.size(); ++i) {
        droppedTicks += builder.add(ticks[i]).droppedAny() ? 1 : 0;
        if (i % 7 == 6)  // emission in batches, as the consumer does
            got.take(builder);
    }
    got.take(builder);
    QVERIFY2(got.violations.isEmpty(), qPrintable(got.violations.join(QLatin1Char('\n'))));

    QStringList diffs;
    for (const Candle &e : expected) {
        auto it = got.latest.find(keyOf(e));
        if (it == got.latest.end())
            diffs << QStringLiteral("missing   ") + describe(e);
        else if (!sameCandle(it->second, e))
            diffs << QStringLiteral("expected  ") + describe(e) << QStringLiteral("got       ") + describe(it->second);
    }
    if (got.latest.size() != expected.size())
        diffs << QStringLiteral("candle count: got %1, expected %2").arg(got.latest.size()).arg(expected.size());
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(QLatin1Char('\n'))));

    QCOMPARE(droppedTicks, cfg.value(QLatin1String("expected_dropped_ticks")).toInteger());
    QCOMPARE(builder.droppedLateTicks(), droppedTicks);
    const QJsonArray perInterval = cfg.value(QLatin1String("expected_dropped_per_interval")).toArray();
    QCOMPARE(qsizetype(perInterval.size()), qsizetype(config.intervalsSec.size()));
    for (int i = 0; i < perInterval.size(); ++i)
        QCOMPARE(builder.droppedLate(i), perInterval[i].toInteger());
}

void TestCandleBuilder::outOfOrderWithinLatenessGivesSortedCandles_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 seed : {1ull, 2ull, 3ull, 42ull, 1234567ull, 20261124ull})
        QTest::newRow(qPrintable(QString::number(seed))) << seed;
}

void TestCandleBuilder::outOfOrderWithinLatenessGivesSortedCandles()
{
    QFETCH(quint64, seed);
    std::mt19937_64 rng(seed);
    CandleConfig config;  // 1 s, 1 min, 5 min, 1 h; lateness 10 s
    const std::vector<Tick> base = randomTicks(rng, 20000, 3, 1700000000000LL + qint64(seed % 997), 40);
    const std::vector<Tick> shuffled = shuffleWithin(rng, base, config.allowedLatenessMs - 1);
    // The reference: the same ticks in event-time order; equal timestamps keep their arrival order
    // (that is the documented tie rule).
    std::vector<Tick> sorted = shuffled;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Tick &a, const Tick &b) { return a.tsMs < b.tsMs; });
    QVERIFY(sorted != shuffled);

    auto run = [&](const std::vector<Tick> &ticks, int batch) {
        CandleBuilder b(config);
        Collector c;
        for (size_t i = 0; i < ticks.size(); ++i) {
            const AddOutcome o = b.add(ticks[i]);
            if (o.droppedAny())
                c.violations << QStringLiteral("dropped tick %1").arg(QString::fromStdString(ticks[i].id));
            if (int(i % size_t(batch)) == batch - 1)
                c.take(b);
        }
        c.take(b);
        return c;
    };
    const Collector a = run(sorted, 1000), b = run(shuffled, 333);
    QVERIFY2(a.violations.isEmpty(), qPrintable(a.violations.join(QLatin1Char('\n'))));
    QVERIFY2(b.violations.isEmpty(), qPrintable(b.violations.join(QLatin1Char('\n'))));
    QCOMPARE(b.latest.size(), a.latest.size());
    for (const auto &[key, candle] : a.latest) {
        auto it = b.latest.find(key);
        QVERIFY(it != b.latest.end());
        QVERIFY2(sameCandle(it->second, candle), qPrintable(describe(it->second) + QStringLiteral("\n vs ") + describe(candle)));
    }
}

static Tick mk(const char *sym, double price, double volume, qint64 ts)
{
    Tick t;
    t.symbol = sym;
    t.price = price;
    t.volume = volume;
    t.tsMs = ts;
    return t;
}

void TestCandleBuilder::lateTickIsReportedPerInterval()
{
    CandleConfig config;
    config.intervalsSec = {1, 60};
    config.allowedLatenessMs = 5000;
    CandleBuilder b(config);
    const qint64 t0 = 1700000040000LL;  // a minute boundary
    QVERIFY(!b.add(mk("BTC", 10, 1, t0 + 1000)).droppedAny());
    QVERIFY(!b.add(mk("BTC", 11, 1, t0 + 20000)).droppedAny());  // wm = t0 + 15000
    // t0 + 2000: its 1 s bucket [2000, 3000) is final; its minute is still open.
    const AddOutcome late = b.add(mk("BTC", 9, 1, t0 + 2000));
    QCOMPARE(late.droppedLateMask, 1u);
    QCOMPARE(late.droppedCount(), 1);
    QCOMPARE(b.droppedLate(0), 1);
    QCOMPARE(b.droppedLate(1), 0);
    QCOMPARE(b.droppedLateTicks(), 1);
    // Far too late: dropped for both intervals, counted once as a tick, and it moves no clock.
    QVERIFY(!b.add(mk("BTC", 12, 1, t0 + 70000)).droppedAny());  // wm = t0 + 65000
    const AddOutcome both = b.add(mk("BTC", 8, 1, t0 + 3000));
    QCOMPARE(both.droppedLateMask, 3u);
    QCOMPARE(both.watermarkMs, t0 + 65000);
    QCOMPARE(b.droppedLateTicks(), 2);
    QCOMPARE(b.watermarkMs(AssetClass::Crypto, "BTC", "USD"), t0 + 65000);
    // Another symbol has its own watermark: the same timestamp is fine there.
    QVERIFY(!b.add(mk("ETH", 1, 1, t0 + 3000)).droppedAny());

    std::vector<Candle> out;
    b.takeUpdates(out);
    for (const Candle &c : out) {  // the dropped prices 9 and 8 are merged nowhere but the minute
        if (c.intervalSec == 1)
            QVERIFY(c.low != 9 && c.low != 8);
        if (c.intervalSec == 60 && c.symbol == "BTC" && c.bucketStartMs == t0) {
            QCOMPARE(c.low, 9.0);  // inside the minute's lateness
            QCOMPARE(c.trades, 3);
            QVERIFY(c.final);
        }
    }
}

void TestCandleBuilder::lateTickInsideLatenessReemitsCandle()
{
    CandleConfig config;
    config.intervalsSec = {60};
    CandleBuilder b(config);
    const qint64 t0 = 1700000040000LL;
    b.add(mk("BTC", 10, 1, t0 + 58000));
    b.add(mk("BTC", 12, 1, t0 + 61000));
    std::vector<Candle> out;
    b.takeUpdates(out);
    QCOMPARE(out.size(), size_t(2));
    out.clear();
    b.add(mk("BTC", 7, 3, t0 + 59000));  // 2 s late: within 10 s, updates the first minute
    b.takeUpdates(out);
    QCOMPARE(out.size(), size_t(1));
    QCOMPARE(out[0].bucketStartMs, t0);
    QCOMPARE(out[0].close, 7.0);
    QCOMPARE(out[0].low, 7.0);
    QCOMPARE(out[0].vwap, (10.0 + 21.0) / 4.0);
    QVERIFY(!out[0].final);
    out.clear();
    b.add(mk("BTC", 13, 1, t0 + 70000));  // wm = t0 + 60000: the first minute closes
    b.takeUpdates(out);
    QCOMPARE(out.size(), size_t(2));
    QVERIFY(out[0].final);
    QCOMPARE(out[0].bucketStartMs, t0);
    QCOMPARE(out[0].trades, 2);
    QVERIFY(!out[1].final);
    out.clear();
    b.takeUpdates(out);
    QVERIFY(out.empty());  // nothing changed: nothing emitted
}

void TestCandleBuilder::batchEmitsEachCandleOnce()
{
    std::mt19937_64 rng(7);
    CandleBuilder b;
    const std::vector<Tick> ticks = randomTicks(rng, 10000, 3, 1700000000000LL, 3);  // ~15 s of data
    for (const Tick &t : ticks)
        b.add(t);
    Collector c;
    c.take(b);
    QVERIFY2(c.violations.isEmpty(), qPrintable(c.violations.join(QLatin1Char('\n'))));
    // 6 keys x (about 16 one-second candles + 1 + 1 + 1): a few hundred rows for 10k ticks.
    QVERIFY2(c.rowsEmitted < 200, qPrintable(QString::number(c.rowsEmitted)));
    QCOMPARE(c.rowsEmitted, c.latest.size());
}

void TestCandleBuilder::idleSymbolIsClosedAndEvicted()
{
    CandleConfig config;
    config.intervalsSec = {60};
    config.idleCloseMs = 600000;  // 10 min
    config.evictAfterMs = 0;      // raised to the minimum safe value
    CandleBuilder b(config);
    const qint64 t0 = 1700000040000LL;
    b.add(mk("AAPL", 190, 1, t0 + 5000));
    std::vector<Candle> out;
    qint64 ts = t0;
    for (int i = 0; i < 11; ++i) {  // BTC trades on for 11 minutes (eviction after 670 s)
        ts += 60000;
        b.add(mk("BTC", 100, 1, ts));
        b.takeUpdates(out);
    }
    auto aaplFinal = std::count_if(out.begin(), out.end(), [](const Candle &c) { return c.symbol == "AAPL" && c.final; });
    QCOMPARE(aaplFinal, 1);  // closed by the idle rule although AAPL had no tick
    QCOMPARE(b.symbolCount(), size_t(2));
    // An AAPL tick for the closed minute is late now.
    QCOMPARE(b.add(mk("AAPL", 191, 1, t0 + 6000)).droppedLateMask, 1u);
    for (int i = 0; i < 20; ++i) {
        ts += 60000;
        b.add(mk("BTC", 100, 1, ts));
        b.takeUpdates(out);
    }
    QCOMPARE(b.symbolCount(), size_t(1));  // AAPL evicted
    // After eviction the idle rule still keeps old ticks out of closed buckets.
    QCOMPARE(b.add(mk("AAPL", 191, 1, t0 + 7000)).droppedLateMask, 1u);
}

void TestCandleBuilder::invalidTickIsRejected()
{
    CandleBuilder b;
    QVERIFY(b.add(mk("BTC", 0, 1, 1700000000000LL)).invalid);
    QVERIFY(b.add(mk("BTC", std::nan(""), 1, 1700000000000LL)).invalid);
    QVERIFY(b.add(mk("BTC", 1, -1, 1700000000000LL)).invalid);
    QCOMPARE(b.invalidTicks(), 3);
    std::vector<Candle> out;
    b.takeUpdates(out);
    QVERIFY(out.empty());
}

void TestCandleBuilder::memoryStaysBounded()
{
    // 1M ticks over ~11.5 days of event time, 6 keys (plus rotating symbols that go quiet).
    CandleBuilder b;
    std::mt19937_64 rng(99);
    std::uniform_int_distribution<int> pick(0, 5);
    std::vector<Candle> out;
    std::vector<IndicatorSnapshot> ind;
    qint64 ts = 1700000000000LL;
    size_t maxOpen = 0, maxSymbols = 0;
    for (int i = 0; i < 1000000; ++i) {
        ts += 1000;
        Tick t = mk("S", 100 + (i % 50), 1, ts);
        t.symbol = "S" + std::to_string(pick(rng));
        if (i % 50000 == 0)
            t.symbol = "Q" + std::to_string(i);  // a symbol seen once
        b.add(t);
        if (i % 10000 == 0) {
            out.clear();
            ind.clear();
            b.takeUpdates(out);
            b.takeIndicators(ind);
            maxOpen = std::max(maxOpen, b.openCandleCount());
            maxSymbols = std::max(maxSymbols, b.symbolCount());
        }
    }
    // Per key: <= 12 one-second + 2 one-minute + 2 five-minute + 2 one-hour buckets open.
    QVERIFY2(maxOpen <= (6 + 2) * 18, qPrintable(QString::number(maxOpen)));
    // The six live symbols plus the once-seen ones of the last ~day (evicted after ~26 h).
    QVERIFY2(maxSymbols <= 6 + 3, qPrintable(QString::number(maxSymbols)));
}

QTEST_GUILESS_MAIN(TestCandleBuilder)
#include "tst_candle_builder.moc"
