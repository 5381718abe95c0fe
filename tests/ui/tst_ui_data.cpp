// The GUI's pure data layer: bounded time series, min/max decimation, candle merging, the market
// data store and health history. No widgets, no pipeline.
#include "decimator.h"
#include "health_history.h"
#include "market_data_store.h"
#include "time_series_buffer.h"

#include <QTest>

#include <random>

using namespace ms;
using namespace ms::ui;

namespace {
Tick tick(const char *symbol, double price, qint64 ts, double volume = 1, AssetClass asset = AssetClass::Crypto)
{
    Tick t;
    t.symbol = symbol;
    t.price = price;
    t.tsMs = ts;
    t.volume = volume;
    t.asset = asset;
    return t;
}

Candle candle(const char *symbol, int interval, qint64 bucket, double o, double h, double l, double c, double v)
{
    Candle k;
    k.symbol = symbol;
    k.intervalSec = interval;
    k.bucketStartMs = bucket;
    k.open = o;
    k.high = h;
    k.low = l;
    k.close = c;
    k.volume = v;
    return k;
}
}  // namespace

class TstUiData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bufferKeepsNewestWithinCapacity()
    {
        TimeSeriesBuffer b(5);
        for (int i = 0; i < 12; ++i)
            b.append(i * 10, i);
        QCOMPARE(b.size(), size_t(5));
        QCOMPARE(b.first().t, 70);
        QCOMPARE(b.last().v, 11.0);
        for (size_t i = 0; i + 1 < b.size(); ++i)
            QVERIFY(b.at(i).t < b.at(i + 1).t);
        const auto runs = b.runs();
        QCOMPARE(runs.na + runs.nb, size_t(5));
        QCOMPARE(runs.a[0].t, 70);
    }

    void bufferNeverGoesBackInTime()
    {
        TimeSeriesBuffer b(10);
        b.append(100, 1);
        b.append(90, 2);  // late: stored at the newest time, value kept
        QCOMPARE(b.size(), size_t(2));
        QCOMPARE(b.last().t, 100);
        QCOMPARE(b.last().v, 2.0);
    }

    void bufferBoundsAndResize()
    {
        TimeSeriesBuffer b(100);
        for (int i = 0; i < 100; ++i)
            b.append(i * 2, i);
        QCOMPARE(b.lowerBound(10), size_t(5));
        QCOMPARE(b.lowerBound(11), size_t(6));
        QCOMPARE(b.upperBound(10), size_t(6));
        QCOMPARE(b.lowerBound(-5), size_t(0));
        QCOMPARE(b.upperBound(1000), size_t(100));
        b.setCapacity(10);
        QCOMPARE(b.size(), size_t(10));
        QCOMPARE(b.first().t, 180);
        b.append(500, 1);
        QCOMPARE(b.size(), size_t(10));
        QCOMPARE(b.first().t, 182);
        b.upsertLast(500, 7);
        QCOMPARE(b.last().v, 7.0);
        QCOMPARE(b.size(), size_t(10));
    }

    void decimatorKeepsExtremesPerColumn_data()
    {
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("columns");
        QTest::addColumn<int>("capacity");
        QTest::newRow("fewer points than columns") << 50 << 800 << 1000;
        QTest::newRow("1M points, 800 columns") << 1000000 << 800 << 1000000;
        QTest::newRow("wrapped ring") << 30000 << 300 << 20000;
        QTest::newRow("one column") << 5000 << 1 << 5000;
    }

    void decimatorKeepsExtremesPerColumn()
    {
        QFETCH(int, points);
        QFETCH(int, columns);
        QFETCH(int, capacity);
        TimeSeriesBuffer b{size_t(capacity)};
        std::mt19937 rng(7);
        std::normal_distribution<double> step(0, 1);
        double v = 100;
        for (int i = 0; i < points; ++i) {
            v += step(rng);
            b.append(1'000'000 + i * 3, v);
        }
        const qint64 t0 = b.at(b.size() / 4).t, t1 = b.at(b.size() * 3 / 4).t;
        DecimationStats stats;
        const auto out = Decimator::minMaxAligned(b, t0, t1, Decimator::bucketMs(t1 - t0, columns), &stats);
        // At most columns + 2 buckets (partial ones at both ends), two points each, plus the edges.
        QVERIFY(out.size() <= size_t(2 * (columns + 2) + 2));
        // Time order is kept.
        for (size_t i = 0; i + 1 < out.size(); ++i)
            QVERIFY2(out[i].x() <= out[i + 1].x(), "decimated points out of order");
        // Every visible point's extremes survive: global min and max of the range are in the output.
        double lo = 1e300, hi = -1e300;
        size_t inside = 0;
        for (size_t i = 0; i < b.size(); ++i) {
            if (b.at(i).t < t0 || b.at(i).t > t1)
                continue;
            ++inside;
            lo = std::min(lo, b.at(i).v);
            hi = std::max(hi, b.at(i).v);
        }
        QCOMPARE(stats.inputPoints, inside);
        QCOMPARE(stats.minValue, lo);
        QCOMPARE(stats.maxValue, hi);
        bool sawLo = false, sawHi = false;
        for (const QPointF &p : out) {
            sawLo |= p.y() == lo;
            sawHi |= p.y() == hi;
        }
        QVERIFY(sawLo && sawHi);
        // The line reaches both borders: a point at or before t0 and at or after t1.
        QVERIFY(out.front().x() <= double(t0));
        QVERIFY(out.back().x() >= double(t1));
    }

    void decimatorPerColumnMinMaxExact()
    {
        // 4 columns of 1000 ms each, 4 points per column; each column's extremes are known.
        TimeSeriesBuffer b(100);
        const double values[] = {5, 1, 9, 3, /*col1*/ 2, 2, 2, 2, /*col2*/ 7, 8, 6, 7, /*col3*/ 0, 4, 4, 10};
        for (int i = 0; i < 16; ++i)
            b.append((i / 4) * 1000 + (i % 4) * 10, values[i]);
        const auto out = Decimator::minMaxAligned(b, 0, 3999, 1000);
        QList<double> ys;
        for (const QPointF &p : out)
            ys << p.y();
        QCOMPARE(ys, (QList<double>{1, 9, 2, 8, 6, 0, 10}));
    }

    void decimatorEmptyAndOutsideRanges()
    {
        TimeSeriesBuffer b(10);
        QVERIFY(Decimator::minMaxAligned(b, 0, 100, 10).empty());
        b.append(50, 1);
        b.append(60, 2);
        // Range after all data: only the nearest point before it, so the line can reach the border.
        const auto after = Decimator::minMaxAligned(b, 100, 200, 10);
        QCOMPARE(after.size(), size_t(1));
        QCOMPARE(after.front().y(), 2.0);
        QVERIFY(Decimator::minMaxAligned(b, 200, 100, 10).empty());
    }

    void candlesMergeWhenTooMany()
    {
        std::deque<CandlePoint> all;
        for (int i = 0; i < 10; ++i)
            all.push_back(CandlePoint{i * 60000LL, 10.0 + i, 20.0 + i, 5.0 + i, 11.0 + i, 1.0, true});
        const auto same = Decimator::candles(all, 0, 9 * 60000, 60000, 100);
        QCOMPARE(same.size(), size_t(10));
        const auto merged = Decimator::candles(all, 0, 9 * 60000, 60000, 5);
        QCOMPARE(merged.size(), size_t(5));
        QCOMPARE(merged[0].open, 10.0);
        QCOMPARE(merged[0].close, 12.0);
        QCOMPARE(merged[0].high, 21.0);
        QCOMPARE(merged[0].low, 5.0);
        QCOMPARE(merged[0].volume, 2.0);
        QCOMPARE(merged[4].bucketStartMs, 8 * 60000LL);
        const auto window = Decimator::candles(all, 2 * 60000, 4 * 60000, 60000, 100);
        QCOMPARE(window.size(), size_t(3));
        QCOMPARE(window.front().bucketStartMs, 2 * 60000LL);
        // Groups are aligned to the epoch: sliding the range by one candle keeps the groups and
        // only changes the ends (a partial group at each).
        qint64 groupMs = 0;
        const auto slid = Decimator::candles(all, 60000, 9 * 60000, 60000, 5, &groupMs);
        QCOMPARE(groupMs, 2 * 60000LL);
        QCOMPARE(slid.size(), size_t(5));
        QCOMPARE(slid[0].bucketStartMs, 0LL);  // the partial group {1}
        QCOMPARE(slid[0].open, 11.0);
        QCOMPARE(slid[0].volume, 1.0);
        for (size_t i = 1; i < slid.size(); ++i)
            QCOMPARE(slid[i].bucketStartMs, merged[i].bucketStartMs);
        QCOMPARE(slid[1].close, merged[1].close);
    }

    void storeTracksSymbols()
    {
        MarketDataStore store(1000, 3);
        const std::vector<Tick> ticks{tick("BTC", 100, 1000, 2), tick("BTC", 110, 2000, 3),
                                      tick("AAPL", 50, 1500, 10, AssetClass::Stock)};
        store.addTicks(ticks);
        const auto changed = store.takeChanged();
        QCOMPARE(changed.size(), size_t(2));
        QVERIFY(store.takeChanged().empty());
        QCOMPARE(store.symbols(), (QStringList{QStringLiteral("AAPL"), QStringLiteral("BTC")}));
        const SymbolData *btc = store.find(QStringLiteral("BTC"));
        QVERIFY(btc);
        QCOMPARE(btc->lastPrice, 110.0);
        QCOMPARE(btc->firstPrice, 100.0);
        QCOMPARE(btc->sessionVolume, 5.0);
        QCOMPARE(btc->prices.size(), size_t(2));
        QCOMPARE(btc->lastTsMs, 2000);
        QCOMPARE(store.find(QStringLiteral("AAPL"))->asset, AssetClass::Stock);
        QVERIFY(!store.find(QStringLiteral("NOPE")));
    }

    void storeMemoryStaysBoundedOverALongRun()
    {
        // Ten times the history bound of ticks, candles and indicators: what the store holds stops
        // growing once the bounds are reached.
        MarketDataStore store(1000, 50);
        std::vector<Tick> ticks;
        std::vector<Candle> candles;
        std::vector<IndicatorSnapshot> indicators;
        size_t heldAtBound = 0;
        for (int round = 0; round < 10; ++round) {
            ticks.clear();
            candles.clear();
            indicators.clear();
            for (int i = 0; i < 1000; ++i) {
                const qint64 ts = qint64(round) * 1'000'000 + i * 1000;
                ticks.push_back(tick(i % 2 ? "BTC" : "ETH", 100 + i % 7, ts));
                if (i % 10 == 0) {
                    const char *symbol = (i / 10) % 2 ? "BTC" : "ETH";
                    candles.push_back(candle(symbol, 60, ts / 60000 * 60000, 1, 2, 0.5, 1.5, 3));
                    IndicatorSnapshot s;
                    s.symbol = symbol;
                    s.bucketStartMs = ts;
                    s.sma = 1.0;
                    indicators.push_back(s);
                }
            }
            store.addTicks(ticks);
            store.addCandles(candles);
            store.addIndicators(indicators);
            if (round == 4)  // every bound reached (candles: ~17 new buckets per round, bound 50)
                heldAtBound = store.heldBytes();
        }
        QVERIFY(heldAtBound > 0);
        QCOMPARE(store.heldBytes(), heldAtBound);
        QCOMPARE(store.find(QStringLiteral("BTC"))->prices.size(), size_t(1000));
        QVERIFY(store.find(QStringLiteral("BTC"))->candles.at(60).size() <= 50);
    }

    void storeUpsertsCandlesAndBoundsThem()
    {
        MarketDataStore store(1000, 3);
        std::vector<Candle> c{candle("ETH", 60, 0, 1, 2, 0.5, 1.5, 10), candle("ETH", 60, 60000, 1.5, 3, 1, 2, 5)};
        store.addCandles(c);
        // The forming candle is updated in place, not appended.
        std::vector<Candle> update{candle("ETH", 60, 60000, 1.5, 4, 1, 3.5, 8)};
        store.addCandles(update);
        const auto &list = store.find(QStringLiteral("ETH"))->candles.at(60);
        QCOMPARE(list.size(), size_t(2));
        QCOMPARE(list.back().close, 3.5);
        QCOMPARE(list.back().high, 4.0);
        // A late candle lands in order.
        std::vector<Candle> late{candle("ETH", 60, 180000, 1, 1, 1, 1, 1), candle("ETH", 60, 120000, 2, 2, 2, 2, 2)};
        store.addCandles(late);
        QCOMPARE(list.size(), size_t(3));  // bounded at 3: the oldest went
        QCOMPARE(list[0].bucketStartMs, 60000);
        QCOMPARE(list[1].bucketStartMs, 120000);
        QCOMPARE(list[2].bucketStartMs, 180000);
    }

    void storeKeepsIndicators()
    {
        MarketDataStore store;
        IndicatorSnapshot s;
        s.symbol = "BTC";
        s.intervalSec = 60;
        s.bucketStartMs = 60000;
        s.sma = 10;
        s.change24hPct = 1.5;
        std::vector<IndicatorSnapshot> v{s};
        store.addIndicators(v);
        s.sma = 11;  // same bucket: replaced
        s.change24hPct.reset();
        v = {s};
        store.addIndicators(v);
        const SymbolData *d = store.find(QStringLiteral("BTC"));
        QCOMPARE(d->sma.at(60).size(), size_t(1));
        QCOMPARE(d->sma.at(60).last().v, 11.0);
        QCOMPARE(d->change24hPct.value_or(0), 1.5);  // a missing figure does not erase the last one
        QVERIFY(d->ema.empty());
    }

    void historyTurnsCountersIntoRates()
    {
        HealthHistory h(100, 1000);
        MetricsSnapshot s;
        s.timestampMs = 10'000;
        s.produced = 1000;
        s.consumed = 500;
        s.lagByTopic.insert(QStringLiteral("crypto_topic"), 42);
        QVERIFY(h.add(s, 0));
        QVERIFY(h.producedRate().empty());  // a rate needs two samples
        s.timestampMs = 10'500;
        QVERIFY(!h.add(s, 0));              // within the sampling interval
        s.timestampMs = 12'000;
        s.produced = 5000;
        s.consumed = 2500;
        s.stored = 2000;
        s.recentP99Ms = 35;
        QVERIFY(h.add(s, 0));
        QCOMPARE(h.producedRate().last().v, 2000.0);
        QCOMPARE(h.consumedRate().last().v, 1000.0);
        QCOMPARE(h.storedRate().last().v, 1000.0);
        QCOMPARE(h.latencyP99().last().v, 35.0);
        QCOMPARE(h.lagByTopic().at(QStringLiteral("crypto_topic")).size(), size_t(2));
        // A new run restarts counters: no negative rate.
        s.timestampMs = 13'000;
        s.produced = 100;
        QVERIFY(h.add(s, 0));
        QVERIFY(h.producedRate().last().v >= 0);
    }
};

QTEST_GUILESS_MAIN(TstUiData)
#include "tst_ui_data.moc"
