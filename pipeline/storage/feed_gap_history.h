#pragma once
// Reads stored feed gaps (migration 051) for the charts: those of one symbol overlapping a time
// range. Like CandleHistory: one short-lived connection per call (any worker thread), read-only,
// never creates the database; a SQLite file that does not exist yet has no gaps. Uses the
// (symbol, gap_end) index.
#include "model/feed_gap.h"
#include "model/result.h"
#include "storage/database_url.h"

#include <vector>

namespace ms {

class FeedGapHistory
{
public:
    explicit FeedGapHistory(DatabaseUrl url) : m_url(std::move(url)) {}

    // Gaps of (asset, symbol) with gap_end >= fromMs and gap_start < toMs, oldest first, at most
    // `limit` (the newest ones when there are more).
    Result<std::vector<FeedGap>> overlapping(AssetClass asset, const std::string &symbol,
                                             qint64 fromMs, qint64 toMs, int limit = 1000) const;

private:
    DatabaseUrl m_url;
};

} // namespace ms
