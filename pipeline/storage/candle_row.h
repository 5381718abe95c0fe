#pragma once
// One candle row as both read paths select it (QSqlQuery in candle_history.cpp, ReadRows in
// tick_store_reads.cpp): asset_class, symbol, currency, interval_s, bucket_start, open, high, low,
// close, volume, vwap, trades, first_ts, last_ts, is_final.
#include "model/candle.h"
#include "storage/sql_time.h"

#include <QVariant>

namespace ms::storage_detail {

template <class Row> Candle candleFromRow(const Row &q)
{
    Candle c;
    c.asset = assetClassFromString(q.value(0).toString().toStdString()).value_or(AssetClass::Crypto);
    c.symbol = q.value(1).toString().toStdString();
    c.currency = q.value(2).toString().toStdString();
    c.intervalSec = q.value(3).toInt();
    c.bucketStartMs = timeValue(q.value(4));
    c.open = q.value(5).toDouble();
    c.high = q.value(6).toDouble();
    c.low = q.value(7).toDouble();
    c.close = q.value(8).toDouble();
    c.volume = q.value(9).toDouble();
    c.vwap = q.value(10).toDouble();
    c.trades = q.value(11).toLongLong();
    c.firstTsMs = timeValue(q.value(12));
    c.lastTsMs = timeValue(q.value(13));
    c.final = q.value(14).toBool();
    return c;
}

}  // namespace ms::storage_detail
