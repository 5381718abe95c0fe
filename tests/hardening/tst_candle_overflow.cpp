// The candle builder guards its sums: a tick whose merge would make volume, sum(price*volume) or
// sum(price) non-finite is refused and changes nothing (regression: two volumes of 1e308 in one
// bucket gave volume = inf and VWAP = NaN).
#include "processing/candle_builder.h"

#include <QTest>
#include <cmath>

using namespace ms;

namespace {
Tick tick(const char *id, double price, double volume, qint64 ts)
{
    Tick t;
    t.asset = AssetClass::Crypto;
    t.source = SourceKind::Simulator;
    t.kind = TickKind::Trade;
    t.symbol = "BTC";
    t.currency = "USD";
    t.id = id;
    t.price = price;
    t.volume = volume;
    t.tsMs = ts;
    return t;
}

bool allFinite(const Candle &c)
{
    for (double v : {c.open, c.high, c.low, c.close, c.volume, c.vwap})
        if (!std::isfinite(v))
            return false;
    return true;
}
} // namespace

class TestCandleOverflow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void overflowingTickIsRefusedAndChangesNothing_data()
    {
        QTest::addColumn<double>("firstPrice");
        QTest::addColumn<double>("firstVolume");
        QTest::addColumn<double>("price");
        QTest::addColumn<double>("volume");
        QTest::newRow("volume sum") << 10.0 << 1e308 << 10.0 << 1e308;
        QTest::newRow("price*volume alone") << 10.0 << 1.0 << 1e300 << 1e300;
        QTest::newRow("price*volume sum") << 1e300 << 1e8 << 1e300 << 1e8;
        QTest::newRow("price sum") << 1.7e308 << 0.0 << 1.7e308 << 0.0;
    }
    void overflowingTickIsRefusedAndChangesNothing()
    {
        QFETCH(double, firstPrice);
        QFETCH(double, firstVolume);
        QFETCH(double, price);
        QFETCH(double, volume);
        CandleConfig cfg;
        cfg.intervalsSec = {1, 60};
        CandleBuilder b(cfg);
        const qint64 t0 = 1700000000000LL;
        const AddOutcome first = b.add(tick("a", firstPrice, firstVolume, t0));
        const bool firstFits = std::isfinite(firstPrice * firstVolume);
        QCOMPARE(first.nonFiniteSum, !firstFits);
        std::vector<Candle> before;
        b.takeUpdates(before);

        const AddOutcome second = b.add(tick("b", price, volume, t0 + 100));
        QVERIFY(second.nonFiniteSum);
        QCOMPARE(b.nonFiniteTicks(), firstFits ? 1 : 2);
        std::vector<Candle> after;
        b.takeUpdates(after);
        QVERIFY2(after.empty(), "a refused tick must not mark any candle changed");

        // The candles go on with the next good tick, finite, and without the refused one.
        QVERIFY(!b.add(tick("c", 11.0, 2.0, t0 + 200)).nonFiniteSum);
        std::vector<Candle> next;
        b.takeUpdates(next);
        QCOMPARE(next.size(), size_t(2));
        for (const Candle &c : next) {
            QVERIFY(allFinite(c));
            QCOMPARE(c.trades, firstFits ? 2 : 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestCandleOverflow)
#include "tst_candle_overflow.moc"
