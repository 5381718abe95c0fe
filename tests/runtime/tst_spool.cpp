// A clean stop with the database down loses nothing although the embedded broker dies with the
// process: the ticks produced but not stored go to the spool (summary "spooled"), and the next
// start stores every one of them exactly once — the tick count then equals everything the first run
// produced, with no duplicate natural key.
#include "headless_process.h"
#include "pg_server.h"

#include <QDir>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <csignal>

using namespace ms::test;

class TstSpool : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    PgServer m_pg;

    qint64 storedTicks()
    {
        bool ok = false;
        const qint64 n = m_pg.psql(QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + "
                                                  "(SELECT count(*) FROM stock_data)"),
                                   QStringLiteral("spool"))
                             .trimmed()
                             .toLongLong(&ok);
        return ok ? n : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(m_pg.createDatabase(QStringLiteral("spool")));
    }

    void cleanStopWithDatabaseDownSpoolsAndNextStartStoresEachTickOnce()
    {
        // The spool is keyed by database: a run against another database (first here) replays
        // nothing.
        QVERIFY(m_pg.createDatabase(QStringLiteral("other")));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"),
                   m_dir.filePath(QStringLiteral("data"))); // the spool lives here
        const QString spoolRoot =
            m_dir.filePath(QStringLiteral("data/MarketStream/marketstream/spool"));
        auto spoolFiles = [&] {
            QStringList files;
            const QStringList keys = QDir(spoolRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
            for (const QString &k : keys)
                files << QDir(spoolRoot + u'/' + k)
                             .entryList({QStringLiteral("*.jsonl")}, QDir::Files);
            return files;
        };

        QProcess first;
        first.setProcessEnvironment(env);
        first.setWorkingDirectory(m_dir.path());
        dieWithTest(first);
        first.start(QStringLiteral(MS_APP_PATH),
                    {QStringLiteral("--headless"), QStringLiteral("--rate"), QStringLiteral("3000"),
                     QStringLiteral("--db"), m_pg.url(QStringLiteral("spool"))});
        QVERIFY(first.waitForStarted());
        QByteArray err;
        QVERIFY2(waitUntil(
                     [&] {
                         err += first.readAllStandardError();
                         return err.contains("running:");
                     },
                     30000),
                 err.constData());
        QVERIFY(waitUntil([&] { return storedTicks() > 1000; }, 30000));
        QVERIFY(m_pg.stop());
        // The consumer has met the outage (and keeps retrying the same batch) while ticks go on
        // arriving.
        QVERIFY2(waitUntil(
                     [&] {
                         err += first.readAllStandardError();
                         return err.contains("will retry the same batch");
                     },
                     30000),
                 err.right(2000).constData());
        ::kill(pid_t(first.processId()), SIGTERM);
        QVERIFY(first.waitForFinished(15000));
        err += first.readAllStandardError();
        if (first.exitCode() != 0)
            qWarning("first run exited %d; the end of its stderr:\n%s", first.exitCode(), err.right(1500).constData());
        QCOMPARE(first.exitCode(), 0);
        const QStringList lines =
            QString::fromUtf8(first.readAllStandardOutput()).trimmed().split(u'\n');
        const QJsonObject summary = QJsonDocument::fromJson(lines.last().toUtf8()).object();
        const qint64 produced = summary.value(QStringLiteral("produced")).toInteger();
        const qint64 spooled = summary.value(QStringLiteral("spooled")).toInteger();
        QVERIFY2(spooled > 0,
                 qPrintable(lines.last() + u'\n' + QString::fromUtf8(err.right(2000))));
        QVERIFY(!spoolFiles().isEmpty());

        QVERIFY(m_pg.resume());
        const qint64 storedBefore = storedTicks();
        QVERIFY(storedBefore > 0);
        QVERIFY2(storedBefore < produced, "nothing was left to spool: the test did not test it");
        qInfo("first run: produced %lld, stored %lld, spooled %lld", produced, storedBefore,
              spooled);
        // A consumers-only run against another database replays nothing of it and leaves it alone.
        {
            QProcess other;
            other.setProcessEnvironment(env);
            other.setWorkingDirectory(m_dir.path());
            dieWithTest(other);
            other.start(QStringLiteral(MS_APP_PATH),
                        {QStringLiteral("--headless"), QStringLiteral("--source"),
                         QStringLiteral("none"), QStringLiteral("--idle-exit"), QStringLiteral("1"),
                         QStringLiteral("--db"), m_pg.url(QStringLiteral("other"))});
            QVERIFY(other.waitForFinished(60000));
            QCOMPARE(other.exitCode(), 0);
            QCOMPARE(m_pg.psql(QStringLiteral("SELECT count(*) FROM crypto_data"),
                               QStringLiteral("other"))
                         .trimmed(),
                     QStringLiteral("0"));
            QVERIFY(!spoolFiles().isEmpty());
        }
        // Consumers only: the replay of the spool is the only input. --idle-exit ends the run.
        QProcess second;
        second.setProcessEnvironment(env);
        second.setWorkingDirectory(m_dir.path());
        dieWithTest(second);
        second.start(QStringLiteral(MS_APP_PATH),
                     {QStringLiteral("--headless"), QStringLiteral("--source"),
                      QStringLiteral("none"), QStringLiteral("--idle-exit"), QStringLiteral("3"),
                      QStringLiteral("--db"), m_pg.url(QStringLiteral("spool"))});
        QVERIFY(second.waitForFinished(60000));
        QCOMPARE(second.exitCode(), 0);
        QCOMPARE(storedTicks(), produced); // every produced tick, once
        QCOMPARE(
            m_pg.psql(QStringLiteral(
                          "SELECT count(*) FROM (SELECT source, symbol, trade_id FROM crypto_data "
                          "GROUP BY 1, 2, 3 HAVING count(*) > 1) d"),
                      QStringLiteral("spool"))
                .trimmed(),
            QStringLiteral("0"));
        // Read to the end and stored: the next clean stop removed the spool files.
        QVERIFY(spoolFiles().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstSpool)
#include "tst_spool.moc"
