#include "storage/pg_tick_writer.h"

#include "storage/row_format.h"

#include <QByteArray>

#include <cstring>
#include <map>
#include <tuple>

namespace ms::storage_detail {

namespace {

constexpr const char *kTickColumns =
    "symbol, price, \"timestamp\", currency, volume, source, kind, trade_id, high, low, open, previous_close";
constexpr size_t kCopyChunk = 1 << 20;
constexpr int kCandleRowsPerStatement = 1000;  // 15 params each, far below the 65535 limit
constexpr int kOffsetRowsPerStatement = 2000;

void appendOptional(std::string &out, const std::optional<double> &v)
{
    if (v)
        rowfmt::appendDouble(out, *v);
    else
        rowfmt::appendCopyNull(out);
}

// One COPY text line per tick, in kTickColumns order.
void appendTickRow(std::string &out, const Tick &t)
{
    rowfmt::appendCopyText(out, t.symbol);
    out += '\t';
    rowfmt::appendDouble(out, t.price);
    out += '\t';
    rowfmt::appendPgTimestamp(out, t.tsMs);
    out += '\t';
    rowfmt::appendCopyText(out, t.currency);
    out += '\t';
    rowfmt::appendDouble(out, t.volume);
    out += '\t';
    out += ms::wireName(t.source);
    out += '\t';
    out += ms::wireName(t.kind);
    out += '\t';
    rowfmt::appendCopyText(out, t.id);
    out += '\t';
    appendOptional(out, t.high);
    out += '\t';
    appendOptional(out, t.low);
    out += '\t';
    appendOptional(out, t.open);
    out += '\t';
    appendOptional(out, t.previousClose);
    out += '\n';
}

bool isUniqueViolation(const Error &e)
{
    return e.message.contains(QLatin1String("[SQLSTATE 23505]"));
}

// COPY <table> (<columns>) FROM STDIN with `rows` (text format). Returns rows copied.
Result<qint64> copyRows(PGconn *conn, const char *table, const std::string &rows)
{
    const QByteArray sql = QByteArray("COPY ") + table + " (" + kTickColumns + ") FROM STDIN";
    const QString what = QStringLiteral("COPY into ") + QString::fromLatin1(table);
    PgResult start(PQexec(conn, sql.constData()));
    if (PQresultStatus(start.get()) != PGRES_COPY_IN)
        return pgError(conn, start.get(), what);
    bool sent = true;
    for (size_t pos = 0; pos < rows.size() && sent; pos += kCopyChunk) {
        const size_t n = std::min(kCopyChunk, rows.size() - pos);
        sent = PQputCopyData(conn, rows.data() + pos, int(n)) == 1;
    }
    PQputCopyEnd(conn, sent ? nullptr : "client failed to send the data");
    Result<qint64> out = qint64(0);
    bool failed = false;
    while (PGresult *r = PQgetResult(conn)) {
        PgResult res(r);
        if (!failed && PQresultStatus(r) != PGRES_COMMAND_OK) {
            out = pgError(conn, r, what);
            failed = true;
        } else if (!failed) {
            out = qint64(std::atoll(PQcmdTuples(r)));
        }
    }
    if (!failed && PQstatus(conn) == CONNECTION_BAD)
        return pgError(conn, nullptr, what);
    return out;
}

Result<qint64> execCount(PGconn *conn, const char *sql, const QString &what)
{
    PgResult res(PQexec(conn, sql));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
        return pgError(conn, res.get(), what);
    return qint64(std::atoll(PQcmdTuples(res.get())));
}

Result<qint64> execParams(PGconn *conn, const std::string &sql, const std::vector<std::string> &values,
                          const std::vector<bool> &isNull, const QString &what)
{
    std::vector<const char *> params(values.size());
    for (size_t i = 0; i < values.size(); ++i)
        params[i] = isNull[i] ? nullptr : values[i].c_str();
    PgResult res(PQexecParams(conn, sql.c_str(), int(params.size()), nullptr, params.data(), nullptr, nullptr, 0));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
        return pgError(conn, res.get(), what);
    return qint64(std::atoll(PQcmdTuples(res.get())));
}

struct Params
{
    std::vector<std::string> values;
    std::vector<bool> isNull;
    std::string placeholders;
    void add(std::string v)
    {
        values.push_back(std::move(v));
        isNull.push_back(false);
    }
    void beginRow()
    {
        placeholders += placeholders.empty() ? "(" : ",(";
    }
    void endRow(int columns)
    {
        const size_t first = values.size() - size_t(columns) + 1;
        for (int c = 0; c < columns; ++c) {
            if (c)
                placeholders += ',';
            placeholders += '$';
            rowfmt::appendInt(placeholders, qint64(first) + c);
        }
        placeholders += ')';
    }
};

std::string dbl(double v)
{
    std::string s;
    rowfmt::appendDouble(s, v);
    return s;
}

std::string ts(qint64 ms)
{
    std::string s;
    rowfmt::appendPgTimestamp(s, ms);
    return s;
}

Result<qint64> upsertCandles(PGconn *conn, std::span<const Candle> candles)
{
    const std::vector<const Candle *> rows = lastCandlePerKey(candles);
    qint64 written = 0;
    for (size_t begin = 0; begin < rows.size(); begin += kCandleRowsPerStatement) {
        const size_t end = std::min(rows.size(), begin + kCandleRowsPerStatement);
        Params p;
        for (size_t i = begin; i < end; ++i) {
            const Candle &c = *rows[i];
            p.add(std::string(ms::wireName(c.asset)));
            p.add(c.symbol);
            p.add(c.currency);
            p.add(std::to_string(c.intervalSec));
            p.add(ts(c.bucketStartMs));
            p.add(dbl(c.open));
            p.add(dbl(c.high));
            p.add(dbl(c.low));
            p.add(dbl(c.close));
            p.add(dbl(c.volume));
            p.add(dbl(c.vwap));
            p.add(std::to_string(c.trades));
            p.add(ts(c.firstTsMs));
            p.add(ts(c.lastTsMs));
            p.add(c.final ? "true" : "false");
            p.beginRow();
            p.endRow(15);
        }
        const std::string sql =
            "INSERT INTO candles (asset_class, symbol, currency, interval_s, bucket_start, open, high, low, close, "
            "volume, vwap, trades, first_ts, last_ts, is_final) VALUES "
            + p.placeholders
            + " ON CONFLICT (asset_class, symbol, currency, interval_s, bucket_start) DO UPDATE SET "
              "open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, "
              "volume = EXCLUDED.volume, vwap = EXCLUDED.vwap, trades = EXCLUDED.trades, "
              "first_ts = EXCLUDED.first_ts, last_ts = EXCLUDED.last_ts, is_final = EXCLUDED.is_final, "
              "updated_at = now()";
        auto n = execParams(conn, sql, p.values, p.isNull, QStringLiteral("Writing candles"));
        if (!n)
            return n;
        written += *n;
    }
    return written;
}

Result<qint64> upsertOffsets(PGconn *conn, std::span<const OffsetRecord> offsets)
{
    const std::vector<const OffsetRecord *> rows = lastOffsetPerKey(offsets);
    qint64 written = 0;
    for (size_t begin = 0; begin < rows.size(); begin += kOffsetRowsPerStatement) {
        const size_t end = std::min(rows.size(), begin + kOffsetRowsPerStatement);
        Params p;
        for (size_t i = begin; i < end; ++i) {
            const OffsetRecord &o = *rows[i];
            p.add(o.consumerGroup);
            p.add(o.clusterId);
            p.add(o.topic);
            p.add(std::to_string(o.partition));
            p.add(std::to_string(o.nextOffset));
            p.beginRow();
            p.endRow(5);
        }
        const std::string sql =
            "INSERT INTO pipeline_offsets (consumer_group, cluster_id, topic, partition, next_offset) VALUES "
            + p.placeholders
            + " ON CONFLICT (consumer_group, cluster_id, topic, partition) DO UPDATE SET "
              "next_offset = EXCLUDED.next_offset, updated_at = now()";
        auto n = execParams(conn, sql, p.values, p.isNull, QStringLiteral("Writing offsets"));
        if (!n)
            return n;
        written += *n;
    }
    return written;
}

struct TickRows
{
    std::string crypto, stock;
    qint64 cryptoCount = 0, stockCount = 0;
};

// Replay path: COPY into the staging table, then insert what is new. Returns rows inserted.
Result<qint64> insertViaStaging(PGconn *conn, const char *stage, const char *table, const std::string &rows)
{
    auto copied = copyRows(conn, stage, rows);
    if (!copied)
        return copied;
    const QByteArray insert = QByteArray("INSERT INTO ") + table + " (" + kTickColumns + ") SELECT " + kTickColumns
        + " FROM " + stage + " ON CONFLICT (source, symbol, trade_id) DO NOTHING";
    auto inserted = execCount(conn, insert.constData(), QStringLiteral("Inserting ticks into ") + QString::fromLatin1(table));
    return inserted;  // the staging table empties itself at COMMIT (ON COMMIT DELETE ROWS)
}

Result<qint64> writeTicks(PGconn *conn, PgWriterState &state, const TickRows &rows, bool *replayed)
{
    const qint64 total = rows.cryptoCount + rows.stockCount;
    if (!state.preferReplay && !state.forceReplay) {
        if (Status s = pgExec(conn, "SAVEPOINT ms_ticks", QStringLiteral("SAVEPOINT")); !s)
            return s.error();
        Result<qint64> c = qint64(0), k = qint64(0);
        if (rows.cryptoCount)
            c = copyRows(conn, "crypto_data", rows.crypto);
        if (c && rows.stockCount)
            k = copyRows(conn, "stock_data", rows.stock);
        const Error *err = !c ? &c.error() : !k ? &k.error() : nullptr;
        if (!err) {
            if (Status s = pgExec(conn, "RELEASE SAVEPOINT ms_ticks", QStringLiteral("RELEASE SAVEPOINT")); !s)
                return s.error();
            return total;
        }
        if (!isUniqueViolation(*err))
            return *err;
        if (Status s = pgExec(conn, "ROLLBACK TO SAVEPOINT ms_ticks", QStringLiteral("ROLLBACK TO SAVEPOINT")); !s)
            return s.error();
    }
    *replayed = true;
    qint64 inserted = 0;
    if (rows.cryptoCount) {
        auto n = insertViaStaging(conn, "ms_stage_crypto", "crypto_data", rows.crypto);
        if (!n)
            return n;
        inserted += *n;
    }
    if (rows.stockCount) {
        auto n = insertViaStaging(conn, "ms_stage_stock", "stock_data", rows.stock);
        if (!n)
            return n;
        inserted += *n;
    }
    state.preferReplay = inserted < total;
    return inserted;
}

}  // namespace

std::vector<const Candle *> lastCandlePerKey(std::span<const Candle> candles)
{
    using Key = std::tuple<AssetClass, std::string_view, std::string_view, qint32, qint64>;
    std::map<Key, size_t> index;
    std::vector<const Candle *> out;
    out.reserve(candles.size());
    for (const Candle &c : candles) {
        const auto [it, fresh] = index.try_emplace(Key{c.asset, c.symbol, c.currency, c.intervalSec, c.bucketStartMs}, out.size());
        if (fresh)
            out.push_back(&c);
        else
            out[it->second] = &c;
    }
    return out;
}

std::vector<const OffsetRecord *> lastOffsetPerKey(std::span<const OffsetRecord> offsets)
{
    using Key = std::tuple<std::string_view, std::string_view, std::string_view, qint32>;
    std::map<Key, size_t> index;
    std::vector<const OffsetRecord *> out;
    for (const OffsetRecord &o : offsets) {
        const auto [it, fresh] = index.try_emplace(Key{o.consumerGroup, o.clusterId, o.topic, o.partition}, out.size());
        if (fresh)
            out.push_back(&o);
        else
            out[it->second] = &o;
    }
    return out;
}

Status pgPrepareSession(PGconn *conn)
{
    return pgExec(conn,
                  "SET client_min_messages = warning; "
                  "CREATE TEMP TABLE IF NOT EXISTS ms_stage_crypto (LIKE crypto_data INCLUDING DEFAULTS) "
                  "ON COMMIT DELETE ROWS; "
                  "CREATE TEMP TABLE IF NOT EXISTS ms_stage_stock (LIKE stock_data INCLUDING DEFAULTS) "
                  "ON COMMIT DELETE ROWS",
                  QStringLiteral("Preparing the session"));
}

Result<WriteResult> pgWrite(PGconn *conn, PgWriterState &state, const WriteBatch &batch)
{
    WriteResult result;
    TickRows rows;
    rows.crypto.reserve(batch.ticks.size() * 110);
    for (const Tick &t : batch.ticks) {
        if (t.asset == AssetClass::Crypto) {
            appendTickRow(rows.crypto, t);
            ++rows.cryptoCount;
        } else {
            appendTickRow(rows.stock, t);
            ++rows.stockCount;
        }
    }
    if (Status s = pgExec(conn, "BEGIN", QStringLiteral("BEGIN")); !s)
        return s.error();
    auto fail = [conn](Error e) {
        if (PQstatus(conn) == CONNECTION_OK)
            PgResult(PQexec(conn, "ROLLBACK"));
        return e;
    };
    if (!batch.ticks.empty()) {
        auto inserted = writeTicks(conn, state, rows, &result.replayPath);
        if (!inserted)
            return fail(inserted.error());
        result.ticksInserted = *inserted;
        result.ticksDuplicate = qint64(batch.ticks.size()) - *inserted;
    }
    if (!batch.candles.empty()) {
        auto n = upsertCandles(conn, batch.candles);
        if (!n)
            return fail(n.error());
        result.candlesWritten = *n;
    }
    if (!batch.offsets.empty()) {
        auto n = upsertOffsets(conn, batch.offsets);
        if (!n)
            return fail(n.error());
        result.offsetsWritten = *n;
    }
    if (Status s = pgExec(conn, "COMMIT", QStringLiteral("COMMIT")); !s)
        return fail(s.error());
    return result;
}

}  // namespace ms::storage_detail
