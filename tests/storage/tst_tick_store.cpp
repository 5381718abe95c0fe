// TickStore on a real PostgreSQL 15 (its own throwaway server) and on SQLite: every test runs once per
// backend (global data rows "postgres" and "sqlite"), each on a fresh database.
#include "pg_server.h"
#include "storage/database.h"
#include "storage/tick_store.h"
#include "storage_test_util.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using namespace ms::test;

class TstTickStore : public QObject
{
    Q_OBJECT

private:
    PgServer m_pg;
    QTemporaryDir m_dir;
    int m_seq = 0;

    // A fresh, empty database for the current backend.
    DatabaseUrl freshUrl()
    {
        QFETCH_GLOBAL(QString, backend);
        ++m_seq;
        if (backend == QLatin1String("postgres")) {
            // A schema per test (CREATE DATABASE costs seconds on this disk); search_path selects it.
            const QString schema = QStringLiteral("t%1").arg(m_seq);
            QSqlQuery q(QSqlDatabase::database(QStringLiteral("admin")));
            if (!q.exec(QStringLiteral("CREATE SCHEMA ") + schema))
                qFatal("CREATE SCHEMA failed");
            return *DatabaseUrl::parse(m_pg.url() + QStringLiteral("?options=-csearch_path%3D") + schema);
        }
        return *DatabaseUrl::parse(QStringLiteral("sqlite://") + m_dir.path() + QStringLiteral("/t%1/db.sqlite").arg(m_seq));
    }

    std::unique_ptr<TickStore> openStore(const DatabaseUrl &url, const QString &name = QStringLiteral("store"))
    {
        auto store = TickStore::open(url, name);
        if (!store)
            qWarning("open failed: %s", qPrintable(store.errorMessage()));
        return store ? std::move(store).value() : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(m_dir.isValid());
        QVERIFY(openDatabase(*DatabaseUrl::parse(m_pg.url()), QStringLiteral("admin")));
    }

    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("postgres") << QStringLiteral("postgres");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
    }

    void migrationsAppliedOnce()
    {
        const DatabaseUrl url = freshUrl();
        const QString dir = url.isPostgres() ? QStringLiteral("postgres") : QStringLiteral("sqlite");
        const qsizetype files = migrationFiles(dir).size();
        QVERIFY(files >= 1);
        {
            auto store = openStore(url);
            QVERIFY(store);
        }
        auto again = openStore(url);  // a second start must not re-run anything
        QVERIFY(again);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM schema_migrations")), files);
        QCOMPARE(scalar(url, QStringLiteral("SELECT min(version) FROM schema_migrations")), 1);
    }

    void nTicksGiveNRowsAndReplayAddsNone()
    {
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        const std::vector<Tick> ticks = makeTicks(0, 2000);
        auto first = store->write({ticks, {}, {}});
        QVERIFY2(first, qPrintable(first.errorMessage()));
        QCOMPARE(first->ticksInserted, 2000);
        QCOMPARE(first->ticksDuplicate, 0);
        QCOMPARE(tickRows(url), 2000);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM stock_data")), 1000);

        auto replay = store->write({ticks, {}, {}});
        QVERIFY2(replay, qPrintable(replay.errorMessage()));
        QCOMPARE(replay->ticksInserted, 0);
        QCOMPARE(replay->ticksDuplicate, 2000);
        QCOMPARE(tickRows(url), 2000);
    }

    void mixedNewAndOldTicks()
    {
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        const std::vector<Tick> head = makeTicks(0, 500);
        QVERIFY(store->write({head, {}, {}}));
        const std::vector<Tick> overlap = makeTicks(250, 1000);
        auto r = store->write({overlap, {}, {}});
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QCOMPARE(r->ticksInserted, 500);
        QCOMPARE(r->ticksDuplicate, 250);
        QCOMPARE(tickRows(url), 1000);
        // A batch that repeats a tick within itself.
        std::vector<Tick> repeated = makeTicks(1000, 1010);
        repeated.push_back(repeated.front());
        auto r2 = store->write({repeated, {}, {}});
        QVERIFY2(r2, qPrintable(r2.errorMessage()));
        QCOMPARE(r2->ticksInserted, 10);
        QCOMPARE(r2->ticksDuplicate, 1);
        // The path switches back to the fast one after a clean batch and still counts right.
        const std::vector<Tick> fresh = makeTicks(2000, 2100);
        auto r3 = store->write({fresh, {}, {}});
        QVERIFY(r3);
        auto r4 = store->write({makeTicks(3000, 3100), {}, {}});
        QVERIFY(r4);
        QCOMPARE(r4->ticksInserted, 100);
        QVERIFY(!r4->replayPath);
        QCOMPARE(tickRows(url), 1210);
    }

    void failingBatchRollsBackEverything()
    {
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        std::vector<Tick> ticks = makeTicks(0, 100);
        ticks[57].price = -1;  // bypassed validation: the CHECK constraint must refuse it
        const std::vector<Candle> candles{makeCandle("BTC", 1700000040000LL, 105)};
        const std::vector<OffsetRecord> offsets{{"g", "c1", "crypto_topic", 0, 100}};
        auto r = store->write({ticks, candles, offsets});
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("db_rejected"));
        QVERIFY(!isRetryable(r.error()));
        QVERIFY2(r.errorMessage().contains(QLatin1String("price")) || r.errorMessage().contains(QLatin1String("CHECK")),
                 qPrintable(r.errorMessage()));
        QCOMPARE(tickRows(url), 0);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM candles")), 0);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM pipeline_offsets")), 0);
        // The store is still usable afterwards.
        ticks[57].price = 1;
        auto ok = store->write({ticks, candles, offsets});
        QVERIFY2(ok, qPrintable(ok.errorMessage()));
        QCOMPARE(tickRows(url), 100);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM pipeline_offsets")), 1);
    }

    // On PostgreSQL the upserts and the COMMIT travel together (pipeline mode) after the ticks'
    // COPY: a statement refused there must still undo the whole batch, name what failed, and
    // leave the connection usable.
    void failureAfterTheTicksRollsBackEverything()
    {
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        const std::vector<Tick> ticks = makeTicks(0, 100);
        std::vector<Candle> candles{makeCandle("BTC", 1700000040000LL, 105), makeCandle("ETH", 1700000040000LL, 99)};
        candles[1].intervalSec = 0;  // bypassed validation: CHECK (interval_s > 0) must refuse it
        const std::vector<OffsetRecord> offsets{{"g", "c1", "crypto_topic", 0, 100}};
        auto r = store->write({ticks, candles, offsets});
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("db_rejected"));
        QVERIFY2(r.errorMessage().contains(QLatin1String("candles")) || r.errorMessage().contains(QLatin1String("interval_s")),
                 qPrintable(r.errorMessage()));
        QCOMPARE(tickRows(url), 0);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM candles")), 0);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM pipeline_offsets")), 0);
        candles[1].intervalSec = 60;
        auto ok = store->write({ticks, candles, offsets});
        QVERIFY2(ok, qPrintable(ok.errorMessage()));
        QCOMPARE(ok->candlesWritten, qint64(2));
        QCOMPARE(ok->offsetsWritten, qint64(1));
        QCOMPARE(tickRows(url), 100);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM candles")), 2);
    }

    void failingReplayBatchRollsBackToo()
    {
        // Same, but the bad row sits in a replayed batch (PostgreSQL's staging path).
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        const std::vector<Tick> first = makeTicks(0, 50);
        QVERIFY(store->write({first, {}, {}}));
        std::vector<Tick> ticks = makeTicks(0, 100);
        ticks[80].volume = -3;
        const std::vector<OffsetRecord> offsets{{"g", "c1", "crypto_topic", 0, 100}};
        auto r = store->write({ticks, {}, offsets});
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("db_rejected"));
        QCOMPARE(tickRows(url), 50);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM pipeline_offsets")), 0);
    }

    void awkwardStringsRoundTrip()
    {
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        const std::vector<std::string> awkward{"TAB\tSYM", "back\\slash", "new\nline", "cr\rlf", "\\N",
                                               "quote'\"", "ünï€😀", "comma,semi;", "trail\\"};
        std::vector<Tick> ticks;
        for (size_t i = 0; i < awkward.size(); ++i) {
            Tick t = makeTick(int(i), AssetClass::Stock, awkward[i]);
            t.id = awkward[i] + "#id";
            t.currency = i % 2 ? "US\\D" : "EUR";
            ticks.push_back(t);
        }
        auto r = store->write({ticks, {}, {}});
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QCOMPARE(r->ticksInserted, qint64(awkward.size()));
        for (const Tick &t : ticks) {
            auto back = store->loadTicks(AssetClass::Stock, t.symbol, t.tsMs, t.tsMs + 1);
            QVERIFY2(back, qPrintable(back.errorMessage()));
            QCOMPARE(back->size(), size_t(1));
            QVERIFY2(back->front() == t, t.symbol.c_str());
        }
    }

    void textCopyFormatAlsoWorks()
    {
        // The text COPY format (kept for comparison in the benchmark) must escape the same strings.
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        store->setTextCopy(true);
        std::vector<Tick> ticks;
        const std::vector<std::string> awkward{"TAB\tSYM", "back\\slash", "new\nline", "\\N", "ünï€"};
        for (size_t i = 0; i < awkward.size(); ++i) {
            Tick t = makeTick(int(i), AssetClass::Stock, awkward[i]);
            t.id = awkward[i];
            ticks.push_back(t);
        }
        auto r = store->write({ticks, {}, {}});
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QCOMPARE(r->ticksInserted, qint64(ticks.size()));
        auto replay = store->write({ticks, {}, {}});
        QVERIFY2(replay, qPrintable(replay.errorMessage()));
        QCOMPARE(replay->ticksDuplicate, qint64(ticks.size()));
        for (const Tick &t : ticks) {
            auto back = store->loadTicks(AssetClass::Stock, t.symbol, t.tsMs, t.tsMs + 1);
            QVERIFY(back);
            QCOMPARE(back->size(), size_t(1));
            QVERIFY(back->front() == t);
        }
    }

    void storedDateKeyIsTheUtcDay_data()
    {
        QTest::addColumn<bool>("textCopy");
        QTest::addColumn<bool>("replayPath");
        QTest::newRow("binary COPY") << false << false;
        QTest::newRow("text COPY") << true << false;
        QTest::newRow("replay path (staging table)") << false << true;
    }

    void storedDateKeyIsTheUtcDay()
    {
        // 045: PostgreSQL's date filters read a date_key column the writer fills; it must be the day
        // PostgreSQL itself computes from the stored timestamp, around midnight and the epoch too.
        QFETCH_GLOBAL(QString, backend);
        if (backend != QLatin1String("postgres"))
            QSKIP("SQLite has no date_key column: its fact_tick derives the day from the text timestamp");
        QFETCH(bool, textCopy);
        QFETCH(bool, replayPath);
        const DatabaseUrl url = freshUrl();
        auto store = openStore(url);
        QVERIFY(store);
        store->setTextCopy(textCopy);
        std::vector<Tick> ticks;
        const qint64 times[] = {1764287999999, 1764288000000, 0, -1, 951782400000 /* 2000-02-29 */};
        for (size_t i = 0; i < std::size(times); ++i) {
            Tick t = makeTick(int(i), i % 2 ? AssetClass::Stock : AssetClass::Crypto);
            t.tsMs = times[i];
            ticks.push_back(t);
        }
        if (replayPath) {  // one tick stored first: the batch's COPY fails and it takes the staging path
            const std::vector<Tick> one{ticks.front()};
            auto first = store->write({one, {}, {}});
            QVERIFY2(first, qPrintable(first.errorMessage()));
        }
        auto r = store->write({ticks, {}, {}});
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QCOMPARE(r->replayPath, replayPath);
        QCOMPARE(r->ticksInserted, qint64(ticks.size()) - (replayPath ? 1 : 0));
        {
            Result<QSqlDatabase> db = openDatabase(url, QStringLiteral("datekey"));
            QVERIFY2(db, qPrintable(db.errorMessage()));
            QSqlQuery q(db.value());
            QVERIFY(q.exec(QStringLiteral(
                "SELECT count(*), count(*) FILTER (WHERE date_key = to_char(\"timestamp\" AT TIME ZONE 'UTC', "
                "'YYYYMMDD')::integer) FROM (SELECT \"timestamp\", date_key FROM crypto_data UNION ALL "
                "SELECT \"timestamp\", date_key FROM stock_data) t")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toLongLong(), qint64(ticks.size()));
            QCOMPARE(q.value(1).toLongLong(), qint64(ticks.size()));
        }
        closeDatabase(QStringLiteral("datekey"));
    }

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

QTEST_GUILESS_MAIN(TstTickStore)
#include "tst_tick_store.moc"
