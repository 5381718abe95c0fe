#pragma once
// Indicator values for one symbol at one candle interval, as the processing stage publishes them.
#include "model/tick.h"

#include <optional>
#include <string>

namespace ms {

struct IndicatorSnapshot
{
    std::string symbol;
    std::string currency = "USD";
    AssetClass asset = AssetClass::Crypto;
    qint32 intervalSec = 60;
    qint64 bucketStartMs = 0;            // the candle the values were computed at
    std::optional<double> sma;           // simple moving average of closes over smaPeriod candles
    std::optional<double> ema;           // exponential moving average of closes over emaPeriod candles
    std::optional<double> change24hPct;  // last price vs. the price 24 h (event time) earlier
    std::optional<double> changeSessionPct;  // last price vs. the first price seen this session
};

}  // namespace ms
