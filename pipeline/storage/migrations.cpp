#include "storage/database.h"
#include "storage/native_handles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QThread>
#include <algorithm>
#include <cstring>
#include <functional>

namespace ms {

using namespace storage_detail;

namespace {

// Arbitrary constant identifying "MarketStream migrations" among advisory locks.
constexpr qint64 kMigrationLockKey = 0x4d53'4d49'4752; // "MSMIGR"

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
    QString name; // file name
    QByteArray sql;
    QByteArray checksum; // see checksumOf
};

// SHA-256 (hex) of the file with carriage returns removed: a checkout with CRLF line endings
// (git autocrlf on Windows) is the same migration, any other edit is not.
QByteArray checksumOf(QByteArray sql)
{
    sql.replace("\r", "");
    return QCryptographicHash::hash(sql, QCryptographicHash::Sha256).toHex();
}

Error checksumMismatch(const Migration &m, const QByteArray &recorded)
{
    return makeError(
        QStringLiteral("Migration %1 was changed after it was applied to this database (checksum "
                       "recorded %2, file now %3). Restore the file as it was applied and put the "
                       "change in a new migration; refusing to start.")
            .arg(m.name, QString::fromLatin1(recorded.left(12)),
                 QString::fromLatin1(m.checksum.left(12))),
        QStringLiteral("db_migration_failed"));
}

// Every applied file against its recorded checksum, before anything new runs (a mismatch changes
// nothing). `record` stores the checksum of a row recorded before checksums existed.
Status verifyChecksums(const QList<Migration> &migrations, const QHash<int, QByteArray> &applied,
                       const std::function<Status(const Migration &)> &record)
{
    for (const Migration &m : migrations) {
        const auto it = applied.constFind(m.version);
        if (it == applied.constEnd())
            continue;
        if (it->isEmpty()) {
            if (Status s = record(m); !s)
                return s;
        } else if (*it != m.checksum) {
            return checksumMismatch(m, *it);
        }
    }
    return {};
}

Result<QList<Migration>> loadMigrations(const QString &directory)
{
    QList<Migration> out;
    QSet<int> seen;
    const QStringList files = migrationFilesIn(directory);
    for (const QString &path : files) {
        const QString name = QFileInfo(path).fileName();
        const int version = versionOf(name);
        if (version < 0)
            return makeError(
                QStringLiteral(
                    "Migration file %1 does not start with a version number (NNN_name.sql)")
                    .arg(name),
                QStringLiteral("db_migration_failed"));
        if (seen.contains(version))
            return makeError(
                QStringLiteral("Two migration files share version %1 (%2)").arg(version).arg(name),
                QStringLiteral("db_migration_failed"));
        seen.insert(version);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(QStringLiteral("Cannot read migration %1").arg(name),
                             QStringLiteral("db_migration_failed"));
        QByteArray sql = f.readAll();
        QByteArray checksum = checksumOf(sql);
        out.append({version, name, std::move(sql), std::move(checksum)});
    }
    return out;
}

Error migrationError(const QString &file, const Error &cause)
{
    // Connection loss stays retryable; anything else is a broken migration.
    const QString code = cause.code == QLatin1String("db_unreachable")
                             ? cause.code
                             : QStringLiteral("db_migration_failed");
    return makeError(QStringLiteral("Migration %1 failed: %2").arg(file, cause.message), code);
}

// Takes the migrations' advisory lock without ever blocking in the server: another instance that is
// migrating holds it, so ask again every 100 ms until it is free or `cancel` is set.
Status takeMigrationLock(PGconn *conn, const std::atomic_bool *cancel)
{
    const QByteArray tryLock =
        "SELECT pg_try_advisory_lock(" + QByteArray::number(kMigrationLockKey) + ')';
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
                return makeError(
                    QStringLiteral(
                        "Stopped while waiting for the migration lock (another instance is "
                        "migrating this database)"),
                    QStringLiteral("cancelled"));
            QThread::msleep(10);
        }
    }
}

Status migratePostgres(PGconn *conn, const QList<Migration> &migrations,
                       const std::atomic_bool *cancel)
{
    // No NOTICE chatter. A migration may build an index over a large table: no statement timeout,
    // but a bounded wait for table locks that a running pipeline holds.
    if (Status s = pgExec(conn,
                          "SET client_min_messages = warning; SET lock_timeout = '10s'; SET "
                          "statement_timeout = 0",
                          QStringLiteral("Migrations"));
        !s)
        return s;
    if (Status s = takeMigrationLock(conn, cancel); !s)
        return s;
    auto finish = [conn](Status result) {
        const QByteArray unlock =
            "SELECT pg_advisory_unlock(" + QByteArray::number(kMigrationLockKey) + ')';
        PgResult(PQexec(conn, unlock.constData()));
        PgResult(PQexec(conn, "RESET lock_timeout; RESET statement_timeout"));
        return result;
    };
    // The runner's own table, bootstrapped here rather than by a numbered migration: the checksum
    // column is added to databases migrated before it existed (their rows get the checksum of
    // today's file on first sight, since what was applied then cannot be known any more).
    if (Status s = pgExec(
            conn,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
            "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), checksum text); "
            "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text",
            QStringLiteral("Creating schema_migrations"));
        !s)
        return finish(s);
    PgResult res(PQexec(conn, "SELECT version, checksum FROM schema_migrations"));
    if (PQresultStatus(res.get()) != PGRES_TUPLES_OK)
        return finish(pgError(conn, res.get(), QStringLiteral("Reading schema_migrations")));
    QHash<int, QByteArray>
        applied; // version → recorded checksum (empty: recorded before checksums)
    for (int i = 0; i < PQntuples(res.get()); ++i)
        applied.insert(std::atoi(PQgetvalue(res.get(), i, 0)),
                       QByteArray(PQgetvalue(res.get(), i, 1)));
    const Status verified =
        verifyChecksums(migrations, applied, [conn](const Migration &m) -> Status {
            const QByteArray version = QByteArray::number(m.version);
            const char *params[] = {m.checksum.constData(), version.constData()};
            PgResult upd(
                PQexecParams(conn, "UPDATE schema_migrations SET checksum = $1 WHERE version = $2",
                             2, nullptr, params, nullptr, nullptr, 0));
            if (PQresultStatus(upd.get()) != PGRES_COMMAND_OK)
                return pgError(conn, upd.get(),
                               QStringLiteral("Recording the checksum of ") + m.name);
            return {};
        });
    if (!verified)
        return finish(verified);
    for (const Migration &m : migrations) {
        if (applied.contains(m.version))
            continue;
        if (Status s = pgExec(conn, "BEGIN", m.name); !s)
            return finish(migrationError(m.name, s.error()));
        Status s = pgExec(conn, m.sql.constData(), m.name);
        if (s) {
            const QByteArray version = QByteArray::number(m.version);
            const QByteArray name = m.name.toUtf8();
            const char *params[] = {version.constData(), name.constData(), m.checksum.constData()};
            PgResult ins(PQexecParams(
                conn, "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                3, nullptr, params, nullptr, nullptr, 0));
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

// SQLite's side of the bootstrap: ALTER TABLE has no IF NOT EXISTS, so the column is looked for
// first. Runs under BEGIN IMMEDIATE, so two processes cannot both add it or disagree on the rows.
Status verifySqliteChecksums(sqlite3 *db, const QList<Migration> &migrations)
{
    if (Status s =
            sqliteExec(db, "BEGIN IMMEDIATE", QStringLiteral("Checking migration checksums"));
        !s)
        return s;
    auto fail = [db](Status s) {
        (void)sqliteExec(db, "ROLLBACK", QStringLiteral("ROLLBACK"));
        return s;
    };
    bool hasColumn = false;
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(
            db, "SELECT 1 FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'", -1,
            &stmt, nullptr) == SQLITE_OK)
        hasColumn = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    if (!hasColumn) {
        if (Status s = sqliteExec(db, "ALTER TABLE schema_migrations ADD COLUMN checksum TEXT",
                                  QStringLiteral("Adding schema_migrations.checksum"));
            !s)
            return fail(s);
    }
    QHash<int, QByteArray> applied;
    const int rc = sqlite3_prepare_v2(
        db, "SELECT version, coalesce(checksum, '') FROM schema_migrations", -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return fail(sqliteError(db, rc, QStringLiteral("Reading schema_migrations")));
    while (sqlite3_step(stmt) == SQLITE_ROW)
        applied.insert(sqlite3_column_int(stmt, 0),
                       QByteArray(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 1))));
    sqlite3_finalize(stmt);
    const Status verified = verifyChecksums(migrations, applied, [db](const Migration &m) {
        const QByteArray sql =
            "UPDATE schema_migrations SET checksum = '" + m.checksum +
            "' WHERE version = " + QByteArray::number(m.version); // hex: no quoting needed
        return sqliteExec(db, sql.constData(),
                          QStringLiteral("Recording the checksum of ") + m.name);
    });
    if (!verified)
        return fail(verified);
    return sqliteExec(db, "COMMIT", QStringLiteral("Checking migration checksums"));
}

Status migrateSqlite(sqlite3 *db, const QList<Migration> &migrations)
{
    if (Status s = sqliteExec(
            db,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', "
            "'now')), checksum TEXT)",
            QStringLiteral("Creating schema_migrations"));
        !s)
        return s;
    if (Status s = verifySqliteChecksums(db, migrations); !s)
        return s;
    for (const Migration &m : migrations) {
        // BEGIN IMMEDIATE takes the write lock first, so the "already applied?" check cannot race.
        if (Status s = sqliteExec(db, "BEGIN IMMEDIATE", m.name); !s)
            return migrationError(m.name, s.error());
        sqlite3_stmt *stmt = nullptr;
        bool applied = false;
        if (sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &stmt,
                               nullptr) == SQLITE_OK) {
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
            const QByteArray sql =
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (" +
                QByteArray::number(m.version) + ", '" + m.name.toUtf8().replace('\'', "''") +
                "', '" + m.checksum + "')"; // the checksum is hex
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

} // namespace

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
    return makeError(QStringLiteral("Migrations need an open PostgreSQL or SQLite connection"),
                     QStringLiteral("db_unreachable"));
}

Status applyMigrations(QSqlDatabase &db, const QString &directory, const std::atomic_bool *cancel)
{
    PGconn *conn = pgConnection(db);
    sqlite3 *h = sqliteHandle(db);
    if (!conn && !h)
        return makeError(QStringLiteral("Migrations need an open PostgreSQL or SQLite connection"),
                         QStringLiteral("db_unreachable"));
    auto migrations = loadMigrations(directory);
    if (!migrations)
        return migrations.error();
    if (migrations->isEmpty())
        return makeError(QStringLiteral("No migrations found in %1").arg(directory),
                         QStringLiteral("db_migration_failed"));
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
            if (state && std::strcmp(state, "42P01") == 0) // undefined_table
                return out;
            return pgError(conn, res.get(), QStringLiteral("Reading schema_migrations"));
        }
        for (int i = 0; i < PQntuples(res.get()); ++i)
            out.append(std::atoi(PQgetvalue(res.get(), i, 0)));
        return out;
    }
    if (sqlite3 *h = sqliteHandle(db)) {
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(h, "SELECT version FROM schema_migrations ORDER BY version", -1,
                               &stmt, nullptr) != SQLITE_OK)
            return out; // no table yet
        while (sqlite3_step(stmt) == SQLITE_ROW)
            out.append(sqlite3_column_int(stmt, 0));
        sqlite3_finalize(stmt);
        return out;
    }
    return makeError(QStringLiteral("Not an open PostgreSQL or SQLite connection"),
                     QStringLiteral("db_unreachable"));
}

} // namespace ms
