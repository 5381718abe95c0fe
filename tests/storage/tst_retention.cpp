// Retention on SQLite and on a real PostgreSQL server: only what is older than the policy goes
// (rows at the boundary checked to the millisecond), every candle after the tick cutoff still
// equals its recomputation from the remaining ticks, coarser candles and late_ticks stay whole, a
// second pass deletes nothing, and on SQLite the file shrinks (incremental vacuum), also for a file
// made before auto_vacuum was set.
#include "pg_server.h"
#include "retention_fixture.h"
#include "storage/database.h"
#include "storage/retention.h"
#include "storage/sql_time.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <map>
#include <tuple>

using namespace ms;

using namespace retention_fixture;

class TstRetention : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<test::PgServer> m_pg;
    int m_dbNo = 0;

    QString time(bool pg, qint64 ms) const
    {
        return pg ? storage_detail::timeParam(ms) + QStringLiteral("+00")
                  : storage_detail::timeParam(ms);
    }
    bool insertAll(QSqlDatabase &db, bool pg, const std::vector<T> &ticks,
                   const std::map<CandleKey, C> &candles)
    {
        if (!db.transaction())
            return false;
        QSqlQuery q(db);
        for (const QString table : {QStringLiteral("crypto_data"), QStringLiteral("stock_data")}) {
            // PostgreSQL's tick tables carry the UTC day the writer fills (migration 045).
            if (!q.prepare(QStringLiteral("INSERT INTO %1 (symbol, price, \"timestamp\", currency, "
                                          "volume, source, kind, trade_id%2) "
                                          "VALUES (?, ?, ?, 'USD', ?, 'simulator', 'trade', ?%3)")
                               .arg(table, pg ? QStringLiteral(", date_key") : QString(),
                                    pg ? QStringLiteral(", ?") : QString()))) {
                qWarning("prepare: %s", qPrintable(q.lastError().text()));
                return false;
            }
            for (size_t i = 0; i < ticks.size(); ++i) {
                const T &t = ticks[i];
                if (t.table != table)
                    continue;
                q.addBindValue(t.symbol);
                q.addBindValue(t.price);
                q.addBindValue(time(pg, t.ts));
                q.addBindValue(t.volume);
                q.addBindValue(QStringLiteral("id-%1").arg(i));
                if (pg)
                    q.addBindValue(rowfmt::utcDateKey(t.ts));
                if (!q.exec()) {
                    qWarning("%s: %s", qPrintable(q.lastQuery()), qPrintable(q.lastError().text()));
                    return false;
                }
            }
        }
        const bool candlesPrepared =
            q.prepare(QStringLiteral("INSERT INTO candles (asset_class, symbol, currency, "
                                     "interval_s, bucket_start, open, high, low, "
                                     "close, volume, vwap, trades, first_ts, last_ts, is_final) "
                                     "VALUES (?, ?, 'USD', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, %1)")
                          .arg(pg ? u"true"_qs : u"1"_qs));
        if (!candlesPrepared) {
            qWarning("prepare: %s", qPrintable(q.lastError().text()));
            return false;
        }
        for (const auto &[k, c] : candles) {
            for (const QVariant &v :
                 {QVariant(std::get<0>(k)), QVariant(std::get<1>(k)), QVariant(std::get<2>(k)),
                  QVariant(time(pg, std::get<3>(k))), QVariant(c.open), QVariant(c.high),
                  QVariant(c.low), QVariant(c.close), QVariant(c.volume), QVariant(c.close),
                  QVariant(c.trades), QVariant(time(pg, c.first)), QVariant(time(pg, c.last))})
                q.addBindValue(v);
            if (!q.exec()) {
                qWarning("%s", qPrintable(q.lastError().text()));
                return false;
            }
        }
        // A late tick long before every cutoff: late_ticks is never pruned.
        if (!q.exec(QStringLiteral("INSERT INTO late_ticks (source, symbol, trade_id, interval_s, "
                                   "asset_class, currency, "
                                   "\"timestamp\", price, volume, watermark) VALUES ('simulator', "
                                   "'BTC', 'late-1', 60, "
                                   "'crypto', 'USD', '%1', 1, 1, '%1')")
                        .arg(time(pg, kNow - 30 * kDayMs)))) {
            qWarning("%s: %s", qPrintable(q.lastQuery()), qPrintable(q.lastError().text()));
            return false;
        }
        return db.commit();
    }
    std::vector<T> readTicks(QSqlDatabase &db)
    {
        std::vector<T> out;
        for (const auto &[table, asset] :
             {std::pair{QStringLiteral("crypto_data"), QStringLiteral("crypto")},
              std::pair{QStringLiteral("stock_data"), QStringLiteral("stock")}}) {
            QSqlQuery q(db);
            // Text in both backends (PostgreSQL: the UTC text form), parsed like the app's reads
            // do.
            const QString ts =
                db.driverName() == u"QPSQL"
                    ? QStringLiteral(
                          "to_char(\"timestamp\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')")
                    : QStringLiteral("\"timestamp\"");
            if (!q.exec(QStringLiteral("SELECT symbol, %1, price, volume FROM %2").arg(ts, table)))
                qWarning("%s", qPrintable(q.lastError().text()));
            while (q.next())
                out.push_back({table, asset, q.value(0).toString(),
                               storage_detail::timeValue(q.value(1)), q.value(2).toDouble(),
                               q.value(3).toDouble()});
        }
        return out;
    }
    std::map<CandleKey, C> readCandles(QSqlDatabase &db)
    {
        std::map<CandleKey, C> out;
        QSqlQuery q(db);
        const bool pg = db.driverName() == u"QPSQL";
        auto ts = [&](const char *col) {
            return pg ? QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')")
                            .arg(QLatin1String(col))
                      : QString::fromLatin1(col);
        };
        if (!q.exec(QStringLiteral("SELECT asset_class, symbol, interval_s, %1, open, high, low, "
                                   "close, volume, trades, %2, %3 "
                                   "FROM candles")
                        .arg(ts("bucket_start"), ts("first_ts"), ts("last_ts"))))
            qWarning("%s", qPrintable(q.lastError().text()));
        while (q.next()) {
            C c{q.value(4).toDouble(),
                q.value(5).toDouble(),
                q.value(6).toDouble(),
                q.value(7).toDouble(),
                q.value(8).toDouble(),
                q.value(9).toLongLong(),
                storage_detail::timeValue(q.value(10)),
                storage_detail::timeValue(q.value(11))};
            out[{q.value(0).toString(), q.value(1).toString(), q.value(2).toInt(),
                 storage_detail::timeValue(q.value(3))}] = c;
        }
        return out;
    }
    Result<QSqlDatabase> open(const QString &backend, const QString &name)
    {
        DatabaseUrl url;
        if (backend == u"postgres") {
            const QString dbName = QStringLiteral("ret%1").arg(++m_dbNo);
            if (!m_pg->createDatabase(dbName))
                return makeError(m_pg->errorString());
            auto u = DatabaseUrl::parse(m_pg->url(dbName));
            if (!u)
                return u.error();
            url = u.value();
        } else {
            url.backend = DatabaseUrl::Backend::Sqlite;
            url.sqlitePath = m_dir.filePath(QStringLiteral("ret%1.db").arg(++m_dbNo));
        }
        auto db = openDatabase(url, name);
        if (!db)
            return db.error();
        if (Status s = applyMigrations(db.value()); !s)
            return s.error();
        return db;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pg = std::make_unique<test::PgServer>();
        QVERIFY2(m_pg->start(), qPrintable(m_pg->errorString()));
    }

    void cutoffsAreAlignedToEveryBucket()
    {
        RetentionPolicy p;
        p.tickDays = 3;
        p.oneSecondCandleDays = 1;
        const qint64 cut = retentionTickCutoffMs(p, kNow);
        QCOMPARE(cut % 3'600'000, 0); // lcm(1, 60, 300, 3600) s
        QVERIFY(cut <= kNow - 3 * kDayMs && kNow - 3 * kDayMs < cut + 3'600'000);
        QCOMPARE(retentionCandleCutoffMs(p, kNow), (kNow - kDayMs) / 1000 * 1000);
        p.candleIntervalsSec = {7, 660}; // lcm 4620 s
        QCOMPARE(retentionTickCutoffMs(p, kNow) % 4'620'000, 0);
        p.candleIntervalsSec = {86400 * 5, 86400 * 3}; // lcm 15 days > a week: a UTC day
        QCOMPARE(retentionTickCutoffMs(p, kNow) % kDayMs, 0);
        p.tickDays = 0;
        p.oneSecondCandleDays = 0;
        QCOMPARE(retentionTickCutoffMs(p, kNow), -1);
        QCOMPARE(retentionCandleCutoffMs(p, kNow), -1);
    }

    void deletesOnlyWhatThePolicyNoLongerKeeps_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<int>("stepMs"); // tick spacing per symbol
        QTest::newRow("sqlite") << u"sqlite"_qs << 19'000;
        QTest::newRow("postgres") << u"postgres"_qs << 29'000;
    }

    void deletesOnlyWhatThePolicyNoLongerKeeps()
    {
        QFETCH(QString, backend);
        QFETCH(int, stepMs);
        const bool pg = backend == u"postgres";
        RetentionPolicy policy;
        policy.tickDays = 3;
        policy.oneSecondCandleDays = 1;
        policy.batchRows = 500;
        policy.candleIntervalsSec = kIntervals;
        const qint64 tickCut = retentionTickCutoffMs(policy, kNow);
        const qint64 candleCut = retentionCandleCutoffMs(policy, kNow);

        // Six days of ticks for four symbols, and three at the tick cutoff: 1 ms before, on, after.
        std::vector<T> ticks;
        int n = 0;
        for (qint64 ts = kNow - 6 * kDayMs; ts < kNow; ts += stepMs, ++n) {
            ticks.push_back(
                {u"crypto_data"_qs, u"crypto"_qs, u"BTC"_qs, ts, 100 + std::sin(n * 0.1) * 5, 0.5});
            ticks.push_back(
                {u"crypto_data"_qs, u"crypto"_qs, u"ETH"_qs, ts + 3, 50 + std::cos(n * 0.2), 1.5});
            ticks.push_back(
                {u"crypto_data"_qs, u"crypto"_qs, u"SOL"_qs, ts + 5, 20 + (n % 17) * 0.1, 2});
            ticks.push_back(
                {u"stock_data"_qs, u"stock"_qs, u"AAPL"_qs, ts + 1, 170 + (n % 23) * 0.01, 10});
        }
        for (qint64 d : {-1, 0, 1})
            ticks.push_back(
                {u"crypto_data"_qs, u"crypto"_qs, u"XRP"_qs, tickCut + d, 0.5 + d * 0.01, 1});
        const std::map<CandleKey, C> inserted = candlesOf(ticks);

        auto opened = open(backend, u"ret-"_qs + backend);
        QVERIFY2(opened.ok(), qPrintable(opened.errorMessage()));
        QSqlDatabase db = opened.value();
        QVERIFY(insertAll(db, pg, ticks, inserted));
        const qint64 bytesBefore = databaseBytes(db).value();
        QVERIFY(bytesBefore > 0);

        auto job = std::make_unique<RetentionJob>(db, policy);
        const Result<QString> prepared = job->prepare();
        QVERIFY2(prepared.ok(), qPrintable(prepared.errorMessage()));
        int yields = 0;
        const Result<RetentionReport> report = job->runOnce(kNow, nullptr, [&] { ++yields; });
        QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
        QCOMPARE(report->tickCutoffMs, tickCut);
        QCOMPARE(report->candleCutoffMs, candleCut);
        QVERIFY(report->batches > 10);          // small batches, not one statement
        QVERIFY(yields >= report->batches / 2); // the worker's yield runs between the batches

        // Ticks: exactly those before the cutoff went; the boundary to the millisecond.
        std::vector<T> kept;
        for (const T &t : ticks) {
            if (t.ts >= tickCut)
                kept.push_back(t);
        }
        const std::vector<T> remaining = readTicks(db);
        QCOMPARE(remaining.size(), kept.size());
        QCOMPARE(report->ticksDeleted, qint64(ticks.size() - kept.size()));
        int xrp = 0;
        for (const T &t : remaining) {
            QVERIFY(t.ts >= tickCut);
            xrp += t.symbol == u"XRP";
        }
        QCOMPARE(xrp, 2); // on the cutoff and after it; 1 ms before is gone

        // Candles: 1 s ones before their cutoff went, everything else stayed, and every candle from
        // the tick cutoff on equals its recomputation over the remaining ticks.
        const std::map<CandleKey, C> stored = readCandles(db);
        qint64 expectedGone = 0;
        for (const auto &[k, c] : inserted) {
            const bool gone = std::get<2>(k) == 1 && std::get<3>(k) < candleCut;
            expectedGone += gone;
            QCOMPARE(stored.count(k), size_t(gone ? 0 : 1));
        }
        QCOMPARE(report->candlesDeleted, expectedGone);
        std::map<CandleKey, C> recomputed = candlesOf(remaining);
        std::erase_if(recomputed, [&](const auto &kv) {
            return std::get<2>(kv.first) == 1 && std::get<3>(kv.first) < candleCut;
        });
        int compared = 0;
        for (const auto &[k, c] : stored) {
            if (std::get<3>(k) < tickCut)
                continue; // older buckets keep their candles (coarser ones forever) without ticks
            ++compared;
            const auto it = recomputed.find(k);
            QVERIFY(it != recomputed.end());
            const C &r = it->second;
            QCOMPARE(c.trades, r.trades);
            QCOMPARE(c.first, r.first);
            QCOMPARE(c.last, r.last);
            QVERIFY(std::abs(c.open - r.open) < 1e-9 && std::abs(c.close - r.close) < 1e-9);
            QVERIFY(std::abs(c.high - r.high) < 1e-9 && std::abs(c.low - r.low) < 1e-9);
            QVERIFY(std::abs(c.volume - r.volume) < 1e-6);
        }
        QCOMPARE(size_t(compared), recomputed.size()); // and no recomputed bucket is missing
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM late_ticks")) && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        q.finish();

        // A second pass finds nothing more.
        const Result<RetentionReport> again = job->runOnce(kNow);
        QVERIFY2(again.ok(), qPrintable(again.errorMessage()));
        QCOMPARE(again->ticksDeleted, 0);
        QCOMPARE(again->candlesDeleted, 0);

        if (!pg) {
            // Half of the rows went: the file gives the space back.
            QVERIFY2(report->pagesReclaimed > 0, "incremental vacuum reclaimed nothing");
            const qint64 fileAfter = QFileInfo(db.databaseName()).size();
            QVERIFY2(
                fileAfter < bytesBefore * 3 / 4,
                qPrintable(QStringLiteral("file %1 -> %2 bytes").arg(bytesBefore).arg(fileAfter)));
            QVERIFY(q.exec(QStringLiteral("PRAGMA freelist_count")) && q.next());
            QCOMPARE(q.value(0).toInt(), 0);
        }
        q = QSqlQuery();
        job.reset();
        db = QSqlDatabase();
        opened = makeError(QString());
        closeDatabase(u"ret-"_qs + backend);
    }

    void existingSqliteFileIsConverted()
    {
        // A file made before auto_vacuum was set (auto_vacuum=NONE with tables in it).
        const QString path = m_dir.filePath(QStringLiteral("old.db"));
        {
            QSqlDatabase raw =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old-raw"));
            raw.setDatabaseName(path);
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            QVERIFY(q.exec(QStringLiteral("PRAGMA auto_vacuum=NONE")));
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE filler (x TEXT)")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA auto_vacuum")) && q.next());
            QCOMPARE(q.value(0).toInt(), 0);
            q = QSqlQuery();
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("old-raw"));
        DatabaseUrl url;
        url.sqlitePath = path;
        auto db = openDatabase(url, QStringLiteral("old"));
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        auto job = std::make_unique<RetentionJob>(db.value(), RetentionPolicy{});
        const Result<QString> note = job->prepare();
        QVERIFY2(note.ok(), qPrintable(note.errorMessage()));
        QVERIFY2(note->contains(u"converted"), qPrintable(note.value()));
        {
            QSqlQuery q(db.value());
            QVERIFY(q.exec(QStringLiteral("PRAGMA auto_vacuum")) && q.next());
            QCOMPARE(q.value(0).toInt(), 2);
        }
        // Too big to convert while the pipeline runs: said, not done.
        QSqlQuery q(db.value());
        QVERIFY(q.exec(QStringLiteral("PRAGMA auto_vacuum=NONE")) &&
                q.exec(QStringLiteral("VACUUM")));
        q = QSqlQuery();
        const Result<QString> refused = job->prepare(1);
        QVERIFY(refused.ok());
        QVERIFY2(refused->contains(u"does not shrink"), qPrintable(refused.value()));
        job.reset();
        db = makeError(QString());
        closeDatabase(QStringLiteral("old"));
    }

    void cleanupTestCase()
    {
        if (m_pg)
            m_pg->stop();
    }
};

QTEST_GUILESS_MAIN(TstRetention)
#include "tst_retention.moc"
