#include "storage/database.h"
#include "storage/pg_async.h"
#include "storage/candle_row.h"
#include "storage/read_rows.h"
#include "storage/sql_time.h"
#include "storage/tick_store.h"
#include "storage/tick_store_impl.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ms {

using namespace storage_detail;

namespace {

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

// --- reads (small result sets or forward-only) ----------------------------------------------

Status TickStore::runRead(const QString &sql, const QList<QVariant> &params, const QString &what,
                          ReadRows &rows)
{
    if (Status s = ensureConnected(); !s)
        return s;
    if (m_url.isPostgres()) {
        PGconn *conn = pgConnection(d->db);
        if (!conn)
            return makeError(what + QStringLiteral(": no database connection"),
                             QStringLiteral("db_unreachable"));
        std::string numbered; // Qt's '?' as libpq's $1, $2, … (no '?' in these queries' literals)
        int n = 0;
        for (const char c : sql.toUtf8()) {
            if (c == '?')
                numbered += '$' + std::to_string(++n);
            else
                numbered += c;
        }
        std::vector<std::string> values;
        values.reserve(size_t(params.size()));
        for (const QVariant &p : params)
            values.push_back(p.typeId() == QMetaType::Bool
                                 ? std::string(p.toBool() ? "true" : "false")
                                 : p.toString().toStdString());
        d->pg.limits.abandoned = false;
        PgCall call(conn, d->pg.limits, what);
        auto res = call.execParams(numbered.c_str(), values);
        if (d->pg.limits.abandoned)
            disconnect(); // mid-command after the deadline or a stop: the next call reconnects
        if (!res)
            return res.error();
        rows.setPg(std::move(res).value());
        return {};
    }
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &p : params)
        q.addBindValue(p);
    if (!q.exec())
        return makeError(what + QStringLiteral(": ") + q.lastError().text().simplified(),
                         connectionLost() ? QStringLiteral("db_unreachable")
                                          : QStringLiteral("db_rejected"));
    rows.setSql(std::move(q));
    return {};
}

Result<std::vector<OffsetRecord>> TickStore::loadOffsets(const std::string &consumerGroup, const std::string &clusterId)
{
    ReadRows q;
    if (Status s = runRead(
            QStringLiteral("SELECT consumer_group, cluster_id, topic, partition, next_offset FROM "
                           "pipeline_offsets WHERE consumer_group = ? AND cluster_id = ? "
                           "ORDER BY topic, partition"),
            {QString::fromStdString(consumerGroup), QString::fromStdString(clusterId)},
            QStringLiteral("Reading consumer offsets"), q);
        !s)
        return s.error();
    std::vector<OffsetRecord> out;
    while (q.next())
        out.push_back({str(q.value(0)), str(q.value(1)), str(q.value(2)), q.value(3).toInt(), q.value(4).toLongLong()});
    return out;
}

static std::vector<Candle> readCandles(ReadRows &q)
{
    std::vector<Candle> out;
    while (q.next())
        out.push_back(candleFromRow(q));
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
    ReadRows q;
    if (Status s = runRead(candleSelect(m_url.isPostgres(), true), {timeParam(sinceMs), false},
                           QStringLiteral("Reading open candles"), q);
        !s)
        return s.error();
    return readCandles(q);
}

Result<std::vector<Candle>> TickStore::loadCandles(qint64 sinceMs)
{
    ReadRows q;
    if (Status s = runRead(candleSelect(m_url.isPostgres(), false), {timeParam(sinceMs)},
                           QStringLiteral("Reading candles"), q);
        !s)
        return s.error();
    return readCandles(q);
}

Result<std::vector<Candle>> TickStore::loadCandlesForRestore(std::span<const CandleLookback> lookbacks)
{
    const bool pg = m_url.isPostgres();
    std::vector<Candle> out;
    for (const CandleLookback &lb : lookbacks) {
        // Step 1: the newest bucket of every (asset, symbol, currency) at this interval (primary-key index).
        ReadRows latest;
        if (Status s =
                runRead(QStringLiteral("SELECT asset_class, symbol, currency, ") +
                            (pg ? QStringLiteral("to_char(max(bucket_start) AT TIME ZONE 'UTC', "
                                                 "'YYYY-MM-DD HH24:MI:SS.MS')")
                                : QStringLiteral("max(bucket_start)")) +
                            QStringLiteral(
                                " FROM candles WHERE interval_s = ? GROUP BY asset_class, symbol, "
                                "currency"),
                        {lb.intervalSec}, QStringLiteral("Reading the newest candles"), latest);
            !s)
            return s.error();
        struct Key
        {
            QString asset, symbol, currency;
            qint64 newestMs;
        };
        std::vector<Key> keys;
        while (latest.next())
            keys.push_back({latest.value(0).toString(), latest.value(1).toString(),
                            latest.value(2).toString(), timeValue(latest.value(3))});
        // Step 2: that key's candles within the lookback, final or not.
        const QString perKey = candleSelect(pg, false).replace(
            QStringLiteral(" WHERE "),
            QStringLiteral(
                " WHERE asset_class = ? AND symbol = ? AND currency = ? AND interval_s = ? AND "));
        for (const Key &k : keys) {
            ReadRows q;
            if (Status s = runRead(perKey,
                                   {k.asset, k.symbol, k.currency, lb.intervalSec,
                                    timeParam(k.newestMs - std::max<qint64>(0, lb.lookbackMs))},
                                   QStringLiteral("Reading candles for restore"), q);
                !s)
                return s.error();
            std::vector<Candle> part = readCandles(q);
            out.insert(out.end(), std::make_move_iterator(part.begin()),
                       std::make_move_iterator(part.end()));
        }
    }
    return out;
}

Result<std::vector<Tick>> TickStore::loadTicks(AssetClass asset, const std::string &symbol, qint64 fromMs, qint64 toMs)
{
    const bool pg = m_url.isPostgres();
    const QString table = asset == AssetClass::Crypto ? QStringLiteral("crypto_data") : QStringLiteral("stock_data");
    const QString ts = pg ? QStringLiteral("to_char(\"timestamp\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')")
                          : QStringLiteral("\"timestamp\"");
    const QString param = pg ? QStringLiteral("CAST(? AS timestamptz)") : QStringLiteral("?");
    ReadRows q;
    if (Status s =
            runRead(QStringLiteral("SELECT source, kind, symbol, currency, price, volume, ") + ts +
                        QStringLiteral(", trade_id, open, high, low, previous_close FROM ") +
                        table + QStringLiteral(" WHERE symbol = ? AND \"timestamp\" >= ") + param +
                        QStringLiteral(" AND \"timestamp\" < ") + param +
                        QStringLiteral(" ORDER BY \"timestamp\", trade_id"),
                    {QString::fromStdString(symbol), timeParam(fromMs), timeParam(toMs)},
                    QStringLiteral("Reading ticks"), q);
        !s)
        return s.error();
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
