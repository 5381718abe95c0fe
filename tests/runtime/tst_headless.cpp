// The headless mode of the real binary: N simulated ticks → exactly N rows (SQLite and a real
// PostgreSQL), a rerun of the same seed adds nothing, bad arguments and an unreachable database exit
// with code 2 (an unreachable database with 3) and one clear line, SIGTERM shuts down cleanly with a summary.
#include "headless_process.h"
#include "pg_server.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <csignal>

using namespace ms::test;

namespace {
qint64 countRows(const QString &driver, const QString &connect, const QString &sql)
{
    qint64 n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, QStringLiteral("count"));
        if (driver == QStringLiteral("QSQLITE")) {
            db.setDatabaseName(connect);
        } else {
            const QUrl url(connect);
            db.setHostName(url.host());
            db.setPort(url.port());
            db.setUserName(url.userName());
            db.setDatabaseName(url.path().mid(1));
        }
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                n = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("count"));
    return n;
}

QStringList simArgs(const QString &db, int n, int seed)
{
    return {QStringLiteral("--headless"),  QStringLiteral("--source"),     QStringLiteral("simulator"),
            QStringLiteral("--seed"),      QString::number(seed),          QStringLiteral("--rate"),
            QStringLiteral("0"),           QStringLiteral("--max-ticks"),  QString::number(n),
            QStringLiteral("--start-time"), QStringLiteral("2024-03-01T09:30:00Z"), QStringLiteral("--db"),
            db};
}
}  // namespace

class TstHeadless : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    PgServer m_pg;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(m_pg.createDatabase(QStringLiteral("market")));
    }

    void versionNamesQtAndLibrdkafka()
    {
        const auto r = runApp({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("marketstream 0.")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("Qt 6.")));
        QVERIFY(r.out.contains(QStringLiteral("librdkafka 2.")));
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--headless"), QStringLiteral("--frobnicate")}
                                        << QStringLiteral("Unknown option 'frobnicate'");
        QTest::newRow("bad rate") << QStringList{QStringLiteral("--headless"), QStringLiteral("--rate"), QStringLiteral("fast")}
                                  << QStringLiteral("--rate needs a number");
        QTest::newRow("bad source") << QStringList{QStringLiteral("--headless"), QStringLiteral("--source"), QStringLiteral("bloomberg")}
                                    << QStringLiteral("unknown source 'bloomberg'");
        QTest::newRow("nothing to run") << QStringList{QStringLiteral("--headless"), QStringLiteral("--source"), QStringLiteral("none"),
                                                       QStringLiteral("--no-consumer")}
                                        << QStringLiteral("leaves nothing to run");
        QTest::newRow("bad db url") << QStringList{QStringLiteral("--headless"), QStringLiteral("--db"), QStringLiteral("mysql://x")}
                                    << QStringLiteral("mysql");
        QTest::newRow("bad intervals") << QStringList{QStringLiteral("--headless"), QStringLiteral("--intervals"), QStringLiteral("1x")}
                                       << QStringLiteral("bad interval");
    }
    void badArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = runApp(args, 30000);
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.err.trimmed().count(u'\n') <= 3, qPrintable(r.err));  // a short, clear message
    }

    void unreachableDatabaseExitsWith3AndHidesPassword()
    {
        const auto r = runApp({QStringLiteral("--headless"), QStringLiteral("--max-ticks"), QStringLiteral("10"),
                               QStringLiteral("--db"), QStringLiteral("postgresql://trader:s3cretPassw0rd@127.0.0.1:1/market")},
                              60000);
        QVERIFY2(r.finished, "the app hung on an unreachable database");
        QCOMPARE(r.exitCode, 3);  // a dependency could not be reached (--help's exit codes)
        QVERIFY2(r.err.contains(QStringLiteral("cannot open the database")), qPrintable(r.err));
        QVERIFY(!r.err.contains(QStringLiteral("s3cretPassw0rd")));
        QVERIFY(!r.out.contains(QStringLiteral("s3cretPassw0rd")));
    }

    void sqliteStoresExactlyNAndRerunAddsNothing()
    {
        const QString file = m_dir.filePath(QStringLiteral("sim.db"));
        const QString url = QStringLiteral("sqlite://") + file;
        const auto first = runApp(simArgs(url, 3000, 7), 120000, m_dir.path());
        QVERIFY2(first.finished && first.exitCode == 0, qPrintable(first.err.right(3000)));
        QCOMPARE(first.summary.value(QStringLiteral("stored")).toInteger(), 3000);
        QCOMPARE(first.summary.value(QStringLiteral("produced")).toInteger(), 3000);
        QCOMPARE(first.summary.value(QStringLiteral("rejected")).toInteger(), 0);
        QVERIFY(first.summary.value(QStringLiteral("candle_writes")).toInteger() > 0);
        QVERIFY(first.summary.contains(QStringLiteral("latency_p99_ms")));
        const QString count = QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)");
        QCOMPARE(countRows(QStringLiteral("QSQLITE"), file, count), 3000);

        const auto second = runApp(simArgs(url, 3000, 7), 120000, m_dir.path());
        QVERIFY2(second.finished && second.exitCode == 0, qPrintable(second.err.right(3000)));
        QCOMPARE(second.summary.value(QStringLiteral("duplicates")).toInteger(), 3000);
        QCOMPARE(countRows(QStringLiteral("QSQLITE"), file, count), 3000);
    }

    void postgresStoresExactlyNAndRerunAddsNothing()
    {
        const QString url = m_pg.url(QStringLiteral("market"));
        const auto first = runApp(simArgs(url, 20000, 11), 180000, m_dir.path());
        QVERIFY2(first.finished && first.exitCode == 0, qPrintable(first.err.right(3000)));
        QCOMPARE(first.summary.value(QStringLiteral("stored")).toInteger(), 20000);
        QCOMPARE(m_pg.psql(QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)"),
                           QStringLiteral("market")),
                 QStringLiteral("20000"));
        // Every tick is stored with its natural key and its event time.
        // Round robin over BTC, ETH, BNB, AAPL, MSFT, GOOGL: 3334 + 3334 + 3333 crypto ticks.
        QCOMPARE(m_pg.psql(QStringLiteral("SELECT count(DISTINCT trade_id) FROM crypto_data"), QStringLiteral("market")),
                 QStringLiteral("10001"));
        // Event times from --start-time, 1 ms apart: BTC is tick 0, AAPL tick 3.
        QCOMPARE(m_pg.psql(QStringLiteral("SELECT min(\"timestamp\") FROM crypto_data"), QStringLiteral("market")),
                 QStringLiteral("2024-03-01 09:30:00+00"));
        QCOMPARE(m_pg.psql(QStringLiteral("SELECT min(\"timestamp\") FROM stock_data"), QStringLiteral("market")),
                 QStringLiteral("2024-03-01 09:30:00.003+00"));

        const auto second = runApp(simArgs(url, 20000, 11), 180000, m_dir.path());
        QVERIFY2(second.finished && second.exitCode == 0, qPrintable(second.err.right(3000)));
        QCOMPARE(m_pg.psql(QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)"),
                           QStringLiteral("market")),
                 QStringLiteral("20000"));
        // A different seed adds its own ticks.
        const auto third = runApp(simArgs(url, 600, 12), 180000, m_dir.path());
        QVERIFY2(third.finished && third.exitCode == 0, qPrintable(third.err.right(3000)));
        QCOMPARE(m_pg.psql(QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)"),
                           QStringLiteral("market")),
                 QStringLiteral("20600"));
    }

    void sigtermStopsCleanlyWithSummary()
    {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        ms::test::dieWithTest(p);
        p.start(QStringLiteral(MS_APP_PATH),
                {QStringLiteral("--headless"), QStringLiteral("--rate"), QStringLiteral("2000"), QStringLiteral("--db"),
                 QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("term.db"))});
        QVERIFY(p.waitForStarted());
        // Wait until something is stored (the log says "running").
        QByteArray err;
        for (int i = 0; i < 300 && !err.contains("running:"); ++i) {
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
        }
        QVERIFY2(err.contains("running:"), err.constData());
        // SIGTERM once ticks are in the database (the condition, not a guess at how long it takes).
        const QString stored = QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)");
        QTRY_VERIFY_WITH_TIMEOUT(countRows(QStringLiteral("QSQLITE"), m_dir.filePath(QStringLiteral("term.db")), stored) > 0,
                                 60000);
        ::kill(pid_t(p.processId()), SIGTERM);
        QVERIFY2(p.waitForFinished(10000), "no clean shutdown after SIGTERM");
        QCOMPARE(p.exitCode(), 0);
        const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).trimmed().split(u'\n');
        const QJsonObject summary = QJsonDocument::fromJson(lines.last().toUtf8()).object();
        QVERIFY(summary.value(QStringLiteral("stored")).toInteger() > 0);
        // A clean stop drains: everything produced was stored before the embedded broker went away.
        QCOMPARE(summary.value(QStringLiteral("stored")).toInteger(), summary.value(QStringLiteral("produced")).toInteger());
    }
};

QTEST_GUILESS_MAIN(TstHeadless)
#include "tst_headless.moc"
#include "test_util.h"
