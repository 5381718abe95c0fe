#include "storage/pg_tick_writer.h"

#include "storage/pg_async.h"
#include "storage/pg_params.h"
#include "storage/row_format.h"

#include <QByteArray>

#include <cstring>
#include <functional>
#include <unordered_map>
#include <map>
#include <tuple>

namespace ms::storage_detail {

namespace {

constexpr const char *kTickColumns =
    "symbol, price, \"timestamp\", currency, volume, source, kind, trade_id, high, low, open, previous_close, "
    "date_key";  // 045: the UTC day, for the date filters' BRIN index
constexpr size_t kCopyChunk = 1 << 20;

bool isUniqueViolation(const Error &e)
{
    return e.message.contains(QLatin1String("[SQLSTATE 23505]"));
}

// COPY <table> (<columns>) FROM STDIN with `rows`, under the limits. Returns rows copied.
Result<qint64> copyRows(PGconn *conn, const char *table, const std::string &rows, bool binary, PgLimits &lim)
{
    const QByteArray sql = QByteArray("COPY ") + table + " (" + kTickColumns + ") FROM STDIN" + (binary ? " (FORMAT binary)" : "");
    const QString what = QStringLiteral("COPY into ") + QString::fromLatin1(table);
    PgCall call(conn, lim, what);
    if (PQsendQuery(conn, sql.constData()) != 1)
        return pgError(conn, nullptr, what);
    if (Status s = call.flush(); !s)
        return s.error();
    auto start = call.next();
    if (!start)
        return start.error();
    if (!start.value() || PQresultStatus(start.value().get()) != PGRES_COPY_IN) {
        Error e = pgError(conn, start.value().get(), what);
        while (true) {  // drain the command's remaining results
            auto more = call.next();
            if (!more || !more.value())
                break;
        }
        return e;
    }
    Status sent;
    for (size_t pos = 0; pos < rows.size() && sent; pos += kCopyChunk)
        sent = call.putCopyData(std::string_view(rows).substr(pos, kCopyChunk));
    if (lim.abandoned)
        return sent.error();
    if (Status s = call.putCopyEnd(sent ? nullptr : "client failed to send the data"); !s)
        return s.error();
    Result<qint64> out = qint64(0);
    bool failed = false;
    while (true) {
        auto r = call.next();
        if (!r)
            return r.error();
        if (!r.value())
            break;
        if (!failed && PQresultStatus(r.value().get()) != PGRES_COMMAND_OK) {
            out = pgError(conn, r.value().get(), what);
            failed = true;
        } else if (!failed) {
            out = qint64(std::atoll(PQcmdTuples(r.value().get())));
        }
    }
    if (!failed && !sent)
        return sent.error();
    if (!failed && PQstatus(conn) == CONNECTION_BAD)
        return pgError(conn, nullptr, what);
    return out;
}

Result<qint64> execCount(PGconn *conn, const char *sql, const QString &what, PgLimits &lim)
{
    PgCall call(conn, lim, what);
    auto res = call.exec(sql);
    if (!res)
        return res.error();
    return qint64(std::atoll(PQcmdTuples(res.value().get())));
}

struct TickRows
{
    std::string crypto, stock;
    qint64 cryptoCount = 0, stockCount = 0;
    bool binary = true;
};

TickRows encodeRows(std::span<const Tick> ticks, bool binary)
{
    TickRows rows;
    rows.binary = binary;
    rows.crypto.reserve(ticks.size() * 110);
    auto append = binary ? rowfmt::appendCopyBinaryTickRow : rowfmt::appendCopyTickRow;
    if (binary) {
        rowfmt::appendCopyBinaryHeader(rows.crypto);
        rowfmt::appendCopyBinaryHeader(rows.stock);
    }
    for (const Tick &t : ticks) {
        if (t.asset == AssetClass::Crypto) {
            append(rows.crypto, t);
            ++rows.cryptoCount;
        } else {
            append(rows.stock, t);
            ++rows.stockCount;
        }
    }
    if (binary) {
        rowfmt::appendCopyBinaryTrailer(rows.crypto);
        rowfmt::appendCopyBinaryTrailer(rows.stock);
    }
    return rows;
}

std::string tickKey(std::string_view source, std::string_view symbol, std::string_view id)
{
    std::string k;
    k.reserve(source.size() + symbol.size() + id.size() + 2);
    k.append(source).append(1, '\x1f').append(symbol).append(1, '\x1f').append(id);
    return k;
}

// Marks in `inserted` the ticks of `asset` whose (source, symbol, trade_id) the INSERT returned; of
// copies within the batch, the first is the one the (insertion-ordered) staging scan inserted.
void markReturned(const PGresult *res, std::span<const Tick> ticks, AssetClass asset, std::vector<quint8> &inserted)
{
    std::unordered_map<std::string, int> returned;
    const int n = PQntuples(res);
    returned.reserve(size_t(n));
    for (int i = 0; i < n; ++i)
        returned.emplace(tickKey(PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2)), 1);
    for (size_t i = 0; i < ticks.size(); ++i) {
        const Tick &t = ticks[i];
        if (t.asset != asset)
            continue;
        auto it = returned.find(tickKey(wireName(t.source), t.symbol, t.id));
        if (it != returned.end() && it->second) {
            inserted[i] = 1;
            it->second = 0;
        }
    }
}

// Replay path: COPY into the staging table, then insert what is new. Returns rows inserted; with
// `mark`, also which ticks were new (RETURNING their keys: paid only on this path).
Result<qint64> insertViaStaging(PGconn *conn, const char *stage, const char *table, const std::string &rows, bool binary,
                                const std::function<void(const PGresult *)> &mark, PgLimits &lim)
{
    auto copied = copyRows(conn, stage, rows, binary, lim);
    if (!copied)
        return copied;
    QByteArray insert = QByteArray("INSERT INTO ") + table + " (" + kTickColumns + ") SELECT " + kTickColumns
        + " FROM " + stage + " ON CONFLICT (source, symbol, trade_id) DO NOTHING";
    const QString what = QStringLiteral("Inserting ticks into ") + QString::fromLatin1(table);
    if (!mark)
        return execCount(conn, insert.constData(), what, lim);  // the staging table empties itself at COMMIT
    insert += " RETURNING source, symbol, trade_id";
    PgCall call(conn, lim, what);
    auto res = call.exec(insert.constData());
    if (!res)
        return res.error();
    mark(res.value().get());
    return qint64(PQntuples(res.value().get()));
}

// Inside the open transaction. The COPY fast path runs after "SAVEPOINT ms_ticks" (sent with
// BEGIN): a duplicate key rolls back to it and the batch takes the replay path instead.
// `inserted` (when not null) receives which ticks were new.
Result<qint64> writeTicks(PGconn *conn, PgWriterState &state, std::span<const Tick> ticks, const TickRows &rows,
                          bool copyFirst, bool *replayed, std::vector<quint8> *inserted)
{
    const qint64 total = rows.cryptoCount + rows.stockCount;
    if (copyFirst) {
        Result<qint64> c = qint64(0), k = qint64(0);
        if (rows.cryptoCount)
            c = copyRows(conn, "crypto_data", rows.crypto, rows.binary, state.limits);
        if (c && rows.stockCount)
            k = copyRows(conn, "stock_data", rows.stock, rows.binary, state.limits);
        const Error *err = !c ? &c.error() : !k ? &k.error() : nullptr;
        if (!err) {
            if (inserted)
                inserted->assign(ticks.size(), 1);  // no key existed: every row is new
            return total;  // the savepoint goes with the COMMIT
        }
        if (!isUniqueViolation(*err))
            return *err;
        if (Status s = pgExecLimited(conn, "ROLLBACK TO SAVEPOINT ms_ticks", state.limits, QStringLiteral("ROLLBACK TO SAVEPOINT")); !s)
            return s.error();
    }
    *replayed = true;
    if (inserted)
        inserted->assign(ticks.size(), 0);
    auto marker = [&](AssetClass asset) -> std::function<void(const PGresult *)> {
        if (!inserted)
            return {};
        return [=, &ticks](const PGresult *res) { markReturned(res, ticks, asset, *inserted); };
    };
    qint64 count = 0;
    if (rows.cryptoCount) {
        auto n = insertViaStaging(conn, "ms_stage_crypto", "crypto_data", rows.crypto, rows.binary, marker(AssetClass::Crypto), state.limits);
        if (!n)
            return n;
        count += *n;
    }
    if (rows.stockCount) {
        auto n = insertViaStaging(conn, "ms_stage_stock", "stock_data", rows.stock, rows.binary, marker(AssetClass::Stock), state.limits);
        if (!n)
            return n;
        count += *n;
    }
    state.preferReplay = count < total;
    return count;
}

}  // namespace

Status pgPrepareSession(PGconn *conn)
{
    // The write path waits with its own deadline (pg_async.h); Qt's PQexec calls still block.
    if (PQsetnonblocking(conn, 1) != 0)
        return pgError(conn, nullptr, QStringLiteral("Setting the connection nonblocking"));
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
    const TickRows rows = encodeRows(batch.ticks, state.binaryCopy);
    // Round trips are most of a small batch's latency: BEGIN and the savepoint go in one, each
    // COPY takes two, and every upsert plus the COMMIT share one pipeline.
    const bool copyFirst = !batch.ticks.empty() && !state.preferReplay && !state.forceReplay;
    state.limits.abandoned = false;
    if (Status s = pgExecLimited(conn, copyFirst ? "BEGIN; SAVEPOINT ms_ticks" : "BEGIN", state.limits, QStringLiteral("BEGIN")); !s)
        return s.error();
    auto fail = [conn, &state](Error e) {
        // After a deadline or a stop the connection is mid-command: the caller drops it instead.
        if (!state.limits.abandoned && PQstatus(conn) == CONNECTION_OK)
            (void)pgExecLimited(conn, "ROLLBACK", state.limits, QStringLiteral("ROLLBACK"));
        return e;
    };
    std::vector<quint8> inserted;
    if (!batch.ticks.empty()) {
        auto n = writeTicks(conn, state, batch.ticks, rows, copyFirst, &result.replayPath,
                            batch.deriveFromInserted ? &inserted : nullptr);
        if (!n)
            return fail(n.error());
        result.ticksInserted = *n;
        result.ticksDuplicate = qint64(batch.ticks.size()) - *n;
    }
    DerivedRows derived;
    if (batch.deriveFromInserted) {
        inserted.resize(batch.ticks.size(), 0);
        if (Status s = batch.deriveFromInserted(inserted, derived); !s)
            return fail(s.error());
    }
    PgPipeline rest;
    std::vector<Candle> candles(batch.candles.begin(), batch.candles.end());
    candles.insert(candles.end(), derived.candles.begin(), derived.candles.end());
    std::vector<IndicatorSnapshot> indicators(batch.indicators.begin(), batch.indicators.end());
    indicators.insert(indicators.end(), derived.indicators.begin(), derived.indicators.end());
    std::vector<LateTickRecord> late(batch.lateTicks.begin(), batch.lateTicks.end());
    late.insert(late.end(), derived.lateTicks.begin(), derived.lateTicks.end());
    pgQueueCandles(rest, candles, &result.candlesWritten);
    pgQueueOffsets(rest, batch.offsets, &result.offsetsWritten);
    pgQueueLateTicks(rest, late, &result.lateTicksWritten);
    pgQueueIndicators(rest, indicators, batch.smaPeriod, batch.emaPeriod, &result.indicatorsWritten);
    pgQueueAlerts(rest, derived.alerts, &result.alertsWritten);
    pgQueueAlertStates(rest, derived.alertStates);
    pgQueueFeedGaps(rest, derived.feedGaps, &result.feedGapsWritten);
    pgQueueGapStates(rest, derived.gapStates);
    rest.add("COMMIT", QStringLiteral("COMMIT"));
    if (Status s = rest.run(conn, state.limits); !s)
        return fail(s.error());
    return result;
}

Status pgProbeTicks(PGconn *conn, PgWriterState &state, std::span<const Tick> ticks)
{
    const TickRows rows = encodeRows(ticks, true);
    state.limits.abandoned = false;
    if (Status s = pgExecLimited(conn, "BEGIN", state.limits, QStringLiteral("BEGIN")); !s)
        return s;
    Status out;
    if (rows.cryptoCount) {
        auto n = insertViaStaging(conn, "ms_stage_crypto", "crypto_data", rows.crypto, true, {}, state.limits);
        if (!n)
            out = n.error();
    }
    if (out && rows.stockCount) {
        auto n = insertViaStaging(conn, "ms_stage_stock", "stock_data", rows.stock, true, {}, state.limits);
        if (!n)
            out = n.error();
    }
    if (!state.limits.abandoned && PQstatus(conn) == CONNECTION_OK) {
        if (Status s = pgExecLimited(conn, "ROLLBACK", state.limits, QStringLiteral("ROLLBACK")); !s && out)
            out = s;
    }
    return out;
}

}  // namespace ms::storage_detail
