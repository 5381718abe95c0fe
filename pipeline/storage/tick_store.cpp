#include "storage/tick_store.h"

#include "storage/database.h"
#include "storage/pg_tick_writer.h"
#include "storage/sqlite_tick_writer.h"
#include "storage/tick_store_impl.h"

#include <QFile>

#include <sys/stat.h>

namespace ms {

using namespace storage_detail;

namespace {
// The identity of the file at `path` now (nullopt when it is gone or not a file).
std::optional<std::pair<dev_t, ino_t>> fileIdentity(const QString &path)
{
    struct stat st{};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    return std::make_pair(st.st_dev, st.st_ino);
}
}  // namespace

bool concernsData(const Error &error)
{
    if (error.code != QLatin1String("db_rejected"))
        return false;
    const QString &m = error.message;
    return m.contains(QLatin1String("[SQLSTATE 22")) || m.contains(QLatin1String("[SQLSTATE 23"))
           || m.contains(QLatin1String("[SQLITE_CONSTRAINT]")) || m.contains(QLatin1String("[SQLITE_MISMATCH]"))
           || m.contains(QLatin1String("[SQLITE_TOOBIG]")) || m.contains(QLatin1String("[SQLITE_RANGE]"));
}


TickStore::TickStore(DatabaseUrl url, QString connectionName)
    : m_url(std::move(url)), m_name(std::move(connectionName)), d(std::make_unique<Impl>())
{
}

TickStore::~TickStore()
{
    disconnect();
}

Result<std::unique_ptr<TickStore>> TickStore::open(const DatabaseUrl &url, const QString &connectionName)
{
    std::unique_ptr<TickStore> store(new TickStore(url, connectionName));
    if (Status s = store->connect(); !s)
        return s.error();
    return store;
}

Status TickStore::connect()
{
    auto db = openDatabase(m_url, m_name);
    if (!db)
        return db.error();
    d->db = *db;
    Status s = applyMigrations(d->db);
    if (s && m_url.isPostgres())
        s = pgPrepareSession(pgConnection(d->db));
    if (s && m_url.isSqlite()) {
        d->sqlite = std::make_unique<SqliteTickWriter>(sqliteHandle(d->db));
        if (m_url.sqlitePath != QLatin1String(":memory:"))
            d->sqliteFile = fileIdentity(m_url.sqlitePath);
    }
    if (!s)
        disconnect();
    return s;
}

void TickStore::disconnect()
{
    d->sqlite.reset();
    const bool had = d->db.isValid();
    d->db = QSqlDatabase();
    if (had)
        closeDatabase(m_name);
}

bool TickStore::connectionLost() const
{
    if (!d->db.isValid() || !d->db.isOpen())
        return true;
    if (m_url.isPostgres()) {
        PGconn *conn = pgConnection(d->db);
        return !conn || PQstatus(conn) == CONNECTION_BAD;
    }
    return false;
}

Status TickStore::ensureConnected(bool *reconnected)
{
    if (!connectionLost())
        return {};
    disconnect();
    if (reconnected)
        *reconnected = true;
    return connect();
}

Status TickStore::checkSqliteFile() const
{
    // SQLite keeps writing into an open file that was deleted or replaced: the rows would be lost
    // without an error. The path must still name the file that was opened.
    if (!d->sqliteFile)
        return {};
    if (fileIdentity(m_url.sqlitePath) != d->sqliteFile)
        return makeError(QStringLiteral("the SQLite database file %1 was removed or replaced while open; "
                                        "nothing more is written into it")
                             .arg(m_url.sqlitePath),
                         QStringLiteral("db_file_replaced"));
    return {};
}

Status TickStore::probeTicks(std::span<const Tick> ticks)
{
    if (Status s = ensureConnected(); !s)
        return s;
    if (m_url.isPostgres()) {
        Status s = pgProbeTicks(pgConnection(d->db), d->pg, ticks);
        if (d->pg.limits.abandoned)
            disconnect();  // mid-command after a deadline or a stop
        return s;
    }
    if (Status s = checkSqliteFile(); !s)
        return s;
    return d->sqlite->probeTicks(ticks);
}

Result<WriteResult> TickStore::writeOnce(const WriteBatch &batch)
{
    if (m_url.isPostgres())
        return pgWrite(pgConnection(d->db), d->pg, batch);
    if (Status s = checkSqliteFile(); !s)
        return s.error();
    return d->sqlite->write(batch);
}

Result<WriteResult> TickStore::write(const WriteBatch &batch)
{
    bool reconnected = false;
    if (Status s = ensureConnected(&reconnected); !s)
        return s.error();
    auto result = writeOnce(batch);
    if (!result && m_url.isPostgres() && d->pg.limits.abandoned) {
        // No answer in time, or stop: the connection is mid-command. Drop it; reconnecting here
        // would wait on the same silent server, so the caller's retry does that.
        disconnect();
        return result;
    }
    if (!result && result.error().code == QLatin1String("db_unreachable") && m_url.isPostgres()) {
        // The server went away (restart, network): reopen once and write again. Safe even if the
        // lost COMMIT had succeeded: ticks are idempotent, candles and offsets are upserts.
        disconnect();
        if (Status s = connect(); !s)
            return s.error();
        reconnected = true;
        result = writeOnce(batch);
    }
    if (result)
        result->reconnected = reconnected;
    return result;
}

void TickStore::setWriteLimits(int timeoutMs, const std::atomic_bool *stop)
{
    d->pg.limits.timeoutMs = std::max(1, timeoutMs);
    d->pg.limits.stop = stop;
}

void TickStore::setAlwaysReplayPath(bool on)
{
    d->pg.forceReplay = on;
}

void TickStore::setTextCopy(bool on)
{
    d->pg.binaryCopy = !on;
}

Status TickStore::ping()
{
    if (Status s = ensureConnected(); !s)
        return s;
    if (m_url.isPostgres()) {
        Status s = pgExec(pgConnection(d->db), "SELECT 1", QStringLiteral("Ping"));
        if (!s && connectionLost()) {
            disconnect();
            return connect();
        }
        return s;
    }
    return sqliteExec(sqliteHandle(d->db), "SELECT 1", QStringLiteral("Ping"));
}

}  // namespace ms
