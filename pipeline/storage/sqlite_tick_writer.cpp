#include "storage/sqlite_tick_writer.h"

#include "storage/pg_tick_writer.h"  // lastCandlePerKey / lastOffsetPerKey
#include "storage/row_format.h"

namespace ms::storage_detail {

namespace {

const char *tickInsertSql(bool crypto)
{
    return crypto ? "INSERT INTO crypto_data (symbol, price, \"timestamp\", currency, volume, source, kind, trade_id, "
                    "high, low, open, previous_close) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                    "ON CONFLICT (source, symbol, trade_id) DO NOTHING"
                  : "INSERT INTO stock_data (symbol, price, \"timestamp\", currency, volume, source, kind, trade_id, "
                    "high, low, open, previous_close) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                    "ON CONFLICT (source, symbol, trade_id) DO NOTHING";
}

constexpr const char *kCandleSql =
    "INSERT INTO candles (asset_class, symbol, currency, interval_s, bucket_start, open, high, low, close, volume, "
    "vwap, trades, first_ts, last_ts, is_final) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
    "ON CONFLICT (asset_class, symbol, currency, interval_s, bucket_start) DO UPDATE SET "
    "open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, "
    "volume = excluded.volume, vwap = excluded.vwap, trades = excluded.trades, first_ts = excluded.first_ts, "
    "last_ts = excluded.last_ts, is_final = excluded.is_final, updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')";

constexpr const char *kOffsetSql =
    "INSERT INTO pipeline_offsets (consumer_group, cluster_id, topic, partition, next_offset) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (consumer_group, cluster_id, topic, partition) DO UPDATE SET "
    "next_offset = excluded.next_offset, updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')";

constexpr const char *kLateSql =
    "INSERT INTO late_ticks (source, symbol, trade_id, interval_s, asset_class, currency, \"timestamp\", price, volume, "
    "watermark) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (source, symbol, trade_id, interval_s) DO NOTHING";

constexpr const char *kIndicatorSql =
    "INSERT INTO candle_indicators (asset_class, symbol, currency, interval_s, bucket_start, sma, ema, sma_period, "
    "ema_period, change_24h_pct, change_session_pct) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
    "ON CONFLICT (asset_class, symbol, currency, interval_s, bucket_start) DO UPDATE SET "
    "sma = excluded.sma, ema = excluded.ema, sma_period = excluded.sma_period, ema_period = excluded.ema_period, "
    "change_24h_pct = excluded.change_24h_pct, change_session_pct = excluded.change_session_pct, "
    "updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')";

constexpr const char *kAlertSql =
    "INSERT INTO alerts (rule, source, symbol, trade_id, asset_class, currency, price, \"timestamp\", detail) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (rule, source, symbol, trade_id) DO NOTHING";

constexpr const char *kAlertStateSql =
    "INSERT INTO alert_state (rule, symbol, last_ts, condition_held) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (rule) DO UPDATE SET last_ts = excluded.last_ts, condition_held = excluded.condition_held, "
    "updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')";
constexpr const char *kGapSql =
    "INSERT INTO feed_gaps (source, asset_class, symbol, kind, stream, gap_start, gap_end, missing, threshold_ms, "
    "detected_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT (source, asset_class, symbol, kind, stream, gap_start) DO NOTHING";

constexpr const char *kGapStateSql =
    "INSERT INTO feed_gap_state (source, asset_class, symbol, stream, last_ts_ms, last_seq, estimate, samples) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (source, asset_class, symbol, stream) DO UPDATE SET "
    "last_ts_ms = excluded.last_ts_ms, last_seq = excluded.last_seq, estimate = excluded.estimate, "
    "samples = excluded.samples, updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')";

void bindText(sqlite3_stmt *s, int i, std::string_view v)
{
    // SQLITE_STATIC: the strings outlive the step() that reads them.
    sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_STATIC);
}

void bindTime(sqlite3_stmt *s, int i, qint64 ms, std::string &buf)
{
    buf.clear();
    rowfmt::appendUtcTimestamp(buf, ms);
    sqlite3_bind_text(s, i, buf.data(), int(buf.size()), SQLITE_TRANSIENT);
}

void bindOptional(sqlite3_stmt *s, int i, const std::optional<double> &v)
{
    if (v)
        sqlite3_bind_double(s, i, *v);
    else
        sqlite3_bind_null(s, i);
}

}  // namespace

SqliteTickWriter::~SqliteTickWriter()
{
    sqlite3_finalize(m_crypto);
    sqlite3_finalize(m_stock);
    sqlite3_finalize(m_candle);
    sqlite3_finalize(m_offset);
    sqlite3_finalize(m_late);
    sqlite3_finalize(m_indicator);
    sqlite3_finalize(m_alert);
    sqlite3_finalize(m_alertState);
    sqlite3_finalize(m_gap);
    sqlite3_finalize(m_gapState);
}

Status SqliteTickWriter::prepare()
{
    if (m_crypto)
        return {};
    struct
    {
        sqlite3_stmt **stmt;
        const char *sql;
    } const all[] = {{&m_crypto, tickInsertSql(true)}, {&m_stock, tickInsertSql(false)}, {&m_candle, kCandleSql},
                     {&m_offset, kOffsetSql}, {&m_late, kLateSql}, {&m_indicator, kIndicatorSql},
                     {&m_alert, kAlertSql}, {&m_alertState, kAlertStateSql},
                     {&m_gap, kGapSql}, {&m_gapState, kGapStateSql}};
    for (const auto &p : all) {
        const int rc = sqlite3_prepare_v3(m_db, p.sql, -1, SQLITE_PREPARE_PERSISTENT, p.stmt, nullptr);
        if (rc != SQLITE_OK) {
            Error e = sqliteError(m_db, rc, QStringLiteral("Preparing the SQLite statements"));
            for (const auto &q : all) {
                sqlite3_finalize(*q.stmt);
                *q.stmt = nullptr;
            }
            return e;
        }
    }
    return {};
}

Result<WriteResult> SqliteTickWriter::write(const WriteBatch &batch)
{
    if (Status s = prepare(); !s)
        return s.error();
    // IMMEDIATE: take the write lock up front (busy timeout applies) instead of failing on upgrade.
    if (Status s = sqliteExec(m_db, "BEGIN IMMEDIATE", QStringLiteral("BEGIN")); !s)
        return s.error();
    auto result = writeInTransaction(batch, false);
    if (result) {
        if (Status s = sqliteExec(m_db, "COMMIT", QStringLiteral("COMMIT")); !s)
            result = s.error();
    }
    if (!result && !sqlite3_get_autocommit(m_db))
        (void)sqliteExec(m_db, "ROLLBACK", QStringLiteral("ROLLBACK"));
    return result;
}

Status SqliteTickWriter::probeTicks(std::span<const Tick> ticks)
{
    if (Status s = prepare(); !s)
        return s;
    if (Status s = sqliteExec(m_db, "BEGIN IMMEDIATE", QStringLiteral("BEGIN")); !s)
        return s;
    WriteBatch batch{ticks, {}, {}};
    auto result = writeInTransaction(batch, true);
    if (!sqlite3_get_autocommit(m_db))
        (void)sqliteExec(m_db, "ROLLBACK", QStringLiteral("ROLLBACK"));
    if (!result)
        return result.error();
    return {};
}

Result<WriteResult> SqliteTickWriter::writeInTransaction(const WriteBatch &batch, bool ticksOnly)
{
    WriteResult r;
    m_inserted.clear();
    std::string t1, t2, t3;
    auto step = [this](sqlite3_stmt *s, const QString &what) -> Status {
        const int rc = sqlite3_step(s);
        Status st;
        if (rc != SQLITE_DONE)
            st = sqliteError(m_db, rc, what);  // before reset, which may clear the message
        sqlite3_reset(s);
        return st;
    };
    for (const Tick &t : batch.ticks) {
        sqlite3_stmt *s = t.asset == AssetClass::Crypto ? m_crypto : m_stock;
        bindText(s, 1, t.symbol);
        sqlite3_bind_double(s, 2, t.price);
        bindTime(s, 3, t.tsMs, t1);
        bindText(s, 4, t.currency);
        sqlite3_bind_double(s, 5, t.volume);
        bindText(s, 6, ms::wireName(t.source));
        bindText(s, 7, ms::wireName(t.kind));
        bindText(s, 8, t.id);
        bindOptional(s, 9, t.high);
        bindOptional(s, 10, t.low);
        bindOptional(s, 11, t.open);
        bindOptional(s, 12, t.previousClose);
        if (Status st = step(s, QStringLiteral("Inserting a tick")); !st)
            return st.error();
        const bool fresh = sqlite3_changes(m_db) > 0;
        if (fresh)
            ++r.ticksInserted;
        else
            ++r.ticksDuplicate;
        if (batch.deriveFromInserted)
            m_inserted.push_back(fresh ? 1 : 0);
    }
    if (ticksOnly)
        return r;
    DerivedRows derived;
    if (batch.deriveFromInserted) {
        if (Status s = batch.deriveFromInserted(m_inserted, derived); !s)
            return s.error();
    }
    std::vector<Candle> candles(batch.candles.begin(), batch.candles.end());
    candles.insert(candles.end(), derived.candles.begin(), derived.candles.end());
    std::vector<IndicatorSnapshot> indicators(batch.indicators.begin(), batch.indicators.end());
    indicators.insert(indicators.end(), derived.indicators.begin(), derived.indicators.end());
    std::vector<LateTickRecord> late(batch.lateTicks.begin(), batch.lateTicks.end());
    late.insert(late.end(), derived.lateTicks.begin(), derived.lateTicks.end());
    for (const Candle *c : lastCandlePerKey(candles)) {
        sqlite3_stmt *s = m_candle;
        bindText(s, 1, ms::wireName(c->asset));
        bindText(s, 2, c->symbol);
        bindText(s, 3, c->currency);
        sqlite3_bind_int(s, 4, c->intervalSec);
        bindTime(s, 5, c->bucketStartMs, t1);
        sqlite3_bind_double(s, 6, c->open);
        sqlite3_bind_double(s, 7, c->high);
        sqlite3_bind_double(s, 8, c->low);
        sqlite3_bind_double(s, 9, c->close);
        sqlite3_bind_double(s, 10, c->volume);
        sqlite3_bind_double(s, 11, c->vwap);
        sqlite3_bind_int64(s, 12, c->trades);
        bindTime(s, 13, c->firstTsMs, t2);
        bindTime(s, 14, c->lastTsMs, t3);
        sqlite3_bind_int(s, 15, c->final ? 1 : 0);
        if (Status st = step(s, QStringLiteral("Writing a candle")); !st)
            return st.error();
        ++r.candlesWritten;
    }
    for (const OffsetRecord *o : lastOffsetPerKey(batch.offsets)) {
        sqlite3_stmt *s = m_offset;
        bindText(s, 1, o->consumerGroup);
        bindText(s, 2, o->clusterId);
        bindText(s, 3, o->topic);
        sqlite3_bind_int(s, 4, o->partition);
        sqlite3_bind_int64(s, 5, o->nextOffset);
        if (Status st = step(s, QStringLiteral("Writing an offset")); !st)
            return st.error();
        ++r.offsetsWritten;
    }
    for (const LateTickRecord &l : late) {
        sqlite3_stmt *s = m_late;
        bindText(s, 1, ms::wireName(l.tick.source));
        bindText(s, 2, l.tick.symbol);
        bindText(s, 3, l.tick.id);
        sqlite3_bind_int(s, 4, l.intervalSec);
        bindText(s, 5, ms::wireName(l.tick.asset));
        bindText(s, 6, l.tick.currency);
        bindTime(s, 7, l.tick.tsMs, t1);
        sqlite3_bind_double(s, 8, l.tick.price);
        sqlite3_bind_double(s, 9, l.tick.volume);
        bindTime(s, 10, l.watermarkMs, t2);
        if (Status st = step(s, QStringLiteral("Writing a late tick")); !st)
            return st.error();
        r.lateTicksWritten += sqlite3_changes(m_db);
    }
    for (const IndicatorSnapshot *i : lastIndicatorPerKey(indicators)) {
        sqlite3_stmt *s = m_indicator;
        bindText(s, 1, ms::wireName(i->asset));
        bindText(s, 2, i->symbol);
        bindText(s, 3, i->currency);
        sqlite3_bind_int(s, 4, i->intervalSec);
        bindTime(s, 5, i->bucketStartMs, t1);
        bindOptional(s, 6, i->sma);
        bindOptional(s, 7, i->ema);
        sqlite3_bind_int(s, 8, batch.smaPeriod);
        sqlite3_bind_int(s, 9, batch.emaPeriod);
        bindOptional(s, 10, i->change24hPct);
        bindOptional(s, 11, i->changeSessionPct);
        if (Status st = step(s, QStringLiteral("Writing indicators")); !st)
            return st.error();
        ++r.indicatorsWritten;
    }
    for (const AlertTrigger &a : derived.alerts) {
        sqlite3_stmt *s = m_alert;
        bindText(s, 1, a.rule);
        bindText(s, 2, ms::wireName(a.tick.source));
        bindText(s, 3, a.tick.symbol);
        bindText(s, 4, a.tick.id);
        bindText(s, 5, ms::wireName(a.tick.asset));
        bindText(s, 6, a.tick.currency);
        sqlite3_bind_double(s, 7, a.tick.price);
        bindTime(s, 8, a.tick.tsMs, t1);
        bindText(s, 9, a.detail);
        if (Status st = step(s, QStringLiteral("Writing an alert")); !st)
            return st.error();
        r.alertsWritten += sqlite3_changes(m_db);
    }
    for (const AlertRuleState &a : derived.alertStates) {
        sqlite3_stmt *s = m_alertState;
        const std::string symbol = a.rule.substr(0, a.rule.find_first_of("<>%"));
        bindText(s, 1, a.rule);
        bindText(s, 2, symbol);
        bindTime(s, 3, a.lastTsMs, t1);
        sqlite3_bind_int(s, 4, a.conditionHeld ? 1 : 0);
        if (Status st = step(s, QStringLiteral("Writing alert state")); !st)
            return st.error();
    }
    if (Status st = writeGaps(derived, r); !st)
        return st.error();
    return r;
}

Status SqliteTickWriter::writeGaps(const DerivedRows &derived, WriteResult &r)
{
    std::string t1, t2, t3;
    for (const FeedGap &g : derived.feedGaps) {
        sqlite3_stmt *s = m_gap;
        bindText(s, 1, ms::wireName(g.source));
        bindText(s, 2, ms::wireName(g.asset));
        bindText(s, 3, g.symbol);
        bindText(s, 4, ms::wireName(g.kind));
        bindText(s, 5, g.stream);
        bindTime(s, 6, g.startMs, t1);
        bindTime(s, 7, g.endMs, t2);
        sqlite3_bind_int64(s, 8, g.missing);
        sqlite3_bind_int64(s, 9, g.thresholdMs);
        bindTime(s, 10, g.detectedAtMs, t3);
        const int rc = sqlite3_step(s);
        Status st = rc == SQLITE_DONE ? Status{} : Status(sqliteError(m_db, rc, QStringLiteral("Writing a feed gap")));
        sqlite3_reset(s);
        if (!st)
            return st;
        r.feedGapsWritten += sqlite3_changes(m_db);
    }
    for (const GapStreamState *g : lastGapStatePerKey(derived.gapStates)) {
        sqlite3_stmt *s = m_gapState;
        bindText(s, 1, ms::wireName(g->source));
        bindText(s, 2, ms::wireName(g->asset));
        bindText(s, 3, g->symbol);
        bindText(s, 4, g->stream);
        sqlite3_bind_int64(s, 5, g->lastTsMs);
        sqlite3_bind_int64(s, 6, g->lastSeq);
        sqlite3_bind_double(s, 7, g->estimate);
        sqlite3_bind_int(s, 8, g->samples);
        const int rc = sqlite3_step(s);
        Status st = rc == SQLITE_DONE ? Status{} : Status(sqliteError(m_db, rc, QStringLiteral("Writing the gap state")));
        sqlite3_reset(s);
        if (!st)
            return st;
    }
    return {};
}

}  // namespace ms::storage_detail
