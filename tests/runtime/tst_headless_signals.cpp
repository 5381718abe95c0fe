// SIGTERM and SIGINT end the real binary within 2 s, with its summary line, in every state a user
// can catch it in: running, starting with Kafka unreachable, starting against a database that
// accepts TCP but never answers, waiting for a migration lock that another instance holds, and with
// PostgreSQL frozen mid-run (SIGSTOP on all its processes). A consumer failure ends the process by
// itself, in Error, with exit code 1 and the summary.
//
// Each row waits for a marker the app prints on stderr when it is in the state under test (never a
// sleep), then sends the signal and measures until the process has exited.
#include "headless_process.h"
#include "pg_server.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <csignal>

using namespace ms::test;

namespace {

constexpr int kExitBoundMs = 2000; // the promise: every state ends within 2 s of the signal
constexpr qint64 kMigrationLockKey = 0x4d53'4d49'4752; // storage/database.cpp's key

enum class Setup { Sqlite, KafkaUnreachable, SilentDatabase, MigrationLockHeld, PostgresFrozen };

// Every pid of the server under dataDir: the postmaster (postmaster.pid's first line) and its
// children.
QList<pid_t> serverPids(const QString &dataDir)
{
    QList<pid_t> pids;
    QFile f(dataDir + QStringLiteral("/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return pids;
    const pid_t master = pid_t(QString::fromLatin1(f.readLine()).trimmed().toInt());
    if (master <= 0)
        return pids;
    pids << master;
    const QStringList procs = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &p : procs) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(p));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
        const QByteArray s = stat.readAll();
        const QList<QByteArray> rest = s.mid(s.lastIndexOf(')') + 2).split(' ');
        if (rest.size() > 1 && rest.at(1).toInt() == master)
            pids << pid_t(p.toInt());
    }
    return pids;
}

void signalAll(const QList<pid_t> &pids, int sig)
{
    for (pid_t pid : pids)
        ::kill(pid, sig);
}

} // namespace

class TstHeadlessSignals : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    PgServer m_pg;
    QList<pid_t> m_frozen;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
    }

    void cleanup()
    {
        signalAll(m_frozen, SIGCONT); // never leave the server frozen for the next row
        m_frozen.clear();
    }

    void signalEndsEveryStateWithinTwoSeconds_data()
    {
        QTest::addColumn<int>("setup");
        QTest::addColumn<int>("signal");
        QTest::addColumn<QByteArray>("marker"); // on stderr: the app is in the state under test
        QTest::addColumn<QList<int>>(
            "exitCodes"); // 0 = stopped cleanly; 3 = left a stuck dependency
        auto row = [](const char *name, Setup s, int sig, const char *marker, QList<int> codes) {
            QTest::newRow(name) << int(s) << sig << QByteArray(marker) << codes;
        };
        row("running, SIGTERM", Setup::Sqlite, SIGTERM, "running:", {0});
        row("running, SIGINT", Setup::Sqlite, SIGINT, "running:", {0});
        row("starting, Kafka unreachable", Setup::KafkaUnreachable, SIGTERM, "Connect to", {0});
        // connect_timeout may or may not expire before the bound: either ends it, both within 2 s.
        row("starting, database silent", Setup::SilentDatabase, SIGTERM, "", {0, 3});
        row("starting, migration lock held", Setup::MigrationLockHeld, SIGTERM,
            "holds the migration lock", {0});
        row("running, PostgreSQL frozen", Setup::PostgresFrozen, SIGTERM, "running:", {0, 3});
    }

    void signalEndsEveryStateWithinTwoSeconds()
    {
        QFETCH(int, setup);
        QFETCH(int, signal);
        QFETCH(QByteArray, marker);
        QFETCH(QList<int>, exitCodes);
        const Setup s = Setup(setup);
        const QString tag =
            QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_').replace(u',', u'_');

        QTcpServer silent; // accepts connections and never says a word
        QSqlDatabase holder;
        const QString holderName = QStringLiteral("lock-holder");
        QStringList args{QStringLiteral("--headless"), QStringLiteral("--rate"),
                         QStringLiteral("2000")};
        switch (s) {
        case Setup::Sqlite:
            args << QStringLiteral("--db")
                 << QStringLiteral("sqlite://") + m_dir.filePath(tag + QStringLiteral(".db"));
            break;
        case Setup::KafkaUnreachable:
            args << QStringLiteral("--kafka") << QStringLiteral("127.0.0.1:1")
                 << QStringLiteral("--db")
                 << QStringLiteral("sqlite://") + m_dir.filePath(tag + QStringLiteral(".db"));
            break;
        case Setup::SilentDatabase:
            QVERIFY(silent.listen(QHostAddress::LocalHost));
            args << QStringLiteral("--db")
                 << QStringLiteral("postgresql://postgres@127.0.0.1:%1/market")
                        .arg(silent.serverPort());
            break;
        case Setup::MigrationLockHeld: {
            QVERIFY(m_pg.createDatabase(tag.toLower()));
            holder = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), holderName);
            holder.setHostName(QStringLiteral("127.0.0.1"));
            holder.setPort(m_pg.port());
            holder.setUserName(m_pg.user());
            holder.setDatabaseName(tag.toLower());
            QVERIFY(holder.open());
            QSqlQuery q(holder);
            QVERIFY(q.exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(kMigrationLockKey)));
            args << QStringLiteral("--db") << m_pg.url(tag.toLower());
            break;
        }
        case Setup::PostgresFrozen:
            QVERIFY(m_pg.createDatabase(tag.toLower()));
            args << QStringLiteral("--db") << m_pg.url(tag.toLower());
            break;
        }

        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        dieWithTest(p);
        p.start(QStringLiteral(MS_APP_PATH), args);
        QVERIFY(p.waitForStarted());
        QByteArray err;
        if (s == Setup::SilentDatabase) {
            QVERIFY2(silent.waitForNewConnection(20000), "the app never connected to the database");
        } else {
            QVERIFY2(waitUntil(
                         [&] {
                             err += p.readAllStandardError();
                             return err.contains(marker);
                         },
                         30000),
                     err.constData());
        }
        if (s == Setup::PostgresFrozen) {
            m_frozen = serverPids(m_pg.dataDir());
            QVERIFY(m_frozen.size() > 1);
            signalAll(m_frozen, SIGSTOP);
        }

        QElapsedTimer sinceSignal;
        sinceSignal.start();
        ::kill(pid_t(p.processId()), signal);
        const bool exited = p.waitForFinished(15000);
        const qint64 tookMs = sinceSignal.elapsed();
        err += p.readAllStandardError();
        QVERIFY2(exited, "the process did not exit after the signal");
        QVERIFY2(tookMs < kExitBoundMs,
                 qPrintable(QStringLiteral("exit took %1 ms; stderr tail: %2")
                                .arg(tookMs)
                                .arg(QString::fromUtf8(err.right(1500)))));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(exitCodes.contains(p.exitCode()),
                 qPrintable(QStringLiteral("exit code %1").arg(p.exitCode())));
        const QStringList lines =
            QString::fromUtf8(p.readAllStandardOutput()).trimmed().split(u'\n');
        const QJsonObject summary = QJsonDocument::fromJson(lines.last().toUtf8()).object();
        QVERIFY2(summary.contains(QStringLiteral("stored")), qPrintable(lines.join(u'\n')));

        if (holder.isValid()) {
            holder.close();
            holder = QSqlDatabase();
            QSqlDatabase::removeDatabase(holderName);
        }
    }

    void consumerFailureEndsInErrorWithCode1()
    {
        // The consumer cannot go on (its table is gone): the process ends by itself, in Error, with
        // the reason on stderr and the summary on stdout — it does not stay alive and deaf.
        const QString path = m_dir.filePath(QStringLiteral("dropped.db"));
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        dieWithTest(p);
        p.start(QStringLiteral(MS_APP_PATH),
                {QStringLiteral("--headless"), QStringLiteral("--rate"), QStringLiteral("2000"),
                 QStringLiteral("--db"), QStringLiteral("sqlite://") + path});
        QVERIFY(p.waitForStarted());
        QByteArray err;
        QVERIFY2(waitUntil(
                     [&] {
                         err += p.readAllStandardError();
                         return err.contains("running:");
                     },
                     30000),
                 err.constData());
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("dropper"));
            db.setDatabaseName(path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY2(q.exec(QStringLiteral("DROP TABLE candles")),
                     qPrintable(q.lastError().text()));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("dropper"));
        QVERIFY2(p.waitForFinished(15000), "the process stayed alive after its consumer failed");
        err += p.readAllStandardError();
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(err.contains("marketstream: error:") && err.contains("candles"),
                 err.right(2000).constData());
        const QStringList lines =
            QString::fromUtf8(p.readAllStandardOutput()).trimmed().split(u'\n');
        const QJsonObject summary = QJsonDocument::fromJson(lines.last().toUtf8()).object();
        QVERIFY2(summary.value(QStringLiteral("db_errors")).toInteger() >= 1,
                 qPrintable(lines.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TstHeadlessSignals)
#include "tst_headless_signals.moc"
