// TickStore reads (ticks, candles, restore lookbacks, offsets, late ticks and indicators) on a real PostgreSQL 15 (its own throwaway server) and on SQLite: every test runs once per
// backend (global data rows "postgres" and "sqlite"), each on a fresh database.
#include "tick_store_fixture.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using namespace ms::test;

class TstTickStoreReads : public QObject, private TickStoreFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { startServer(); }
    void initTestCase_data() { backendRows(); }

    void loadTicksRoundTripsEveryField()
    {
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        std::vector<Tick> ticks;
        for (int i = 0; i < 30; ++i)
            ticks.push_back(makeTick(i, AssetClass::Stock, "AAPL"));
        ticks[4].price = 0.1 + 0.2;  // not exactly representable: must come back bit-identical
        ticks[5].tsMs = 946684800001LL;
        QVERIFY(store->write({ticks, {}, {}}));
        auto back = store->loadTicks(AssetClass::Stock, "AAPL", 0, 4102444800000LL);
        QVERIFY2(back, qPrintable(back.errorMessage()));
        QCOMPARE(back->size(), ticks.size());
        std::vector<Tick> sorted = ticks;
        std::sort(sorted.begin(), sorted.end(), [](const Tick &a, const Tick &b) {
            return std::tie(a.tsMs, a.id) < std::tie(b.tsMs, b.id);
        });
        for (size_t i = 0; i < sorted.size(); ++i)
            QVERIFY2((*back)[i] == sorted[i], sorted[i].id.c_str());
        // Half-open range.
        auto window = store->loadTicks(AssetClass::Stock, "AAPL", ticks[10].tsMs, ticks[12].tsMs);
        QVERIFY(window);
        QCOMPARE(window->size(), size_t(2));
        auto none = store->loadTicks(AssetClass::Crypto, "AAPL", 0, 4102444800000LL);
        QVERIFY(none);
        QCOMPARE(none->size(), size_t(0));
    }

    void candlesAreUpsertedAndLoaded()
    {
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        const qint64 b0 = 1700000040000LL;
        std::vector<Candle> v1{makeCandle("BTC", b0, 105), makeCandle("ETH", b0, 50), makeCandle("BTC", b0 + 60000, 106)};
        auto r = store->write({{}, v1, {}});
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QCOMPARE(r->candlesWritten, 3);
        // Update BTC b0 twice in one batch (last wins) and finalize it.
        Candle mid = makeCandle("BTC", b0, 107);
        Candle last = makeCandle("BTC", b0, 108.5, true);
        last.trades = 99;
        const std::vector<Candle> v2{mid, last};
        auto r2 = store->write({{}, v2, {}});
        QVERIFY2(r2, qPrintable(r2.errorMessage()));
        QCOMPARE(r2->candlesWritten, 1);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM candles")), 3);

        auto all = store->loadCandles(0);
        QVERIFY2(all, qPrintable(all.errorMessage()));
        QCOMPARE(all->size(), size_t(3));
        QVERIFY(std::find(all->begin(), all->end(), last) != all->end());
        auto open = store->loadOpenCandles(0);
        QVERIFY2(open, qPrintable(open.errorMessage()));
        QCOMPARE(open->size(), size_t(2));
        for (const Candle &c : *open)
            QVERIFY(!c.final);
        QVERIFY(std::find(open->begin(), open->end(), v1[2]) != open->end());
        auto recent = store->loadOpenCandles(b0 + 60000);
        QVERIFY(recent);
        QCOMPARE(recent->size(), size_t(1));
        QCOMPARE(recent->front(), v1[2]);
    }

    void candlesForRestoreFollowTheLookback()
    {
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        const qint64 b0 = 1700000040000LL;
        std::vector<Candle> candles;
        for (int i = 0; i <= 10; ++i)
            candles.push_back(makeCandle("BTC", b0 + i * 60000LL, 100 + i, i < 10));
        for (int i = 0; i <= 2; ++i)
            candles.push_back(makeCandle("ETH", b0 + i * 60000LL, 50 + i, i < 2));
        Candle oneSecond = makeCandle("BTC", b0 + 1000, 99);
        oneSecond.intervalSec = 1;
        candles.push_back(oneSecond);
        QVERIFY(store->write({{}, candles, {}}));

        const std::vector<CandleLookback> lookbacks{{60, 180000}, {300, 3600000}};
        auto r = store->loadCandlesForRestore(lookbacks);
        QVERIFY2(r, qPrintable(r.errorMessage()));
        std::vector<Candle> expected(candles.begin() + 7, candles.begin() + 11);  // BTC: newest - 3 min
        expected.insert(expected.end(), candles.begin() + 11, candles.begin() + 14);  // ETH: all three
        QCOMPARE(r->size(), expected.size());
        for (const Candle &c : expected)
            QVERIFY2(std::find(r->begin(), r->end(), c) != r->end(), c.symbol.c_str());
        const std::vector<CandleLookback> seconds{{1, 0}};
        auto s = store->loadCandlesForRestore(seconds);
        QVERIFY(s);
        QCOMPARE(s->size(), size_t(1));
        QCOMPARE(s->front(), oneSecond);
    }

    void offsetsAreUpsertedPerCluster()
    {
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        const std::vector<OffsetRecord> o1{{"g", "c1", "crypto_topic", 0, 10}, {"g", "c1", "crypto_topic", 1, 20},
                                           {"g", "c2", "crypto_topic", 0, 999}, {"h", "c1", "stock_topic", 0, 5}};
        QVERIFY(store->write({{}, {}, o1}));
        const std::vector<OffsetRecord> o2{{"g", "c1", "crypto_topic", 0, 15}, {"g", "c1", "crypto_topic", 0, 30}};
        auto r = store->write({{}, {}, o2});
        QVERIFY2(r, qPrintable(r.errorMessage()));
        auto loaded = store->loadOffsets("g", "c1");
        QVERIFY2(loaded, qPrintable(loaded.errorMessage()));
        const std::vector<OffsetRecord> expected{{"g", "c1", "crypto_topic", 0, 30}, {"g", "c1", "crypto_topic", 1, 20}};
        QCOMPARE(loaded->size(), expected.size());
        QVERIFY(*loaded == expected);
        auto none = store->loadOffsets("g", "fresh-cluster");
        QVERIFY(none);
        QVERIFY(none->empty());
    }

    void lateTicksAndIndicatorsShareTheTransaction()
    {
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        const std::vector<Tick> ticks = makeTicks(0, 20);
        const std::vector<LateTickRecord> late{{ticks[3], 1, ticks[3].tsMs + 5000}, {ticks[3], 60, ticks[3].tsMs + 5000},
                                               {ticks[4], 1, ticks[4].tsMs + 9000}};
        IndicatorSnapshot a;
        a.symbol = "BTC";
        a.intervalSec = 60;
        a.bucketStartMs = 1700000040000LL;
        a.sma = 101.5;
        a.ema = 100.25;
        a.change24hPct = -1.5;
        IndicatorSnapshot b = a;  // same key, later in the batch: wins
        b.sma = 102.0;
        IndicatorSnapshot c = a;
        c.symbol = "ETH";
        c.sma.reset();  // not enough candles yet: NULL
        const std::vector<IndicatorSnapshot> indicators{a, b, c};
        WriteBatch batch{ticks, {}, {}};
        batch.lateTicks = late;
        batch.indicators = indicators;
        batch.smaPeriod = 5;
        batch.emaPeriod = 9;
        auto r = store->write(batch);
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QCOMPARE(r->lateTicksWritten, 3);
        QCOMPARE(r->indicatorsWritten, 2);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM late_ticks")), 3);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM candle_indicators")), 2);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM candle_indicators WHERE sma IS NULL AND symbol = 'ETH'")), 1);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM candle_indicators WHERE sma = 102 AND sma_period = 5 "
                                            "AND ema_period = 9 AND change_session_pct IS NULL")),
                 1);
        // A replay adds nothing.
        auto again = store->write(batch);
        QVERIFY2(again, qPrintable(again.errorMessage()));
        QCOMPARE(again->lateTicksWritten, 0);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM late_ticks")), 3);
        // A failing batch leaves them out too.
        std::vector<Tick> bad = makeTicks(100, 110);
        bad[2].price = 0;
        const std::vector<LateTickRecord> late2{{bad[1], 1, bad[1].tsMs}};
        WriteBatch failing{bad, {}, {}};
        failing.lateTicks = late2;
        failing.indicators = indicators;
        QVERIFY(!store->write(failing));
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM late_ticks")), 3);
        QCOMPARE(tickRows(url), 20);
    }

    void cleanupTestCase() { closeDatabase(QStringLiteral("admin")); }

    void pingWorks()
    {
        auto store = openStore(freshUrl());
        QVERIFY(store);
        QVERIFY(store->ping());
    }
};

QTEST_GUILESS_MAIN(TstTickStoreReads)
#include "tst_tick_store_reads.moc"
