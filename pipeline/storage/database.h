#pragma once
// Opening a database by URL and bringing its schema up to date.
//
// Error codes (Error::code) used by everything in storage/:
//   "bad_database_url"     the URL itself is wrong (fix the configuration)
//   "db_unreachable"       cannot connect / the connection was lost (retry later: the server may be
//                          restarting); isRetryable() is true
//   "db_busy"              deadlock, serialization failure, lock timeout, SQLite busy (retry)
//   "db_rejected"          the server refused the statement (constraint, permission, bad SQL): retrying
//                          the same data will fail the same way
//   "db_migration_failed"  a migration file failed (its name and the server's message are in the text)
// Messages never contain the password.
#include "model/result.h"
#include "storage/database_url.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <atomic>

namespace ms {

bool isRetryable(const Error &error);

// Opens a connection registered under `connectionName` (QSqlDatabase's registry; the connection may be
// used only from the thread that opens it). PostgreSQL through QPSQL with connect_timeout (the URL's
// connect_timeout option, else `connectTimeoutSec`; libpq's minimum is 2 s) so an unreachable server
// fails in bounded time; SQLite through QSQLITE in WAL mode, synchronous=NORMAL, busy timeout 5 s, its
// parent directory created. A name already in use is an error (close it first).
// A server that refuses (bad password, unknown database, pg_hba) gives "db_rejected"; one that cannot
// be reached gives "db_unreachable". PostgreSQL sessions get statement_timeout = 60 s (unless the URL
// sets `options`), so no statement waits on the server without a bound.
Result<QSqlDatabase> openDatabase(const DatabaseUrl &url, const QString &connectionName, int connectTimeoutSec = 2);

// Closes and unregisters a connection. Drop every QSqlDatabase/QSqlQuery copy of it first.
void closeDatabase(const QString &connectionName);

// Runs every compiled-in migration `:/sql/<backend>/NNN_name.sql` that is not yet recorded in
// schema_migrations(version, name, applied_at, checksum), in version order, each in its own transaction; on
// PostgreSQL under a session advisory lock, on SQLite under BEGIN IMMEDIATE, so several instances
// starting at once apply each file exactly once. A failing file is rolled back, and the error names
// it with the server's message. Migration files must not contain BEGIN/COMMIT themselves.
// The PostgreSQL lock is taken with pg_try_advisory_lock, retried every 100 ms while another instance
// migrates; `cancel` (optional) ends that wait with the code "cancelled".
// Each applied file's checksum (SHA-256 without CRs) is recorded; a file edited after it was applied
// fails the start ("db_migration_failed", naming the file) before any new migration runs. Rows from
// before checksums existed get today's checksum (the column is added on such databases).
Status applyMigrations(QSqlDatabase &db, const std::atomic_bool *cancel = nullptr);

// Same, from another directory of NNN_name.sql files (tests, tools).
Status applyMigrations(QSqlDatabase &db, const QString &directory, const std::atomic_bool *cancel = nullptr);

// The migration files compiled in for a backend ("postgres" / "sqlite"), sorted by version.
QStringList migrationFiles(const QString &backendDir);
// The NNN_*.sql files of a directory, sorted by version.
QStringList migrationFilesIn(const QString &directory);

// Versions recorded in schema_migrations (empty when the table does not exist).
Result<QList<int>> appliedMigrations(QSqlDatabase &db);

}  // namespace ms
