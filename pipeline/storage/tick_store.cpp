#include "storage/tick_store.h"

#include "storage/database.h"
#include "storage/pg_tick_writer.h"
#include "storage/row_format.h"
#include "storage/sqlite_tick_writer.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ms {

using namespace storage_detail;

struct TickStore::Impl
{
    QSqlDatabase db;
    PgWriterState pg;
    std::unique_ptr<SqliteTickWriter> sqlite;
};

namespace {

QString timeParam(qint64 ms)
{
    std::string s;
    rowfmt::appendUtcTimestamp(s, ms);
    return QString::fromLatin1(s.data(), qsizetype(s.size()));
}

qint64 timeValue(const QVariant &v)
{
    const QByteArray text = v.toString().toLatin1();
    return rowfmt::parseUtcTimestamp(std::string_view(text.constData(), size_t(text.size()))).value_or(0);
}

std::string str(const QVariant &v)
{
    return v.toString().toStdString();
}

std::optional<double> optDouble(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toDouble();
}

}  // namespace

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
    if (s && m_url.isSqlite())
        d->sqlite = std::make_unique<SqliteTickWriter>(sqliteHandle(d->db));
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

Result<WriteResult> TickStore::writeOnce(const WriteBatch &batch)
{
    if (m_url.isPostgres())
        return pgWrite(pgConnection(d->db), d->pg, batch);
    return d->sqlite->write(batch);
}

Result<WriteResult> TickStore::write(const WriteBatch &batch)
{
    bool reconnected = false;
    if (Status s = ensureConnected(&reconnected); !s)
        return s.error();
    auto result = writeOnce(batch);
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

void TickStore::setAlwaysReplayPath(bool on)
{
    d->pg.forceReplay = on;
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

// --- reads (QSqlQuery; small result sets or forward-only) ------------------------------------

#define MS_RUN_QUERY(q, what)                                                                            \
    if (!(q).exec()) {                                                                                   \
        const QString why = QStringLiteral(what) + QStringLiteral(": ") + (q).lastError().text().simplified(); \
        return makeError(why, connectionLost() ? QStringLiteral("db_unreachable") : QStringLiteral("db_rejected")); \
    }

Result<std::vector<OffsetRecord>> TickStore::loadOffsets(const std::string &consumerGroup, const std::string &clusterId)
{
    if (Status s = ensureConnected(); !s)
        return s.error();
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT consumer_group, cluster_id, topic, partition, next_offset FROM pipeline_offsets "
                             "WHERE consumer_group = ? AND cluster_id = ? ORDER BY topic, partition"));
    q.addBindValue(QString::fromStdString(consumerGroup));
    q.addBindValue(QString::fromStdString(clusterId));
    MS_RUN_QUERY(q, "Reading consumer offsets")
    std::vector<OffsetRecord> out;
    while (q.next())
        out.push_back({str(q.value(0)), str(q.value(1)), str(q.value(2)), q.value(3).toInt(), q.value(4).toLongLong()});
    return out;
}

static Result<std::vector<Candle>> readCandles(QSqlQuery &q)
{
    std::vector<Candle> out;
    while (q.next()) {
        Candle c;
        c.asset = assetClassFromString(str(q.value(0))).value_or(AssetClass::Crypto);
        c.symbol = str(q.value(1));
        c.currency = str(q.value(2));
        c.intervalSec = q.value(3).toInt();
        c.bucketStartMs = timeValue(q.value(4));
        c.open = q.value(5).toDouble();
        c.high = q.value(6).toDouble();
        c.low = q.value(7).toDouble();
        c.close = q.value(8).toDouble();
        c.volume = q.value(9).toDouble();
        c.vwap = q.value(10).toDouble();
        c.trades = q.value(11).toLongLong();
        c.firstTsMs = timeValue(q.value(12));
        c.lastTsMs = timeValue(q.value(13));
        c.final = q.value(14).toBool();
        out.push_back(std::move(c));
    }
    return out;
}

static QString candleSelect(bool postgres, bool openOnly)
{
    const QString t = postgres ? QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')")
                               : QStringLiteral("%1");
    const QString since = postgres ? QStringLiteral("bucket_start >= CAST(? AS timestamptz)") : QStringLiteral("bucket_start >= ?");
    return QStringLiteral("SELECT asset_class, symbol, currency, interval_s, ") + t.arg(QStringLiteral("bucket_start"))
        + QStringLiteral(", open, high, low, close, volume, vwap, trades, ") + t.arg(QStringLiteral("first_ts"))
        + QStringLiteral(", ") + t.arg(QStringLiteral("last_ts")) + QStringLiteral(", is_final FROM candles WHERE ")
        + since + (openOnly ? QStringLiteral(" AND is_final = ?") : QString())
        + QStringLiteral(" ORDER BY asset_class, symbol, currency, interval_s, bucket_start");
}

Result<std::vector<Candle>> TickStore::loadOpenCandles(qint64 sinceMs)
{
    if (Status s = ensureConnected(); !s)
        return s.error();
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    q.prepare(candleSelect(m_url.isPostgres(), true));
    q.addBindValue(timeParam(sinceMs));
    q.addBindValue(false);
    MS_RUN_QUERY(q, "Reading open candles")
    return readCandles(q);
}

Result<std::vector<Candle>> TickStore::loadCandles(qint64 sinceMs)
{
    if (Status s = ensureConnected(); !s)
        return s.error();
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    q.prepare(candleSelect(m_url.isPostgres(), false));
    q.addBindValue(timeParam(sinceMs));
    MS_RUN_QUERY(q, "Reading candles")
    return readCandles(q);
}

Result<std::vector<Tick>> TickStore::loadTicks(AssetClass asset, const std::string &symbol, qint64 fromMs, qint64 toMs)
{
    if (Status s = ensureConnected(); !s)
        return s.error();
    const bool pg = m_url.isPostgres();
    const QString table = asset == AssetClass::Crypto ? QStringLiteral("crypto_data") : QStringLiteral("stock_data");
    const QString ts = pg ? QStringLiteral("to_char(\"timestamp\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')")
                          : QStringLiteral("\"timestamp\"");
    const QString param = pg ? QStringLiteral("CAST(? AS timestamptz)") : QStringLiteral("?");
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT source, kind, symbol, currency, price, volume, ") + ts
              + QStringLiteral(", trade_id, open, high, low, previous_close FROM ") + table
              + QStringLiteral(" WHERE symbol = ? AND \"timestamp\" >= ") + param + QStringLiteral(" AND \"timestamp\" < ")
              + param + QStringLiteral(" ORDER BY \"timestamp\", trade_id"));
    q.addBindValue(QString::fromStdString(symbol));
    q.addBindValue(timeParam(fromMs));
    q.addBindValue(timeParam(toMs));
    MS_RUN_QUERY(q, "Reading ticks")
    std::vector<Tick> out;
    while (q.next()) {
        Tick t;
        t.asset = asset;
        t.source = sourceKindFromString(str(q.value(0))).value_or(SourceKind::Simulator);
        t.kind = tickKindFromString(str(q.value(1))).value_or(TickKind::Trade);
        t.symbol = str(q.value(2));
        t.currency = str(q.value(3));
        t.price = q.value(4).toDouble();
        t.volume = q.value(5).toDouble();
        t.tsMs = timeValue(q.value(6));
        t.id = str(q.value(7));
        t.open = optDouble(q.value(8));
        t.high = optDouble(q.value(9));
        t.low = optDouble(q.value(10));
        t.previousClose = optDouble(q.value(11));
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace ms
