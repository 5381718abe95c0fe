#pragma once
// Where the data goes: a parsed DATABASE_URL.
//   postgresql://user:pass@host:port/db?sslmode=require&connect_timeout=5   (also postgres://)
//   postgresql://user@%2Fvar%2Frun%2Fpostgresql/db       (percent-encoded socket directory as host)
//   sqlite:///absolute/path.db    sqlite://relative.db    sqlite::memory:
// Or built from the original pipeline's POSTGRES_HOST/PORT/DB/USER/PASSWORD keys.
// The password is kept in memory only: redacted() is what logs and error messages may show.
#include "model/result.h"

#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

namespace ms {

struct DatabaseUrl
{
    enum class Backend { Postgres, Sqlite };

    Backend backend = Backend::Sqlite;

    // PostgreSQL (percent-decoded)
    QString host;            // name, address, or a socket directory (starts with '/'); empty = libpq default
    int port = 5432;
    QString database;        // empty = libpq default (the user name)
    QString user;
    QString password;        // secret: never log
    // Other libpq connection parameters from the query string (sslmode, connect_timeout, ...), in order.
    QList<QPair<QString, QString>> options;

    // SQLite: a file path (absolute or relative to the working directory) or ":memory:".
    QString sqlitePath;

    bool isPostgres() const { return backend == Backend::Postgres; }
    bool isSqlite() const { return backend == Backend::Sqlite; }

    // The URL with the password and every option libpq marks secret replaced by "***".
    QString redacted() const;
    // The full URL, password included, percent-encoded so that parse(toString()) == *this.
    // Only for handing to another process/config: never log it.
    QString toString() const;
    // A libpq option's value (last one wins), or `fallback`.
    QString option(const QString &key, const QString &fallback = {}) const;

    // Parses a DATABASE_URL; errors have code "bad_database_url" and never contain the password.
    // PostgreSQL URLs go through libpq's PQconninfoParse: an option libpq does not know (a typo
    // such as "sslmod") is an error here, not at connect time. Options come back in libpq's order.
    static Result<DatabaseUrl> parse(const QString &url);
    // Builds a PostgreSQL URL from POSTGRES_HOST (default localhost), POSTGRES_PORT (5432),
    // POSTGRES_DB (postgres), POSTGRES_USER (postgres), POSTGRES_PASSWORD (none).
    // Errors (code "bad_database_url") when no POSTGRES_* key is present at all or the port is bad.
    static Result<DatabaseUrl> fromPostgresEnvironment(const QMap<QString, QString> &env);

    bool operator==(const DatabaseUrl &) const = default;
};

// True for the connection keywords libpq itself marks secret (dispchar '*': password, sslpassword).
bool isLibpqSecretKeyword(const QString &key);

}  // namespace ms
