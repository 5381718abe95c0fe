#pragma once
// Internal to storage/: the native libpq / sqlite3 handles behind Qt's connections, plus small RAII
// and error helpers. The handles stay owned by Qt's driver; never PQfinish/sqlite3_close them.
#include "model/result.h"

#include <QSqlDatabase>
#include <QString>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <memory>

namespace ms::storage_detail {

PGconn *pgConnection(const QSqlDatabase &db);   // nullptr if not an open QPSQL connection
sqlite3 *sqliteHandle(const QSqlDatabase &db);  // nullptr if not an open QSQLITE connection

struct PgResultDeleter
{
    void operator()(PGresult *r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

// Classifies a failed libpq call: connection gone / SQLSTATE class 08, 57P0x → db_unreachable;
// 40001, 40P01, 55P03 → db_busy; otherwise db_rejected. `what` prefixes the message.
Error pgError(PGconn *conn, const PGresult *res, const QString &what);

// Runs one command (several allowed when it has no parameters) and expects COMMAND_OK/TUPLES_OK.
Status pgExec(PGconn *conn, const char *sql, const QString &what);

// SQLITE_BUSY/LOCKED → db_busy, otherwise db_rejected.
Error sqliteError(sqlite3 *db, int rc, const QString &what);
Status sqliteExec(sqlite3 *db, const char *sql, const QString &what);

// Removes `secret` from a message (defence in depth; libpq never echoes passwords).
QString scrub(QString message, const QString &secret);

}  // namespace ms::storage_detail
