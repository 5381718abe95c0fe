#include "storage/database.h"

#include "storage/native_handles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QSqlError>
#include <QThread>

#include <cstring>

namespace ms {

using namespace storage_detail;

namespace {

// Arbitrary constant identifying "MarketStream migrations" among advisory locks.
constexpr qint64 kMigrationLockKey = 0x4d53'4d49'4752;  // "MSMIGR"

QString quoteOption(const QString &value)
{
    QString v = value;
    v.replace(u'\\', QStringLiteral("\\\\"));
    v.replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + v + u'\'';
}

int versionOf(const QString &fileName)
{
    const qsizetype us = fileName.indexOf(u'_');
    bool ok = false;
    const int v = fileName.left(us).toInt(&ok);
    return ok && us > 0 ? v : -1;
}

struct Migration
{
    int version;
    QString name;  // file name
    QByteArray sql;
};

Result<QList<Migration>> loadMigrations(const QString &directory)
{
    QList<Migration> out;
    QSet<int> seen;
    const QStringList files = migrationFilesIn(directory);
    for (const QString &path : files) {
        const QString name = QFileInfo(path).fileName();
        const int version = versionOf(name);
        if (version < 0)
            return makeError(QStringLiteral("Migration file %1 does not start with a version number (NNN_name.sql)").arg(name),
                             QStringLiteral("db_migration_failed"));
        if (seen.contains(version))
            return makeError(QStringLiteral("Two migration files share version %1 (%2)").arg(version).arg(name),
                             QStringLiteral("db_migration_failed"));
        seen.insert(version);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(QStringLiteral("Cannot read migration %1").arg(name), QStringLiteral("db_migration_failed"));
        out.append({version, name, f.readAll()});
    }
    return out;
}

Error migrationError(const QString &file, const Error &cause)
{
    // Connection loss stays retryable; anything else is a broken migration.
    const QString code = cause.code == QLatin1String("db_unreachable") ? cause.code : QStringLiteral("db_migration_failed");
    return makeError(QStringLiteral("Migration %1 failed: %2").arg(file, cause.message), code);
}

// Takes the migrations' advisory lock without ever blocking in the server: another instance that is
// migrating holds it, so ask again every 100 ms until it is free or `cancel` is set.
Status takeMigrationLock(PGconn *conn, const std::atomic_bool *cancel)
{
    const QByteArray tryLock = "SELECT pg_try_advisory_lock(" + QByteArray::number(kMigrationLockKey) + ')';
    QElapsedTimer waited;
    waited.start();
    bool warned = false;
    while (true) {
        PgResult res(PQexec(conn, tryLock.constData()));
        if (PQresultStatus(res.get()) != PGRES_TUPLES_OK)
            return pgError(conn, res.get(), QStringLiteral("Taking the migration lock"));
        if (PQntuples(res.get()) == 1 && std::strcmp(PQgetvalue(res.get(), 0, 0), "t") == 0)
            return {};
        if (!warned && waited.elapsed() > 1000) {
            warned = true;
            qInfo("migrations: another instance holds the migration lock; waiting for it");
        }
        for (int i = 0; i < 10; ++i) {
            if (cancel && cancel->load())
                return makeError(QStringLiteral("Stopped while waiting for the migration lock (another instance is "
                                                "migrating this database)"),
                                 QStringLiteral("cancelled"));
            QThread::msleep(10);
        }
    }
}

Status migratePostgres(PGconn *conn, const QList<Migration> &migrations, const std::atomic_bool *cancel)
{
    // No NOTICE chatter. A migration may build an index over a large table: no statement timeout, but
    // a bounded wait for table locks that a running pipeline holds.
    if (Status s = pgExec(conn, "SET client_min_messages = warning; SET lock_timeout = '10s'; SET statement_timeout = 0",
                          QStringLiteral("Migrations"));
        !s)
        return s;
    if (Status s = takeMigrationLock(conn, cancel); !s)
        return s;
    auto finish = [conn](Status result) {
        const QByteArray unlock = "SELECT pg_advisory_unlock(" + QByteArray::number(kMigrationLockKey) + ')';
        PgResult(PQexec(conn, unlock.constData()));
        PgResult(PQexec(conn, "RESET lock_timeout; RESET statement_timeout"));
        return result;
    };
    if (Status s = pgExec(conn,
                          "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                          "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                          QStringLiteral("Creating schema_migrations"));
        !s)
        return finish(s);
    PgResult res(PQexec(conn, "SELECT version FROM schema_migrations"));
    if (PQresultStatus(res.get()) != PGRES_TUPLES_OK)
        return finish(pgError(conn, res.get(), QStringLiteral("Reading schema_migrations")));
    QSet<int> applied;
    for (int i = 0; i < PQntuples(res.get()); ++i)
        applied.insert(std::atoi(PQgetvalue(res.get(), i, 0)));
    for (const Migration &m : migrations) {
        if (applied.contains(m.version))
            continue;
        if (Status s = pgExec(conn, "BEGIN", m.name); !s)
            return finish(migrationError(m.name, s.error()));
        Status s = pgExec(conn, m.sql.constData(), m.name);
        if (s) {
            const QByteArray version = QByteArray::number(m.version);
            const QByteArray name = m.name.toUtf8();
            const char *params[] = {version.constData(), name.constData()};
            PgResult ins(PQexecParams(conn, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", 2,
                                      nullptr, params, nullptr, nullptr, 0));
            if (PQresultStatus(ins.get()) != PGRES_COMMAND_OK)
                s = pgError(conn, ins.get(), QStringLiteral("recording it"));
        }
        if (s)
            s = pgExec(conn, "COMMIT", QStringLiteral("COMMIT"));
        if (!s) {
            PgResult(PQexec(conn, "ROLLBACK"));
            return finish(migrationError(m.name, s.error()));
        }
    }
    return finish({});
}

Status migrateSqlite(sqlite3 *db, const QList<Migration> &migrations)
{
    if (Status s = sqliteExec(db,
                              "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                              "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')))",
                              QStringLiteral("Creating schema_migrations"));
        !s)
        return s;
    for (const Migration &m : migrations) {
        // BEGIN IMMEDIATE takes the write lock first, so the "already applied?" check cannot race.
        if (Status s = sqliteExec(db, "BEGIN IMMEDIATE", m.name); !s)
            return migrationError(m.name, s.error());
        sqlite3_stmt *stmt = nullptr;
        bool applied = false;
        if (sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &stmt, nullptr) == SQLITE_OK) {
            sqlite3_bind_int(stmt, 1, m.version);
            applied = sqlite3_step(stmt) == SQLITE_ROW;
        }
        sqlite3_finalize(stmt);
        if (applied) {
            (void)sqliteExec(db, "COMMIT", m.name);
            continue;
        }
        Status s = sqliteExec(db, m.sql.constData(), m.name);
        if (s) {
            const QByteArray sql = "INSERT INTO schema_migrations (version, name) VALUES (" + QByteArray::number(m.version)
                + ", '" + m.name.toUtf8().replace('\'', "''") + "')";
            s = sqliteExec(db, sql.constData(), QStringLiteral("recording it"));
        }
        if (s)
            s = sqliteExec(db, "COMMIT", QStringLiteral("COMMIT"));
        if (!s) {
            (void)sqliteExec(db, "ROLLBACK", m.name);
            return migrationError(m.name, s.error());
        }
    }
    return {};
}

}  // namespace

bool isRetryable(const Error &error)
{
    return error.code == QLatin1String("db_unreachable") || error.code == QLatin1String("db_busy");
}

Result<QSqlDatabase> openDatabase(const DatabaseUrl &url, const QString &connectionName, int connectTimeoutSec)
{
    if (QSqlDatabase::contains(connectionName))
        return makeError(QStringLiteral("Database connection name \"%1\" is already in use").arg(connectionName),
                         QStringLiteral("db_rejected"));
    if (url.isPostgres()) {
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
            return makeError(QStringLiteral("The Qt PostgreSQL driver (QPSQL) is not installed (Debian: libqt6sql6-psql)"),
                             QStringLiteral("db_rejected"));
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
        db.setHostName(url.host);
        db.setPort(url.port);
        db.setDatabaseName(url.database);
        db.setUserName(url.user);
        db.setPassword(url.password);
        QStringList opts;
        bool haveTimeout = false, haveApp = false, haveOptions = false;
        for (const auto &kv : url.options) {
            haveTimeout = haveTimeout || kv.first == QLatin1String("connect_timeout");
            haveApp = haveApp || kv.first == QLatin1String("application_name");
            haveOptions = haveOptions || kv.first == QLatin1String("options");
            opts << kv.first + u'=' + quoteOption(kv.second);
        }
        if (!haveTimeout)
            opts << QStringLiteral("connect_timeout=%1").arg(std::max(2, connectTimeoutSec));
        if (!haveApp)
            opts << QStringLiteral("application_name=marketstream");
        if (!haveOptions)
            opts << QStringLiteral("options=") + quoteOption(QStringLiteral("-c statement_timeout=60000"));
        // A server that vanishes without closing the socket (network loss, VM pause) is noticed in
        // about a minute instead of the kernel's two hours. Ignored on Unix sockets.
        const QString given = opts.join(u' ');
        if (!given.contains(QLatin1String("keepalives")))
            opts << QStringLiteral("keepalives_idle=30") << QStringLiteral("keepalives_interval=10")
                 << QStringLiteral("keepalives_count=3");
        db.setConnectOptions(opts.join(u';'));
        if (!db.open()) {
            const QString why = scrub(db.lastError().text().simplified(), url.password);
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(connectionName);
            // The server answered and said no: retrying will not help until the configuration changes.
            static const char *const refusals[] = {"authentication failed", "does not exist", "no pg_hba.conf entry",
                                                   "permission denied", "password is required"};
            bool refused = false;
            for (const char *r : refusals)
                refused = refused || why.contains(QLatin1String(r), Qt::CaseInsensitive);
            return makeError(QStringLiteral("Cannot connect to %1: %2").arg(url.redacted(), why),
                             refused ? QStringLiteral("db_rejected") : QStringLiteral("db_unreachable"));
        }
        return db;
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return makeError(QStringLiteral("The Qt SQLite driver (QSQLITE) is not installed (Debian: libqt6sql6-sqlite)"),
                         QStringLiteral("db_rejected"));
    if (url.sqlitePath != QLatin1String(":memory:")) {
        const QFileInfo fi(url.sqlitePath);
        if (!QDir().mkpath(fi.absolutePath()))
            return makeError(QStringLiteral("Cannot create the directory %1 for the SQLite database").arg(fi.absolutePath()),
                             QStringLiteral("db_unreachable"));
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(url.sqlitePath);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    Status s;
    if (!db.open()) {
        s = makeError(QStringLiteral("Cannot open %1: %2").arg(url.redacted(), db.lastError().text().simplified()),
                      QStringLiteral("db_unreachable"));
    } else {
        sqlite3 *h = sqliteHandle(db);
        if (!h)
            s = makeError(QStringLiteral("Cannot reach the SQLite handle of %1").arg(url.redacted()), QStringLiteral("db_rejected"));
        else if (url.sqlitePath != QLatin1String(":memory:"))
            // auto_vacuum first: it only takes on a file without tables (new files); retention's
            // prepare() converts older ones (storage/retention.h). journal_size_limit: a WAL that grew
            // while checkpoints could not finish (a long reader, a retention pass) shrinks back to 32 MB.
            s = sqliteExec(h, "PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL; PRAGMA journal_size_limit=33554432; "
                              "PRAGMA synchronous=NORMAL; "
                              "PRAGMA foreign_keys=ON; "
                              "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY",
                           QStringLiteral("Configuring ") + url.redacted());
    }
    if (!s) {
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        return s.error();
    }
    return db;
}

void closeDatabase(const QString &connectionName)
{
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

QStringList migrationFiles(const QString &backendDir)
{
    return migrationFilesIn(QStringLiteral(":/sql/") + backendDir);
}

QStringList migrationFilesIn(const QString &dir)
{
    QStringList names = QDir(dir).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        return std::pair(versionOf(a), a) < std::pair(versionOf(b), b);
    });
    QStringList paths;
    for (const QString &n : names)
        paths << dir + u'/' + n;
    return paths;
}

Status applyMigrations(QSqlDatabase &db, const std::atomic_bool *cancel)
{
    if (pgConnection(db))
        return applyMigrations(db, QStringLiteral(":/sql/postgres"), cancel);
    if (sqliteHandle(db))
        return applyMigrations(db, QStringLiteral(":/sql/sqlite"), cancel);
    return makeError(QStringLiteral("Migrations need an open PostgreSQL or SQLite connection"), QStringLiteral("db_unreachable"));
}

Status applyMigrations(QSqlDatabase &db, const QString &directory, const std::atomic_bool *cancel)
{
    PGconn *conn = pgConnection(db);
    sqlite3 *h = sqliteHandle(db);
    if (!conn && !h)
        return makeError(QStringLiteral("Migrations need an open PostgreSQL or SQLite connection"), QStringLiteral("db_unreachable"));
    auto migrations = loadMigrations(directory);
    if (!migrations)
        return migrations.error();
    if (migrations->isEmpty())
        return makeError(QStringLiteral("No migrations found in %1").arg(directory), QStringLiteral("db_migration_failed"));
    return conn ? migratePostgres(conn, *migrations, cancel) : migrateSqlite(h, *migrations);
}

Result<QList<int>> appliedMigrations(QSqlDatabase &db)
{
    QList<int> out;
    if (PGconn *conn = pgConnection(db)) {
        PgResult res(PQexec(conn, "SELECT version FROM schema_migrations ORDER BY version"));
        const ExecStatusType st = PQresultStatus(res.get());
        if (st != PGRES_TUPLES_OK) {
            const char *state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
            if (state && std::strcmp(state, "42P01") == 0)  // undefined_table
                return out;
            return pgError(conn, res.get(), QStringLiteral("Reading schema_migrations"));
        }
        for (int i = 0; i < PQntuples(res.get()); ++i)
            out.append(std::atoi(PQgetvalue(res.get(), i, 0)));
        return out;
    }
    if (sqlite3 *h = sqliteHandle(db)) {
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(h, "SELECT version FROM schema_migrations ORDER BY version", -1, &stmt, nullptr) != SQLITE_OK)
            return out;  // no table yet
        while (sqlite3_step(stmt) == SQLITE_ROW)
            out.append(sqlite3_column_int(stmt, 0));
        sqlite3_finalize(stmt);
        return out;
    }
    return makeError(QStringLiteral("Not an open PostgreSQL or SQLite connection"), QStringLiteral("db_unreachable"));
}

}  // namespace ms
