#include "storage/database.h"

#include "storage/native_handles.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>

namespace ms {

using namespace storage_detail;

namespace {

QString quoteOption(const QString &value)
{
    QString v = value;
    v.replace(u'\\', QStringLiteral("\\\\"));
    v.replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + v + u'\'';
}

} // namespace

bool isRetryable(const Error &error)
{
    return error.code == QLatin1String("db_unreachable") || error.code == QLatin1String("db_busy");
}

Result<QSqlDatabase> openDatabase(const DatabaseUrl &url, const QString &connectionName,
                                  int connectTimeoutSec)
{
    if (QSqlDatabase::contains(connectionName))
        return makeError(
            QStringLiteral("Database connection name \"%1\" is already in use").arg(connectionName),
            QStringLiteral("db_rejected"));
    if (url.isPostgres()) {
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
            return makeError(
                QStringLiteral(
                    "The Qt PostgreSQL driver (QPSQL) is not installed (Debian: libqt6sql6-psql)"),
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
            opts << QStringLiteral("options=") +
                        quoteOption(QStringLiteral("-c statement_timeout=60000"));
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
            // The server answered and said no: retrying will not help until the configuration
            // changes.
            static const char *const refusals[] = {"authentication failed", "does not exist",
                                                   "no pg_hba.conf entry", "permission denied",
                                                   "password is required"};
            bool refused = false;
            for (const char *r : refusals)
                refused = refused || why.contains(QLatin1String(r), Qt::CaseInsensitive);
            return makeError(QStringLiteral("Cannot connect to %1: %2").arg(url.redacted(), why),
                             refused ? QStringLiteral("db_rejected")
                                     : QStringLiteral("db_unreachable"));
        }
        return db;
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return makeError(
            QStringLiteral(
                "The Qt SQLite driver (QSQLITE) is not installed (Debian: libqt6sql6-sqlite)"),
            QStringLiteral("db_rejected"));
    if (url.sqlitePath != QLatin1String(":memory:")) {
        const QFileInfo fi(url.sqlitePath);
        if (!QDir().mkpath(fi.absolutePath()))
            return makeError(
                QStringLiteral("Cannot create the directory %1 for the SQLite database")
                    .arg(fi.absolutePath()),
                QStringLiteral("db_unreachable"));
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(url.sqlitePath);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    Status s;
    if (!db.open()) {
        s = makeError(QStringLiteral("Cannot open %1: %2")
                          .arg(url.redacted(), db.lastError().text().simplified()),
                      QStringLiteral("db_unreachable"));
    } else {
        sqlite3 *h = sqliteHandle(db);
        if (!h)
            s = makeError(
                QStringLiteral("Cannot reach the SQLite handle of %1").arg(url.redacted()),
                QStringLiteral("db_rejected"));
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

} // namespace ms
