#pragma once
// Internal to storage/: the PostgreSQL write path of TickStore (COPY fast path, staging replay path,
// multi-row upserts for candles and offsets), all in one transaction run through libpq.
#include "storage/native_handles.h"
#include "storage/pg_async.h"
#include "storage/pg_params.h"
#include "storage/tick_store.h"

namespace ms::storage_detail {

struct PgWriterState
{
    bool preferReplay = false;  // the last batch had duplicates: start on the replay path
    bool forceReplay = false;   // benchmarks/tests: always take the replay path
    bool binaryCopy = true;     // COPY in binary format (no text parsing on the server); text for comparison
    PgLimits limits;            // deadline and stop flag of every call; `abandoned`: drop the connection
};

// Once per connection: quiet notices, create the temp staging tables.
Status pgPrepareSession(PGconn *conn);
Result<WriteResult> pgWrite(PGconn *conn, PgWriterState &state, const WriteBatch &batch);
// Inserts the ticks in a transaction that is rolled back; returns what the server said about them.
Status pgProbeTicks(PGconn *conn, PgWriterState &state, std::span<const Tick> ticks);

// Multi-row upserts for the small parts of a batch (pg_upserts.cpp), queued on a pipeline that
// the caller runs; each adds the rows written to *rowsOut when it runs.
void pgQueueCandles(PgPipeline &pipeline, std::span<const Candle> candles, qint64 *rowsOut);
void pgQueueOffsets(PgPipeline &pipeline, std::span<const OffsetRecord> offsets, qint64 *rowsOut);
void pgQueueLateTicks(PgPipeline &pipeline, std::span<const LateTickRecord> late, qint64 *rowsOut);
void pgQueueAlerts(PgPipeline &pipeline, std::span<const AlertTrigger> alerts, qint64 *rowsOut);
void pgQueueAlertStates(PgPipeline &pipeline, std::span<const AlertRuleState> states);
void pgQueueIndicators(PgPipeline &pipeline, std::span<const IndicatorSnapshot> indicators, qint32 smaPeriod,
                       qint32 emaPeriod, qint64 *rowsOut);
// Migration 051: feed gaps (ON CONFLICT DO NOTHING) and the gap detector's state (upserted).
void pgQueueFeedGaps(PgPipeline &pipeline, std::span<const FeedGap> gaps, qint64 *rowsOut);
void pgQueueGapStates(PgPipeline &pipeline, std::span<const GapStreamState> states);

// Shared with the SQLite writer: rows deduplicated by key, the last one winning (an upsert may not
// touch one row twice in a statement).
std::vector<const Candle *> lastCandlePerKey(std::span<const Candle> candles);
std::vector<const OffsetRecord *> lastOffsetPerKey(std::span<const OffsetRecord> offsets);
std::vector<const IndicatorSnapshot *> lastIndicatorPerKey(std::span<const IndicatorSnapshot> indicators);
std::vector<const GapStreamState *> lastGapStatePerKey(std::span<const GapStreamState> states);

}  // namespace ms::storage_detail
