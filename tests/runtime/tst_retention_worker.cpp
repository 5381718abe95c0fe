// The pipeline's retention thread: it measures the database for the health panel (databaseBytes),
// runs its pass on the policy given by the configuration, deletes what is too old and nothing else,
// and ends on the stop flag.
#include "runtime/metrics_registry.h"
#include "runtime/retention_worker.h"
#include "storage/database.h"
#include "storage/sql_time.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <thread>

using namespace ms;

class TstRetentionWorker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deletesOldTicksAndReportsTheSize_data()
    {
        QTest::addColumn<int>("tickDays");
        QTest::addColumn<int>("expectedLeft");
        QTest::newRow("2 days") << 2 << 10;  // the 10 recent ticks
        QTest::newRow("forever") << 0 << 20; // nothing deleted, the size still measured
    }

    void deletesOldTicksAndReportsTheSize()
    {
        QFETCH(int, tickDays);
        QFETCH(int, expectedLeft);
        QTemporaryDir dir;
        DatabaseUrl url;
        url.sqlitePath = dir.filePath(QStringLiteral("w.db"));
        {
            auto db = openDatabase(url, QStringLiteral("setup"));
            QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
            QVERIFY(applyMigrations(db.value()).ok());
            QSqlQuery q(db.value());
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            for (int i = 0; i < 20; ++i) {
                const qint64 ts =
                    i < 10 ? now - 5 * 86'400'000LL + i : now - 60'000 + i; // 10 old, 10 recent
                QVERIFY(
                    q.exec(QStringLiteral("INSERT INTO crypto_data (symbol, price, \"timestamp\", "
                                          "source, kind, trade_id) "
                                          "VALUES ('BTC', 1, '%1', 'simulator', 'trade', 't%2')")
                               .arg(storage_detail::timeParam(ts))
                               .arg(i)));
            }
            q = QSqlQuery();
            db = makeError(QString());
            closeDatabase(QStringLiteral("setup"));
        }
        MetricsRegistry metrics;
        RetentionWorkerOptions o;
        o.database = url;
        o.policy.tickDays = tickDays;
        o.policy.oneSecondCandleDays = 0;
        o.firstPassAfterMs = 0;
        o.passEveryMs = 3'600'000;
        RetentionWorker worker(o, metrics);
        std::atomic_bool stop{false};
        Status result;
        std::thread t([&] { result = worker.run(stop); });
        QTRY_VERIFY_WITH_TIMEOUT(metrics.databaseBytes.load() > 0, 10000);
        if (tickDays > 0)
            QTRY_COMPARE_WITH_TIMEOUT(worker.passes(), 1, 10000);
        stop.store(true);
        t.join();
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(worker.passes(), tickDays > 0 ? 1 : 0);
        QCOMPARE(metrics.snapshot().databaseBytes, metrics.databaseBytes.load());

        auto db = openDatabase(url, QStringLiteral("check"));
        QVERIFY(db.ok());
        {
            QSqlQuery q(db.value());
            QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM crypto_data")) && q.next());
            QCOMPARE(q.value(0).toInt(), expectedLeft);
        }
        db = makeError(QString());
        closeDatabase(QStringLiteral("check"));
    }
};

QTEST_GUILESS_MAIN(TstRetentionWorker)
#include "tst_retention_worker.moc"
