// Indicators: SMA, windowed EMA and change % against values computed by hand.
#include "processing/candle_builder.h"
#include "processing/indicators.h"

#include <QTest>

using namespace ms;

class TestIndicators : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void smaAndEmaByHand();
    void emaWindowIsFourPeriods();
    void change24hByHand();
    void change24hUsesEarlierMinuteWithinAnHour();
    void sessionChangeIgnoresArrivalOrder();
    void builderPublishesSnapshotsOfFinalCandles();
};

void TestIndicators::smaAndEmaByHand()
{
    CloseHistory h(3, 3);
    h.push(10);
    h.push(11);
    QVERIFY(!h.sma());  // fewer closes than the period
    QVERIFY(!h.ema());
    h.push(12);
    QCOMPARE(*h.sma(), 11.0);
    // alpha = 2/(3+1) = 0.5: (12 + 0.5*11 + 0.25*10) / (1 + 0.5 + 0.25) = 20 / 1.75
    QCOMPARE(*h.ema(), 20.0 / 1.75);
    h.push(13);
    QCOMPARE(*h.sma(), 12.0);
    // (13 + 6 + 2.75 + 1.25) / 1.875 = 23 / 1.875
    QCOMPARE(*h.ema(), 23.0 / 1.875);
}

void TestIndicators::emaWindowIsFourPeriods()
{
    CloseHistory h(3, 3);
    for (int v = 1; v <= 20; ++v)
        h.push(v);
    QCOMPARE(h.capacity(), 12);
    QCOMPARE(*h.sma(), 19.0);
    // Closes 20..9 with weights 0.5^0..0.5^11: 37.99658203125 / 1.99951171875
    QCOMPARE(*h.ema(), 37.99658203125 / 1.99951171875);
}

void TestIndicators::change24hByHand()
{
    PriceHistory p;
    const qint64 t0 = 1700000040000LL;
    p.record(t0, 100, true);
    p.record(t0 + 20000, 102, true);  // same minute, later: this minute's price is 102
    QVERIFY(!p.change24hPct());       // less than 24 h of history
    p.record(t0 + 86400000 + 30000, 112.2, true);
    QCOMPARE(*p.change24hPct(), 10.0);  // 112.2 vs 102
    QCOMPARE(*p.changeSessionPct(), 12.2);  // 112.2 vs 100 (earliest event time)
    QCOMPARE(*p.lastPrice(), 112.2);
}

void TestIndicators::change24hUsesEarlierMinuteWithinAnHour()
{
    PriceHistory p;
    const qint64 t0 = 1700000040000LL;
    p.record(t0 - 7200000, 50, true);   // 2 h before the 24 h mark: too old to be used
    p.record(t0 - 1800000, 80, true);   // 30 min before: the newest price at or before the mark
    p.record(t0 + 86400000, 100, true);
    QCOMPARE(*p.change24hPct(), 25.0);
    PriceHistory q;
    q.record(t0 - 7200000, 50, true);
    q.record(t0 + 86400000, 100, true);
    QVERIFY(!q.change24hPct());  // nothing within the hour before the mark
}

void TestIndicators::sessionChangeIgnoresArrivalOrder()
{
    PriceHistory p;
    p.record(2000, 110, true);
    p.record(1000, 100, true);   // earlier event time, later arrival: the session's first price
    p.record(1500, 120, false);  // restored data never sets the session
    QCOMPARE(*p.changeSessionPct(), 10.0);
    QCOMPARE(*p.lastPrice(), 110.0);
}

void TestIndicators::builderPublishesSnapshotsOfFinalCandles()
{
    CandleConfig config;
    config.intervalsSec = {60};
    config.allowedLatenessMs = 0;
    config.smaPeriod = 2;
    config.emaPeriod = 2;
    CandleBuilder b(config);
    const qint64 t0 = 1700000040000LL;
    auto tick = [&](double price, qint64 ts) {
        Tick t;
        t.symbol = "BTC";
        t.price = price;
        t.volume = 1;
        t.tsMs = ts;
        b.add(t);
    };
    std::vector<IndicatorSnapshot> snaps;
    tick(10, t0);
    tick(12, t0 + 30000);           // minute 0 closes at 12
    tick(20, t0 + 60000);           // minute 0 final
    b.takeIndicators(snaps);
    QCOMPARE(snaps.size(), size_t(1));
    QCOMPARE(snaps[0].bucketStartMs, t0);
    QVERIFY(!snaps[0].sma);          // one final close, period 2
    QCOMPARE(*snaps[0].changeSessionPct, 100.0);  // last 20 vs first 10
    snaps.clear();
    tick(30, t0 + 120000);          // minute 1 final (close 20)
    tick(15, t0 + 180000);          // minute 2 final (close 30)
    b.takeIndicators(snaps);
    QCOMPARE(snaps.size(), size_t(1));  // one snapshot per (symbol, interval) per call
    QCOMPARE(snaps[0].bucketStartMs, t0 + 120000);
    QCOMPARE(*snaps[0].sma, 25.0);  // (20 + 30) / 2
    // alpha = 2/3, decay 1/3, three closes 30, 20, 12: (30 + 20/3 + 12/9) / (1 + 1/3 + 1/9)
    QCOMPARE(*snaps[0].ema, (30.0 + 20.0 / 3 + 12.0 / 9) / (1 + 1.0 / 3 + 1.0 / 9));
    QCOMPARE(*snaps[0].changeSessionPct, 50.0);  // last 15 vs 10
    QVERIFY(!snaps[0].change24hPct);
    snaps.clear();
    b.takeIndicators(snaps);
    QVERIFY(snaps.empty());
}

QTEST_GUILESS_MAIN(TestIndicators)
#include "tst_indicators.moc"
