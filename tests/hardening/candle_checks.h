#pragma once
// The check behind the hardening tests' candles: every stored tick is counted exactly once, in
// every interval (trades and volume sums), the candles equal a reference builder fed each stored
// tick once (both backends), and on PostgreSQL the SQL recomputation agrees too.
#include "candle_recompute.h"
#include "processing/candle_builder.h"
#include "storage/database.h"
#include "storage/tick_store.h"
#include "storage_test_util.h"

#include <QTest>
#include <cmath>
#include <limits>
#include <map>

namespace ms::test {

// Candles count every stored tick exactly once, in every interval, with finite values.
inline void checkCandlesCountStoredTicksOnce(const DatabaseUrl &url)
{
    const qint64 ticks = tickRows(url);
    for (int interval : {1, 60}) {
        const qint64 trades = scalar(
            url,
            QStringLiteral("SELECT coalesce(sum(trades), 0) FROM candles WHERE interval_s = %1")
                .arg(interval));
        QCOMPARE(trades, ticks);
        // Volumes: in thousandths, to compare exactly.
        QCOMPARE(
            scalar(url, QStringLiteral("SELECT CAST(round(sum(volume) * 1000) AS BIGINT) FROM "
                                       "candles WHERE interval_s = %1")
                            .arg(interval)),
            scalar(url, QStringLiteral(
                            "SELECT CAST(round(sum(volume) * 1000) AS BIGINT) FROM crypto_data")));
    }
    // Both backends: the stored candles equal a reference builder fed each stored tick once.
    {
        auto store = TickStore::open(url, QStringLiteral("verify"));
        QVERIFY2(store.ok(), qPrintable(store.errorMessage()));
        auto stored = store.value()->loadTicks(AssetClass::Crypto, "BTC", 0,
                                               std::numeric_limits<qint64>::max());
        QVERIFY2(stored.ok(), qPrintable(stored.errorMessage()));
        CandleConfig cfg;
        cfg.intervalsSec = {1, 60};
        CandleBuilder reference(cfg);
        for (const Tick &t : stored.value())
            reference.add(t);
        std::vector<Candle> updates;
        reference.takeUpdates(updates);
        std::map<std::pair<qint32, qint64>, Candle> expected;
        for (const Candle &c : updates)
            expected[{c.intervalSec, c.bucketStartMs}] = c;
        auto candles = store.value()->loadCandles(0);
        QVERIFY2(candles.ok(), qPrintable(candles.errorMessage()));
        QCOMPARE(candles.value().size(), expected.size());
        for (const Candle &c : candles.value()) {
            const auto it = expected.find({c.intervalSec, c.bucketStartMs});
            QVERIFY2(it != expected.end(), "a candle the reference does not have");
            const Candle &e = it->second;
            QCOMPARE(c.trades, e.trades);
            QVERIFY2(std::abs(c.volume - e.volume) <= 1e-9 * std::max(1.0, std::abs(e.volume)),
                     "volume");
            QVERIFY2(std::abs(c.vwap - e.vwap) <= 1e-9 * std::max(1.0, std::abs(e.vwap)), "vwap");
            QCOMPARE(c.open, e.open);
            QCOMPARE(c.close, e.close);
            QCOMPARE(c.high, e.high);
            QCOMPARE(c.low, e.low);
        }
    }
    closeDatabase(QStringLiteral("verify"));
    if (url.isPostgres()) {
        auto db = openDatabase(url, QStringLiteral("recompute"));
        QVERIFY(db.ok());
        const QStringList diff = candleMismatches(db.value());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }
    closeDatabase(QStringLiteral("recompute"));
}

} // namespace ms::test
