#pragma once
// TickStore: the consumer's sink. One instance per consumer thread; it owns its own named connection
// and must be used only from the thread that opened it.
//
// write() stores ticks, candles and consumer offsets in ONE transaction: either all of it commits or
// none does (exactly-once when the caller resumes from loadOffsets()).
//   ticks    → crypto_data / stock_data by tick.asset, idempotent on (source, symbol, trade_id):
//              replayed ticks are skipped and counted as duplicates, never doubled;
//   candles  → upserted (full row replace on the primary key; the last one wins within a batch);
//   offsets  → upserted on (consumer_group, cluster_id, topic, partition);
//   lateTicks, indicators → late_ticks / candle_indicators (see WriteBatch).
// PostgreSQL: COPY FROM STDIN (binary format) through libpq on QPSQL's own connection, straight into the table inside
// a SAVEPOINT; on a unique violation (a replay) it rolls back to the savepoint and takes the replay
// path: COPY into a temp staging table, then INSERT … SELECT … ON CONFLICT DO NOTHING. After a batch
// with duplicates the next batch starts on the replay path directly, until a batch has none.
// SQLite: one BEGIN IMMEDIATE transaction per batch with cached prepared statements.
//
// Failures: Error::code is "db_unreachable" or "db_busy" (retry the SAME batch later; isRetryable()),
// or "db_rejected" (e.g. a CHECK violation: retrying the same rows fails the same way). A lost
// connection (server restarted) is reopened on the next call; write() itself reconnects once and
// retries, which is safe because every part of the batch is idempotent (if the lost COMMIT had in
// fact succeeded, the retry reports those ticks as duplicates).
#include "alerts/alert_evaluator.h"
#include "model/candle.h"
#include "model/feed_gap.h"
#include "model/indicators.h"
#include "model/result.h"
#include "model/tick.h"
#include "storage/database_url.h"

#include <QString>
#include <QVariant>
#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ms {

namespace storage_detail {
class ReadRows;
}

// A consumer position: the next Kafka offset to read for (group, cluster, topic, partition).
struct OffsetRecord
{
    std::string consumerGroup;
    std::string clusterId;  // rd_kafka_clusterid(): a fresh embedded broker is another cluster
    std::string topic;
    qint32 partition = 0;
    qint64 nextOffset = 0;

    bool operator==(const OffsetRecord &) const = default;
};

// A tick the candle builder dropped as too late for one interval (table late_ticks, migration 011).
// The tick itself still goes into its tick table through WriteBatch::ticks.
struct LateTickRecord
{
    Tick tick;
    qint32 intervalSec = 60;  // the candle interval it was kept out of
    qint64 watermarkMs = 0;   // the watermark the decision was made against
};

// Rows computed from the ticks the database actually inserted (see WriteBatch::deriveFromInserted).
struct DerivedRows
{
    std::vector<Candle> candles;
    std::vector<IndicatorSnapshot> indicators;
    std::vector<LateTickRecord> lateTicks;
    // Price alerts (migration 050): triggers (ON CONFLICT DO NOTHING, so a replayed one is a no-op)
    // and the rules' hysteresis state after this batch (upserted).
    std::vector<AlertTrigger> alerts;
    std::vector<AlertRuleState> alertStates;
    // Feed gaps found in the inserted ticks (feed_gaps, ON CONFLICT DO NOTHING) and the detector's
    // state after them (feed_gap_state, upserted), migration 051.
    std::vector<FeedGap> feedGaps;
    std::vector<GapStreamState> gapStates;
};
// inserted[i] != 0 when WriteBatch::ticks[i] is a new row (neither stored before nor an earlier copy
// in the same batch).
using DeriveFromInserted = std::function<Status(std::span<const quint8> inserted, DerivedRows &out)>;

struct WriteBatch
{
    std::span<const Tick> ticks;
    std::span<const Candle> candles;
    std::span<const OffsetRecord> offsets;
    // Additive, same transaction: late_ticks rows (ON CONFLICT DO NOTHING) and candle_indicators rows
    // (upserted on the candle key, the last one winning; periods record the configuration).
    std::span<const LateTickRecord> lateTicks = {};
    std::span<const IndicatorSnapshot> indicators = {};
    qint32 smaPeriod = 20;
    qint32 emaPeriod = 20;
    // Optional, same transaction: called once the ticks are in, with which of them were new; the rows
    // it fills are written after the batch's own candles/indicators/late ticks (last one wins). This
    // is how candles count each stored tick once whatever Kafka delivers. write() may call it more
    // than once (a reconnect retries the batch); an error it returns rolls the batch back.
    DeriveFromInserted deriveFromInserted = {};
};

// How much candle history CandleBuilder::restore() wants for one interval.
struct CandleLookback
{
    qint32 intervalSec = 60;
    qint64 lookbackMs = 0;  // CandleBuilder::restoreLookbackMs(i)
};

struct WriteResult
{
    qint64 ticksInserted = 0;   // new rows in crypto_data + stock_data
    qint64 ticksDuplicate = 0;  // ticks already stored (replay) or repeated within the batch
    qint64 candlesWritten = 0;  // candle rows inserted or replaced
    qint64 offsetsWritten = 0;
    qint64 lateTicksWritten = 0;   // new late_ticks rows (a replayed one is not counted)
    qint64 indicatorsWritten = 0;
    qint64 alertsWritten = 0;      // new alerts rows (a replayed trigger is not counted)
    qint64 feedGapsWritten = 0;  // new feed_gaps rows (a replayed one is not counted)
    bool replayPath = false;    // PostgreSQL: the batch went through the staging (ON CONFLICT) path
    bool reconnected = false;   // the connection was reopened during this call
};

// True when the database refused a write because of the data itself (PostgreSQL SQLSTATE class 22
// or 23; SQLite CONSTRAINT, MISMATCH, TOOBIG, RANGE): retrying fails the same way, but the rows it
// refuses can be isolated. Connection, permission, missing table or disk errors are not data.
bool concernsData(const Error &error);

class TickStore
{
public:
    // Opens the connection (named `connectionName`, which must be unique in the process) and applies
    // the migrations.
    static Result<std::unique_ptr<TickStore>> open(const DatabaseUrl &url, const QString &connectionName);
    ~TickStore();  // closes and unregisters the connection
    TickStore(const TickStore &) = delete;
    TickStore &operator=(const TickStore &) = delete;

    Result<WriteResult> write(const WriteBatch &batch);
    // Inserts `ticks` in a transaction that is always rolled back: the error the database gives for
    // them, if any (used to find the rows it refuses by bisecting a batch).
    Status probeTicks(std::span<const Tick> ticks);

    // Stored positions of a consumer group on one Kafka cluster (empty when none).
    Result<std::vector<OffsetRecord>> loadOffsets(const std::string &consumerGroup, const std::string &clusterId);
    // Candles that are not final, with bucket_start >= sinceMs, ordered by bucket_start.
    Result<std::vector<Candle>> loadOpenCandles(qint64 sinceMs);
    // All candles (final or not) with bucket_start >= sinceMs, ordered by (asset, symbol, currency,
    // interval, bucket_start): enough history for the processing stage to rebuild watermark and
    // indicators after a restart.
    Result<std::vector<Candle>> loadCandles(qint64 sinceMs);
    // For CandleBuilder::restore(): for each given interval and each (asset, symbol, currency), every
    // candle (final or not) with bucket_start >= that key's newest bucket_start - lookbackMs.
    Result<std::vector<Candle>> loadCandlesForRestore(std::span<const CandleLookback> lookbacks);
    // Stored ticks of one symbol with fromMs <= ts < toMs, ordered by (ts, trade_id).
    Result<std::vector<Tick>> loadTicks(AssetClass asset, const std::string &symbol, qint64 fromMs, qint64 toMs);
    // Price alerts: the stored hysteresis state of these rules (alert_state; absent = never
    // evaluated), and the stored ticks of `symbol` (both tick tables) with fromMs < ts <= toMs,
    // in event-time order, to rebuild a move rule's window.
    Result<std::vector<AlertRuleState>> loadAlertStates(const std::vector<std::string> &rules);
    Result<std::vector<Tick>> loadAlertWindow(const std::string &symbol, qint64 fromMs, qint64 toMs);
    // The gap detector's stored state (feed_gap_state), every stream.
    Result<std::vector<GapStreamState>> loadGapStates();
    // A cheap round trip (SELECT 1), reconnecting first when the connection was lost.
    Status ping();

    // PostgreSQL: every libpq call of the writes (BEGIN, COPY, the upserts, COMMIT) and of the
    // reads (offsets, candles, ticks) gives up after `timeoutMs` without an answer, or at once when
    // *stop is set (checked every ~50 ms); the write then fails as retryable ("db_unreachable") and
    // the connection is dropped (reopened by the next call). `stop` must outlive the store; null =
    // no stop flag.
    void setWriteLimits(int timeoutMs, const std::atomic_bool *stop);

    // Benchmarks/tests: PostgreSQL always takes the staging (replay) path.
    void setAlwaysReplayPath(bool on);
    // Benchmarks/tests: PostgreSQL COPY in text format instead of binary (the default).
    void setTextCopy(bool on);

    const DatabaseUrl &url() const { return m_url; }
    QString connectionName() const { return m_name; }
    bool isPostgres() const { return m_url.isPostgres(); }

private:
    TickStore(DatabaseUrl url, QString connectionName);
    Status connect();     // open + migrate + per-connection setup
    void disconnect();
    Status ensureConnected(bool *reconnected = nullptr);
    bool connectionLost() const;
    Result<WriteResult> writeOnce(const WriteBatch &batch);
    Status checkSqliteFile() const;
    // One read query ('?' placeholders) into `rows`: on PostgreSQL through libpq under the write
    // limits (deadline, stop flag; the connection is dropped when a call gave up), see read_rows.h.
    Status runRead(const QString &sql, const QList<QVariant> &params, const QString &what,
                   storage_detail::ReadRows &rows);

    struct Impl;
    DatabaseUrl m_url;
    QString m_name;
    std::unique_ptr<Impl> d;
};

}  // namespace ms
