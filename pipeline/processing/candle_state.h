#pragma once
// Private state of CandleBuilder, shared by its .cpp files only (not part of the public API).
#include "processing/candle_builder.h"
#include "processing/indicators.h"

#include <limits>

namespace ms {

inline constexpr qint64 kNoTime = std::numeric_limits<qint64>::min();

struct CandleBuilder::Bucket
{
    qint64 start = 0;
    double open = 0, high = 0, low = 0, close = 0;
    double volume = 0;
    double sumPV = 0;     // sum(price * volume)
    double sumPrice = 0;  // sum(price), for the zero-volume VWAP rule
    qint64 trades = 0;
    qint64 firstTs = 0, lastTs = 0;
    bool dirty = false;
};

struct CandleBuilder::SymbolState
{
    SymbolState(AssetClass a, std::string_view sym, std::string_view cur, size_t intervals,
                int smaPeriod, int emaPeriod)
        : asset(a), symbol(sym), currency(cur)
    {
        open.resize(intervals);
        for (auto &v : open)
            v.reserve(16);
        closes.reserve(intervals);
        for (size_t i = 0; i < intervals; ++i)
            closes.emplace_back(smaPeriod, emaPeriod);
        indicatorBucket.assign(intervals, kNoTime);
        closedThrough.assign(intervals, kNoTime);
    }

    AssetClass asset;
    std::string symbol, currency;
    qint64 maxTs = kNoTime;
    std::vector<std::vector<Bucket>> open;  // per interval, ascending by start
    std::vector<CloseHistory> closes;       // per interval, final closes
    std::vector<qint64> indicatorBucket;    // per interval: final bucket not yet snapshotted, or kNoTime
    std::vector<qint64> closedThrough;      // per interval: end of the newest bucket restored final in
                                            // ReplayFromStart mode (kNoTime otherwise)
    PriceHistory prices;
    bool anyDirty = false;
};

}  // namespace ms
