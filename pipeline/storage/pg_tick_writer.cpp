#include "storage/pg_tick_writer.h"

#include "storage/pg_params.h"
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

bool isUniqueViolation(const Error &e)
{
    return e.message.contains(QLatin1String("[SQLSTATE 23505]"));
}

// COPY <table> (<columns>) FROM STDIN with `rows` (text format). Returns rows copied.
Result<qint64> copyRows(PGconn *conn, const char *table, const std::string &rows, bool binary)
{
    const QByteArray sql = QByteArray("COPY ") + table + " (" + kTickColumns + ") FROM STDIN" + (binary ? " (FORMAT binary)" : "");
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

struct TickRows
{
    std::string crypto, stock;
    qint64 cryptoCount = 0, stockCount = 0;
    bool binary = true;
};

// Replay path: COPY into the staging table, then insert what is new. Returns rows inserted.
Result<qint64> insertViaStaging(PGconn *conn, const char *stage, const char *table, const std::string &rows, bool binary)
{
    auto copied = copyRows(conn, stage, rows, binary);
    if (!copied)
        return copied;
    const QByteArray insert = QByteArray("INSERT INTO ") + table + " (" + kTickColumns + ") SELECT " + kTickColumns
        + " FROM " + stage + " ON CONFLICT (source, symbol, trade_id) DO NOTHING";
    auto inserted = execCount(conn, insert.constData(), QStringLiteral("Inserting ticks into ") + QString::fromLatin1(table));
    return inserted;  // the staging table empties itself at COMMIT (ON COMMIT DELETE ROWS)
}

// Inside the open transaction. The COPY fast path runs after "SAVEPOINT ms_ticks" (sent with
// BEGIN): a duplicate key rolls back to it and the batch takes the replay path instead.
Result<qint64> writeTicks(PGconn *conn, PgWriterState &state, const TickRows &rows, bool copyFirst, bool *replayed)
{
    const qint64 total = rows.cryptoCount + rows.stockCount;
    if (copyFirst) {
        Result<qint64> c = qint64(0), k = qint64(0);
        if (rows.cryptoCount)
            c = copyRows(conn, "crypto_data", rows.crypto, rows.binary);
        if (c && rows.stockCount)
            k = copyRows(conn, "stock_data", rows.stock, rows.binary);
        const Error *err = !c ? &c.error() : !k ? &k.error() : nullptr;
        if (!err)
            return total;  // the savepoint goes with the COMMIT
        if (!isUniqueViolation(*err))
            return *err;
        if (Status s = pgExec(conn, "ROLLBACK TO SAVEPOINT ms_ticks", QStringLiteral("ROLLBACK TO SAVEPOINT")); !s)
            return s.error();
    }
    *replayed = true;
    qint64 inserted = 0;
    if (rows.cryptoCount) {
        auto n = insertViaStaging(conn, "ms_stage_crypto", "crypto_data", rows.crypto, rows.binary);
        if (!n)
            return n;
        inserted += *n;
    }
    if (rows.stockCount) {
        auto n = insertViaStaging(conn, "ms_stage_stock", "stock_data", rows.stock, rows.binary);
        if (!n)
            return n;
        inserted += *n;
    }
    state.preferReplay = inserted < total;
    return inserted;
}

}  // namespace

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
    rows.binary = state.binaryCopy;
    rows.crypto.reserve(batch.ticks.size() * 110);
    auto append = rows.binary ? rowfmt::appendCopyBinaryTickRow : rowfmt::appendCopyTickRow;
    if (rows.binary) {
        rowfmt::appendCopyBinaryHeader(rows.crypto);
        rowfmt::appendCopyBinaryHeader(rows.stock);
    }
    for (const Tick &t : batch.ticks) {
        if (t.asset == AssetClass::Crypto) {
            append(rows.crypto, t);
            ++rows.cryptoCount;
        } else {
            append(rows.stock, t);
            ++rows.stockCount;
        }
    }
    if (rows.binary) {
        rowfmt::appendCopyBinaryTrailer(rows.crypto);
        rowfmt::appendCopyBinaryTrailer(rows.stock);
    }
    // Round trips are most of a small batch's latency: BEGIN and the savepoint go in one, each
    // COPY takes two, and every upsert plus the COMMIT share one pipeline.
    const bool copyFirst = !batch.ticks.empty() && !state.preferReplay && !state.forceReplay;
    if (Status s = pgExec(conn, copyFirst ? "BEGIN; SAVEPOINT ms_ticks" : "BEGIN", QStringLiteral("BEGIN")); !s)
        return s.error();
    auto fail = [conn](Error e) {
        if (PQstatus(conn) == CONNECTION_OK)
            PgResult(PQexec(conn, "ROLLBACK"));
        return e;
    };
    if (!batch.ticks.empty()) {
        auto inserted = writeTicks(conn, state, rows, copyFirst, &result.replayPath);
        if (!inserted)
            return fail(inserted.error());
        result.ticksInserted = *inserted;
        result.ticksDuplicate = qint64(batch.ticks.size()) - *inserted;
    }
    PgPipeline rest;
    pgQueueCandles(rest, batch.candles, &result.candlesWritten);
    pgQueueOffsets(rest, batch.offsets, &result.offsetsWritten);
    pgQueueLateTicks(rest, batch.lateTicks, &result.lateTicksWritten);
    pgQueueIndicators(rest, batch.indicators, batch.smaPeriod, batch.emaPeriod, &result.indicatorsWritten);
    rest.add("COMMIT", QStringLiteral("COMMIT"));
    if (Status s = rest.run(conn); !s)
        return fail(s.error());
    return result;
}

}  // namespace ms::storage_detail
