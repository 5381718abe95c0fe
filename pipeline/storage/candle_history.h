#pragma once
// Reads stored candles for the charts: the latest ones of every symbol at launch, and older pages
// while the user scrolls back. One short-lived connection per call, so it can run on any worker
// thread (a QSqlDatabase connection belongs to the thread that opened it). Read-only: it never
// creates the database or applies migrations (a first launch simply has no history).
// Uses the candles primary key (asset_class, symbol, currency, interval_s, bucket_start), so a page
// is an index range scan however long the history is.
#include "model/candle.h"
#include "model/result.h"
#include "storage/database_url.h"

#include <vector>

namespace ms {

struct CandleKey
{
    AssetClass asset = AssetClass::Crypto;
    std::string symbol;
    std::string currency = "USD";
};

class CandleHistory
{
public:
    explicit CandleHistory(DatabaseUrl url) : m_url(std::move(url)) {}

    // For each stored (asset, symbol, currency) and each interval: its newest `perKey` candles,
    // oldest first within a key. Empty (not an error) when the SQLite file does not exist yet.
    Result<std::vector<Candle>> latest(const std::vector<int> &intervalsSec, int perKey) const;
    // Up to `limit` candles of one key and interval with bucket_start < beforeMs, oldest first.
    Result<std::vector<Candle>> before(const CandleKey &key, int intervalSec, qint64 beforeMs,
                                       int limit) const;

private:
    DatabaseUrl m_url;
};

} // namespace ms
