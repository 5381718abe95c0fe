// TickStore on a real PostgreSQL 15 (its own throwaway server) and on SQLite: every test runs once per
// backend (global data rows "postgres" and "sqlite"), each on a fresh database.
#include "tick_store_fixture.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using namespace ms::test;

class TstTickStore : public QObject, private TickStoreFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { startServer(); }
    void initTestCase_data() { backendRows(); }

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

    void cleanupTestCase() { closeDatabase(QStringLiteral("admin")); }
};

QTEST_GUILESS_MAIN(TstTickStore)
#include "tst_tick_store.moc"
