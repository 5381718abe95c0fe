// DirectQuery stays on indexes: every visual query shape of the starter report (directquery_shapes.h),
// EXPLAINed on a seeded PostgreSQL 15 (300k ticks over 10 days, ~130k candles of four intervals).
// No plan may scan a tick table or the candles sequentially; candle visuals must read an index of
// candles. Before migration 040 the keys were expressions and a symbol or date filter read every candle.
#include "directquery_shapes.h"
#include "pg_server.h"
#include "realistic_seed.h"
#include "storage/database.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace ms;

class TestReportingDirectQuery : public QObject
{
    Q_OBJECT

private:
    test::PgServer m_pg;
    QSqlDatabase m_db;

    QString plan(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("EXPLAIN ") + sql))
            return QStringLiteral("EXPLAIN failed: ") + q.lastError().text();
        QStringList lines;
        while (q.next())
            lines.append(q.value(0).toString());
        return lines.join(u'\n');
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(m_pg.createDatabase(QStringLiteral("dq")));
        Result<DatabaseUrl> url = DatabaseUrl::parse(m_pg.url(QStringLiteral("dq")));
        QVERIFY(url.ok());
        Result<QSqlDatabase> db = openDatabase(url.value(), QStringLiteral("tst_reporting_directquery"));
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        m_db = db.value();
        const Status migrated = applyMigrations(m_db);
        QVERIFY2(migrated.ok(), qPrintable(migrated.errorMessage()));
        const QString seeded = test::seedRealisticData(m_db, test::RealisticSeed{});
        QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data), "
                                      "(SELECT count(*) FROM candles)")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), 300000);
        QVERIFY2(q.value(1).toLongLong() > 100000, qPrintable(q.value(1).toString()));
    }

    void visualQueriesUseIndexes_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<bool>("readsCandles");
        for (const test::DirectQueryShape &s : test::directQueryShapes())
            QTest::newRow(s.name) << QString::fromUtf8(s.sql) << s.readsCandles;
    }

    void visualQueriesUseIndexes()
    {
        QFETCH(QString, sql);
        QFETCH(bool, readsCandles);
        const QString p = plan(sql);
        QVERIFY2(!p.startsWith(QLatin1String("EXPLAIN failed")), qPrintable(p));
        static const QRegularExpression seqScan(QStringLiteral("Seq Scan on (crypto_data|stock_data|candles)\\b"));
        QVERIFY2(!seqScan.match(p).hasMatch(), qPrintable(QStringLiteral("sequential scan in:\n") + p));
        if (readsCandles) {
            static const QRegularExpression candleIndex(
                QStringLiteral("(Index (Only )?Scan( Backward)? using \\w+ on candles\\b|Bitmap Index Scan on candles_\\w+)"));
            QVERIFY2(candleIndex.match(p).hasMatch(), qPrintable(QStringLiteral("no candle index in:\n") + p));
        }
    }

    void dailySummaryFiguresMatchAGroupByOfTheCandles()
    {
        // 040 rebuilt v_daily_summary for index access; the figures are 020's definition, row for row.
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral(
            "WITH g AS (SELECT symbol_key, date_key, count(*) AS n, max(high) AS hi, min(low) AS lo, sum(volume) AS v, "
            "sum(vwap * volume) AS pv, (array_agg(open ORDER BY bucket_start))[1] AS o, "
            "(array_agg(close ORDER BY bucket_start DESC))[1] AS c FROM candles WHERE interval_s = 60 "
            "GROUP BY symbol_key, date_key) "
            "SELECT (SELECT count(*) FROM g), (SELECT count(*) FROM v_daily_summary), "
            "(SELECT count(*) FROM g JOIN v_daily_summary s USING (symbol_key, date_key) "
            " WHERE s.candles = g.n AND s.high = g.hi AND s.low = g.lo AND s.open = g.o AND s.close = g.c "
            // sums in another order: equal to the last bits or so
            " AND abs(s.volume - g.v) <= 1e-9 * g.v AND abs(s.vwap - g.pv / g.v) <= 1e-9 * s.vwap AND s.\"date\" = to_date(g.date_key::text, 'YYYYMMDD'))")));
        QVERIFY(q.next());
        QVERIFY(q.value(0).toLongLong() >= 6 * 10);
        QCOMPARE(q.value(1).toLongLong(), q.value(0).toLongLong());
        QCOMPARE(q.value(2).toLongLong(), q.value(0).toLongLong());
    }

    void storedKeysMatchTheirDefinition()
    {
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral(
            "SELECT count(*) FROM candles WHERE symbol_key <> asset_class || ':' || symbol || ':' || currency "
            "OR date_key <> to_char(bucket_start AT TIME ZONE 'UTC', 'YYYYMMDD')::integer")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), 0);
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM fact_tick WHERE date_key <> "
                                      "to_char(tick_time AT TIME ZONE 'UTC', 'YYYYMMDD')::integer "
                                      "OR tick_time_utc <> (tick_time AT TIME ZONE 'UTC')")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), 0);
    }

    void cleanupTestCase()
    {
        m_db = QSqlDatabase();
        closeDatabase(QStringLiteral("tst_reporting_directquery"));
    }
};

QTEST_MAIN(TestReportingDirectQuery)
#include "tst_reporting_directquery.moc"
