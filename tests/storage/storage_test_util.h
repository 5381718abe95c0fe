#pragma once
// Helpers shared by the storage tests: deterministic ticks/candles and row counting on a separate
// connection (so the test checks what another reader sees, not what TickStore believes).
#include "model/candle.h"
#include "model/tick.h"
#include "storage/database.h"

#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <string>
#include <vector>

namespace ms::test {

inline Tick makeTick(int i, AssetClass asset = AssetClass::Crypto, const std::string &symbol = {})
{
    Tick t;
    t.asset = asset;
    t.source = SourceKind::Simulator;
    t.kind = asset == AssetClass::Stock && i % 3 == 0 ? TickKind::Quote : TickKind::Trade;
    t.symbol = symbol.empty() ? (asset == AssetClass::Crypto ? (i % 2 ? "BTC" : "ETH") : (i % 2 ? "AAPL" : "MSFT")) : symbol;
    t.currency = "USD";
    t.price = 100.0 + i * 0.25;
    t.volume = (i % 7) * 0.5;
    t.tsMs = 1700000000000LL + i * 10;
    t.id = "sim-" + std::to_string(i);
    if (t.kind == TickKind::Quote) {
        t.open = t.price - 1;
        t.high = t.price + 2;
        t.low = t.price - 2;
        t.previousClose = t.price - 0.5;
    }
    return t;
}

// Ticks [from, to), alternating crypto and stock.
inline std::vector<Tick> makeTicks(int from, int to)
{
    std::vector<Tick> out;
    for (int i = from; i < to; ++i)
        out.push_back(makeTick(i, i % 2 ? AssetClass::Stock : AssetClass::Crypto));
    return out;
}

inline Candle makeCandle(const std::string &symbol, qint64 bucketMs, double close, bool final = false)
{
    Candle c;
    c.symbol = symbol;
    c.asset = AssetClass::Crypto;
    c.intervalSec = 60;
    c.bucketStartMs = bucketMs;
    c.open = 100;
    c.high = std::max(110.0, close);
    c.low = std::min(90.0, close);
    c.close = close;
    c.volume = 12.5;
    c.vwap = 101.25;
    c.trades = 42;
    c.firstTsMs = bucketMs + 5;
    c.lastTsMs = bucketMs + 59999;
    c.final = final;
    return c;
}

// Runs a scalar query on a fresh connection. Returns -1 on error.
inline qint64 scalar(const DatabaseUrl &url, const QString &sql)
{
    const QString name = QStringLiteral("probe-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    qint64 value = -1;
    {
        auto db = openDatabase(url, name);
        if (!db)
            return -1;
        QSqlQuery q(*db);
        if (q.exec(sql) && q.next())
            value = q.value(0).toLongLong();
    }
    closeDatabase(name);
    return value;
}

inline qint64 tickRows(const DatabaseUrl &url)
{
    return scalar(url, QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)"));
}

}  // namespace ms::test
