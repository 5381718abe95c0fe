#pragma once
// Internal to storage/: the PostgreSQL write path of TickStore (COPY fast path, staging replay path,
// multi-row upserts for candles and offsets), all in one transaction run through libpq.
#include "storage/native_handles.h"
#include "storage/tick_store.h"

namespace ms::storage_detail {

struct PgWriterState
{
    bool preferReplay = false;  // the last batch had duplicates: start on the replay path
    bool forceReplay = false;   // benchmarks/tests: always take the replay path
};

// Once per connection: quiet notices, create the temp staging tables.
Status pgPrepareSession(PGconn *conn);
Result<WriteResult> pgWrite(PGconn *conn, PgWriterState &state, const WriteBatch &batch);

// Shared with the SQLite writer: candles and offsets deduplicated by key, the last one winning.
std::vector<const Candle *> lastCandlePerKey(std::span<const Candle> candles);
std::vector<const OffsetRecord *> lastOffsetPerKey(std::span<const OffsetRecord> offsets);

}  // namespace ms::storage_detail
