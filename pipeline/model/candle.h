#pragma once
// An event-time OHLCV candle with VWAP for one (symbol, currency, interval, bucket).
#include "model/tick.h"

#include <string>

namespace ms {

struct Candle
{
    std::string symbol;
    std::string currency = "USD";
    AssetClass asset = AssetClass::Crypto;
    qint32 intervalSec = 60;
    qint64 bucketStartMs = 0;  // aligned to intervalSec from the Unix epoch (UTC)
    double open = 0, high = 0, low = 0, close = 0;
    double volume = 0;         // sum of tick volumes
    double vwap = 0;           // sum(price*volume)/sum(volume); see processing/candle_builder.h when volume is 0
    qint64 trades = 0;         // ticks merged into this candle
    qint64 firstTsMs = 0, lastTsMs = 0;
    bool final = false;        // the watermark has passed the bucket's end

    bool operator==(const Candle &) const = default;
};

}  // namespace ms
