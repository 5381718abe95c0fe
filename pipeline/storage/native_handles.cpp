#include "storage/native_handles.h"

#include <QSqlDriver>
#include <QVariant>

#include <cstring>

namespace ms::storage_detail {

PGconn *pgConnection(const QSqlDatabase &db)
{
    if (!db.isValid() || !db.isOpen() || !db.driver())
        return nullptr;
    const QVariant v = db.driver()->handle();
    // Qt normalizes the registered type name to the struct's name ("pg_conn*") on some builds.
    if (!v.isValid() || (std::strcmp(v.typeName(), "PGconn*") != 0 && std::strcmp(v.typeName(), "pg_conn*") != 0))
        return nullptr;
    return *static_cast<PGconn *const *>(v.data());
}

sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    if (!db.isValid() || !db.isOpen() || !db.driver())
        return nullptr;
    const QVariant v = db.driver()->handle();
    if (!v.isValid() || std::strcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.data());
}

QString scrub(QString message, const QString &secret)
{
    if (secret.size() >= 3)
        message.replace(secret, QStringLiteral("***"));
    return message;
}

Error pgError(PGconn *conn, const PGresult *res, const QString &what)
{
    QString state, text;
    if (res) {
        if (const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE))
            state = QString::fromLatin1(s);
        if (const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY))
            text = QString::fromUtf8(m);
        if (const char *d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL))
            text += QStringLiteral(" (") + QString::fromUtf8(d) + u')';
    }
    if (text.isEmpty() && conn)
        text = QString::fromUtf8(PQerrorMessage(conn)).simplified();
    if (text.isEmpty())
        text = QStringLiteral("unknown error");
    QString code = QStringLiteral("db_rejected");
    const bool lost = !conn || PQstatus(conn) == CONNECTION_BAD;
    if (lost || state.startsWith(QLatin1String("08")) || state.startsWith(QLatin1String("57P")))
        code = QStringLiteral("db_unreachable");
    else if (state == QLatin1String("40001") || state == QLatin1String("40P01") || state == QLatin1String("55P03"))
        code = QStringLiteral("db_busy");
    QString msg = what + QStringLiteral(": ") + text;
    if (!state.isEmpty())
        msg += QStringLiteral(" [SQLSTATE ") + state + u']';
    return makeError(msg, code);
}

Status pgExec(PGconn *conn, const char *sql, const QString &what)
{
    if (!conn)
        return makeError(what + QStringLiteral(": no database connection"), QStringLiteral("db_unreachable"));
    PgResult res(PQexec(conn, sql));
    const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return {};
    return pgError(conn, res.get(), what);
}

Error sqliteError(sqlite3 *db, int rc, const QString &what)
{
    const int primary = rc & 0xff;
    QString text = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc));
    const bool busy = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    const bool io = primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_FULL;
    // Refusals that concern the row itself carry their class, so the writer can isolate the row.
    const char *dataClass = primary == SQLITE_CONSTRAINT ? "SQLITE_CONSTRAINT"
        : primary == SQLITE_MISMATCH                     ? "SQLITE_MISMATCH"
        : primary == SQLITE_TOOBIG                       ? "SQLITE_TOOBIG"
        : primary == SQLITE_RANGE                        ? "SQLITE_RANGE"
                                                         : nullptr;
    if (dataClass)
        text += QStringLiteral(" [") + QLatin1String(dataClass) + u']';
    return makeError(what + QStringLiteral(": ") + text,
                     busy ? QStringLiteral("db_busy") : io ? QStringLiteral("db_unreachable") : QStringLiteral("db_rejected"));
}

Status sqliteExec(sqlite3 *db, const char *sql, const QString &what)
{
    if (!db)
        return makeError(what + QStringLiteral(": no database connection"), QStringLiteral("db_unreachable"));
    char *err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    if (rc == SQLITE_OK)
        return {};
    QString text = err ? QString::fromUtf8(err) : QString::fromUtf8(sqlite3_errstr(rc));
    sqlite3_free(err);
    Error e = sqliteError(db, rc, what);
    e.message = what + QStringLiteral(": ") + text;
    return e;
}

}  // namespace ms::storage_detail
