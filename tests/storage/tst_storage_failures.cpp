// Storage under failure, on a real PostgreSQL 15 (its own throwaway server) and SQLite: the server
// restarted between writes, the server down, an unreachable host, a broken migration, several
// instances migrating at once.
#include "pg_server.h"
#include "storage/database.h"
#include "storage/tick_store.h"
#include "storage_test_util.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>

using namespace ms;
using namespace ms::test;

namespace {

// Writes until it succeeds or only non-retryable errors remain (what the runtime's retry loop does).
Result<WriteResult> writeWithRetry(TickStore &store, const WriteBatch &batch, int *failures)
{
    for (int attempt = 0;; ++attempt) {
        auto r = store.write(batch);
        if (r || !isRetryable(r.error()) || attempt >= 100)
            return r;
        ++*failures;
        QThread::msleep(200);
    }
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

}  // namespace

class TstStorageFailures : public QObject
{
    Q_OBJECT

private:
    PgServer m_pg;
    QTemporaryDir m_dir;
    int m_seq = 0;

    DatabaseUrl freshPgUrl()
    {
        const QString schema = QStringLiteral("f%1").arg(++m_seq);
        // A fresh connection each time: the server may have been restarted by an earlier test.
        if (scalar(*DatabaseUrl::parse(m_pg.url()), QStringLiteral("CREATE SCHEMA ") + schema) < -1)
            qFatal("unreachable");
        if (scalar(*DatabaseUrl::parse(m_pg.url()),
                   QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname = '%1'").arg(schema)) != 1)
            qFatal("CREATE SCHEMA %s failed", qPrintable(schema));
        return *DatabaseUrl::parse(m_pg.url() + QStringLiteral("?options=-csearch_path%3D") + schema);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(m_dir.isValid());
    }

    void serverRestartedBetweenWrites()
    {
        const DatabaseUrl url = freshPgUrl();
        auto opened = TickStore::open(url, QStringLiteral("restart"));
        QVERIFY2(opened, qPrintable(opened.errorMessage()));
        TickStore &store = **opened;
        const std::vector<Tick> a = makeTicks(0, 1000);
        const std::vector<OffsetRecord> oa{{"g", "c", "crypto_topic", 0, 1000}};
        QVERIFY(store.write({a, {}, oa}));

        QVERIFY2(m_pg.restart(), qPrintable(m_pg.errorString()));

        const std::vector<Tick> b = makeTicks(1000, 2000);
        const std::vector<OffsetRecord> ob{{"g", "c", "crypto_topic", 0, 2000}};
        int failures = 0;
        auto r = writeWithRetry(store, {b, {}, ob}, &failures);
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QVERIFY(r->reconnected || failures > 0);  // the first write after the restart noticed it
        QCOMPARE(r->ticksInserted, 1000);
        QCOMPARE(tickRows(url), 2000);
        auto offsets = store.loadOffsets("g", "c");
        QVERIFY(offsets);
        QCOMPARE(offsets->size(), size_t(1));
        QCOMPARE(offsets->front().nextOffset, 2000);
        // Replaying both after the restart changes nothing.
        auto again = store.write({a, {}, oa});
        QVERIFY(again);
        QCOMPARE(again->ticksDuplicate, 1000);
        QCOMPARE(tickRows(url), 2000);
    }

    void serverDownGivesRetryableErrorThenRecovers()
    {
        const DatabaseUrl url = freshPgUrl();
        auto opened = TickStore::open(url, QStringLiteral("down"));
        QVERIFY(opened);
        TickStore &store = **opened;
        QVERIFY(store.write({makeTicks(0, 100), {}, {}}));
        QVERIFY(m_pg.stop());
        QElapsedTimer timer;
        timer.start();
        const std::vector<Tick> b = makeTicks(100, 200);
        auto r = store.write({b, {}, {}});
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("db_unreachable"));
        QVERIFY(isRetryable(r.error()));
        QVERIFY2(timer.elapsed() < 30000, "a down server must fail fast, not hang");  // bound, not speed
        auto ping = store.ping();
        QVERIFY(!ping);
        QCOMPARE(ping.error().code, QStringLiteral("db_unreachable"));

        QVERIFY2(m_pg.restart(), qPrintable(m_pg.errorString()));  // starts the stopped server again
        int failures = 0;
        auto ok = writeWithRetry(store, {b, {}, {}}, &failures);
        QVERIFY2(ok, qPrintable(ok.errorMessage()));
        QCOMPARE(tickRows(url), 200);
        QVERIFY(store.ping());
    }

    void unreachableServerFailsClearlyWithoutPassword_data()
    {
        QTest::addColumn<QString>("hostPort");
        QTcpServer probe;  // a port that nobody listens on
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QString closed = QStringLiteral("127.0.0.1:%1").arg(probe.serverPort());
        probe.close();
        QTest::newRow("closed port") << closed;
        QTest::newRow("unresolvable host") << QStringLiteral("no-such-host.invalid:5432");
        QTest::newRow("blackhole address") << QStringLiteral("192.0.2.1:5432");  // TEST-NET-1: never answers
    }

    void unreachableServerFailsClearlyWithoutPassword()
    {
        QFETCH(QString, hostPort);
        const QString secret = QStringLiteral("Sup3r-Secret-pw");
        auto url = DatabaseUrl::parse(QStringLiteral("postgresql://bob:") + secret + u'@' + hostPort
                                      + QStringLiteral("/market?connect_timeout=2"));
        QVERIFY(url);
        QElapsedTimer timer;
        timer.start();
        auto store = TickStore::open(*url, QStringLiteral("unreachable"));
        QVERIFY(!store);
        QVERIFY2(timer.elapsed() < 20000, "connect_timeout must bound the wait");
        QCOMPARE(store.error().code, QStringLiteral("db_unreachable"));
        QVERIFY(!store.errorMessage().contains(secret));
        QVERIFY2(store.errorMessage().contains(QLatin1String("Cannot connect to postgresql://bob:***@")),
                 qPrintable(store.errorMessage()));
        QVERIFY(!QSqlDatabase::contains(QStringLiteral("unreachable")));  // nothing left registered
    }

    void unknownDatabaseIsRejectedNotRetried()
    {
        auto url = DatabaseUrl::parse(m_pg.url(QStringLiteral("no_such_db")));
        QVERIFY(url);
        auto store = TickStore::open(*url, QStringLiteral("nodb"));
        QVERIFY(!store);
        QCOMPARE(store.error().code, QStringLiteral("db_rejected"));
        QVERIFY(!isRetryable(store.error()));
        QVERIFY2(store.errorMessage().contains(QLatin1String("no_such_db")), qPrintable(store.errorMessage()));
    }

    void brokenMigrationIsRolledBackAndNamed_data()
    {
        QTest::addColumn<bool>("postgres");
        QTest::newRow("postgres") << true;
        QTest::newRow("sqlite") << false;
    }

    void brokenMigrationIsRolledBackAndNamed()
    {
        QFETCH(bool, postgres);
        const DatabaseUrl url = postgres ? freshPgUrl()
                                         : *DatabaseUrl::parse(QStringLiteral("sqlite://") + m_dir.path()
                                                               + QStringLiteral("/mig%1.db").arg(++m_seq));
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("001_ok.sql")), "CREATE TABLE good_a (x integer);\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("002_broken.sql")),
                          "CREATE TABLE half_b (x integer);\nINSERT INTO no_such_table VALUES (1);\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("003_later.sql")), "CREATE TABLE later_c (x integer);\n"));
        const QString name = QStringLiteral("mig");
        {
            auto db = openDatabase(url, name);
            QVERIFY2(db, qPrintable(db.errorMessage()));
            Status s = applyMigrations(*db, dir.path());
            QVERIFY(!s);
            QCOMPARE(s.error().code, QStringLiteral("db_migration_failed"));
            QVERIFY2(s.errorMessage().contains(QLatin1String("002_broken.sql")), qPrintable(s.errorMessage()));
            QVERIFY2(s.errorMessage().contains(QLatin1String("no_such_table")), qPrintable(s.errorMessage()));
            auto applied = appliedMigrations(*db);
            QVERIFY(applied);
            QCOMPARE(*applied, QList<int>{1});
        }
        closeDatabase(name);
        const QString exists = postgres ? QStringLiteral("SELECT count(*) FROM pg_tables WHERE tablename = '%1'")
                                        : QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = '%1'");
        QCOMPARE(scalar(url, exists.arg(QStringLiteral("good_a"))), 1);
        QCOMPARE(scalar(url, exists.arg(QStringLiteral("half_b"))), 0);   // rolled back
        QCOMPARE(scalar(url, exists.arg(QStringLiteral("later_c"))), 0);  // never attempted
    }

    // An applied migration edited afterwards refuses the start, naming the file, before anything
    // new runs; the same file with CRLF line endings is not an edit. Also on a database migrated
    // before checksums existed (schema_migrations without the column): it upgrades, then checks.
    void editedMigrationIsRefused_data()
    {
        QTest::addColumn<bool>("postgres");
        QTest::addColumn<bool>("legacyTable");
        QTest::newRow("postgres") << true << false;
        QTest::newRow("sqlite") << false << false;
        QTest::newRow("postgres, table from before checksums") << true << true;
        QTest::newRow("sqlite, table from before checksums") << false << true;
    }

    void editedMigrationIsRefused()
    {
        QFETCH(bool, postgres);
        QFETCH(bool, legacyTable);
        const DatabaseUrl url = postgres ? freshPgUrl()
                                         : *DatabaseUrl::parse(QStringLiteral("sqlite://") + m_dir.path()
                                                               + QStringLiteral("/sum%1.db").arg(++m_seq));
        QTemporaryDir dir;
        const QString first = dir.filePath(QStringLiteral("001_first.sql"));
        const QString second = dir.filePath(QStringLiteral("002_second.sql"));
        QVERIFY(writeFile(first, "CREATE TABLE sum_a (x integer);\n"));
        QVERIFY(writeFile(second, "CREATE TABLE sum_b (x integer);\n"));
        const QString name = QStringLiteral("sum");
        {
            auto db = openDatabase(url, name);
            QVERIFY2(db, qPrintable(db.errorMessage()));
            if (legacyTable) {  // exactly what the runner created before checksums, with 001 and 002 applied
                QSqlQuery q(*db);
                QVERIFY(q.exec(postgres ? QStringLiteral("CREATE TABLE schema_migrations (version integer PRIMARY KEY, "
                                                         "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
                                        : QStringLiteral("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                                                         "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
                                                         "(strftime('%Y-%m-%d %H:%M:%f', 'now')))")));
                QVERIFY(q.exec(QStringLiteral("CREATE TABLE sum_a (x integer)")));
                QVERIFY(q.exec(QStringLiteral("CREATE TABLE sum_b (x integer)")));
                QVERIFY(q.exec(QStringLiteral("INSERT INTO schema_migrations (version, name) VALUES "
                                              "(1, '001_first.sql'), (2, '002_second.sql')")));
            }
            Status s = applyMigrations(*db, dir.path());
            QVERIFY2(s, qPrintable(s.errorMessage()));
        }
        closeDatabase(name);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM schema_migrations WHERE length(checksum) = 64")), 2);

        // CRLF line endings: the same migration.
        QVERIFY(writeFile(first, "CREATE TABLE sum_a (x integer);\r\n"));
        // An edit of an applied file, and a new file that must not run.
        QVERIFY(writeFile(second, "CREATE TABLE sum_b (x integer, y integer);\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("003_third.sql")), "CREATE TABLE sum_c (x integer);\n"));
        {
            auto db = openDatabase(url, name);
            QVERIFY2(db, qPrintable(db.errorMessage()));
            Status s = applyMigrations(*db, dir.path());
            QVERIFY(!s);
            QCOMPARE(s.error().code, QStringLiteral("db_migration_failed"));
            QVERIFY2(s.errorMessage().contains(QLatin1String("002_second.sql was changed after it was applied")),
                     qPrintable(s.errorMessage()));
            QVERIFY2(!s.errorMessage().contains(QLatin1String("001_first")), qPrintable(s.errorMessage()));
            auto applied = appliedMigrations(*db);
            QVERIFY(applied);
            QCOMPARE(*applied, (QList<int>{1, 2}));
        }
        closeDatabase(name);
        const QString exists = postgres ? QStringLiteral("SELECT count(*) FROM pg_tables WHERE tablename = '%1' AND schemaname = current_schema()")
                                        : QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = '%1'");
        QCOMPARE(scalar(url, exists.arg(QStringLiteral("sum_c"))), 0);

        // Restored as applied: the start goes on and applies 003.
        QVERIFY(writeFile(second, "CREATE TABLE sum_b (x integer);\n"));
        {
            auto db = openDatabase(url, name);
            QVERIFY2(db, qPrintable(db.errorMessage()));
            Status s = applyMigrations(*db, dir.path());
            QVERIFY2(s, qPrintable(s.errorMessage()));
        }
        closeDatabase(name);
        QCOMPARE(scalar(url, exists.arg(QStringLiteral("sum_c"))), 1);
    }

    void concurrentStartsMigrateOnce()
    {
        const DatabaseUrl url = freshPgUrl();
        constexpr int kInstances = 4;
        std::atomic<int> ok{0};
        std::vector<QString> errors(kInstances);
        std::vector<std::thread> threads;
        for (int i = 0; i < kInstances; ++i) {
            threads.emplace_back([&, i] {
                auto store = TickStore::open(url, QStringLiteral("concurrent-%1").arg(i));
                if (store)
                    ++ok;
                else
                    errors[size_t(i)] = store.errorMessage();
            });
        }
        for (auto &t : threads)
            t.join();
        for (const QString &e : errors)
            QVERIFY2(e.isEmpty(), qPrintable(e));
        QCOMPARE(ok.load(), kInstances);
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM schema_migrations")),
                 qint64(migrationFiles(QStringLiteral("postgres")).size()));
    }

    void sqliteConcurrentWritersLoseNothing()
    {
        // Several consumer threads on one SQLite file: BEGIN IMMEDIATE + busy timeout serialize them.
        const DatabaseUrl url = *DatabaseUrl::parse(QStringLiteral("sqlite://") + m_dir.path() + QStringLiteral("/shared.db"));
        constexpr int kThreads = 3, kBatches = 20, kPerBatch = 500;
        std::vector<QString> errors(kThreads);
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                auto store = TickStore::open(url, QStringLiteral("writer-%1").arg(i));
                if (!store) {
                    errors[size_t(i)] = store.errorMessage();
                    return;
                }
                for (int b = 0; b < kBatches; ++b) {
                    const int from = (i * kBatches + b) * kPerBatch;
                    const std::vector<Tick> ticks = makeTicks(from, from + kPerBatch);
                    const std::vector<OffsetRecord> offsets{{"g", "c", "t", i, qint64(b + 1)}};
                    int retries = 0;
                    auto r = writeWithRetry(**store, {ticks, {}, offsets}, &retries);
                    if (!r) {
                        errors[size_t(i)] = r.errorMessage();
                        return;
                    }
                }
            });
        }
        for (auto &t : threads)
            t.join();
        for (const QString &e : errors)
            QVERIFY2(e.isEmpty(), qPrintable(e));
        QCOMPARE(tickRows(url), qint64(kThreads) * kBatches * kPerBatch);
        QCOMPARE(scalar(url, QStringLiteral("SELECT sum(next_offset) FROM pipeline_offsets")), qint64(kThreads) * kBatches);
    }

    void sqliteUnwritablePathFailsClearly()
    {
        auto url = DatabaseUrl::parse(QStringLiteral("sqlite:///proc/no-such-dir/x.db"));
        QVERIFY(url);
        auto store = TickStore::open(*url, QStringLiteral("unwritable"));
        QVERIFY(!store);
        QVERIFY2(store.errorMessage().contains(QLatin1String("/proc/no-such-dir")), qPrintable(store.errorMessage()));
        QVERIFY(!QSqlDatabase::contains(QStringLiteral("unwritable")));
    }

    void sqliteCreatesParentDirectoryAndMemoryWorks()
    {
        auto url = DatabaseUrl::parse(QStringLiteral("sqlite://") + m_dir.path() + QStringLiteral("/a/b/c/market.db"));
        QVERIFY(url);
        {
            auto store = TickStore::open(*url, QStringLiteral("nested"));
            QVERIFY2(store, qPrintable(store.errorMessage()));
            QVERIFY((*store)->write({makeTicks(0, 10), {}, {}}));
        }
        QVERIFY(QFile::exists(m_dir.path() + QStringLiteral("/a/b/c/market.db")));
        {
            auto db = openDatabase(*url, QStringLiteral("wal-probe"));
            QVERIFY(db);
            QSqlQuery q(*db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        }
        closeDatabase(QStringLiteral("wal-probe"));
        auto memory = TickStore::open(*DatabaseUrl::parse(QStringLiteral("sqlite::memory:")), QStringLiteral("mem"));
        QVERIFY2(memory, qPrintable(memory.errorMessage()));
        auto r = (*memory)->write({makeTicks(0, 10), {}, {}});
        QVERIFY(r);
        QCOMPARE(r->ticksInserted, 10);
    }
};

QTEST_GUILESS_MAIN(TstStorageFailures)
#include "tst_storage_failures.moc"
