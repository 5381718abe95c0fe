// The chart panel on its own (no pipeline): a store with a long history, the panel following it
// frame by frame, mode and range switches. What reaches the series is bounded by the plot width.
#include "candle_series_sync.h"
#include "chart_panel.h"
#include "market_data_store.h"

#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QApplication>
#include <QTest>

#include <random>

using namespace ms;
using namespace ms::ui;

class TstUiCharts : public QObject
{
    Q_OBJECT

    void feed(MarketDataStore &store, int ticks)
    {
        std::vector<Tick> batch;
        std::vector<Candle> candles;
        for (int i = 0; i < ticks; ++i, m_t += 250) {
            m_price += m_step(m_rng);
            Tick k;
            k.symbol = "BTC";
            k.price = m_price;
            k.volume = 1;
            k.tsMs = m_t;
            batch.push_back(k);
            Candle &c = m_forming;
            if (c.bucketStartMs != m_t / 60000 * 60000) {
                if (c.bucketStartMs != 0)
                    candles.push_back(c);
                c = Candle{};
                c.symbol = "BTC";
                c.intervalSec = 60;
                c.bucketStartMs = m_t / 60000 * 60000;
                c.open = c.high = c.low = m_price;
            }
            c.high = std::max(c.high, m_price);
            c.low = std::min(c.low, m_price);
            c.close = m_price;
            c.volume += 1 + (i % 5);
        }
        candles.push_back(m_forming);
        store.addTicks(batch);
        store.addCandles(candles);
        store.takeChanged();
    }

    std::mt19937 m_rng{3};
    std::normal_distribution<double> m_step{0, 1};
    qint64 m_t = 1'700'000'000'000LL;
    double m_price = 100;
    Candle m_forming;

    static std::vector<CandlePoint> run(qint64 firstMinute, int count, double forming = 0)
    {
        std::vector<CandlePoint> out;
        for (int i = 0; i < count; ++i) {
            const double base = double(firstMinute + i);
            out.push_back(CandlePoint{(firstMinute + i) * 60000, base, base + 2, base - 1, base + 1, 1, true});
        }
        if (forming != 0)
            out.back().close = forming;
        return out;
    }

    static void verifySeries(const QCandlestickSeries &series, const std::vector<CandlePoint> &expected)
    {
        const QList<QCandlestickSet *> sets = series.sets();
        QCOMPARE(sets.size(), qsizetype(expected.size()));
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(sets[qsizetype(i)]->timestamp(), double(expected[i].bucketStartMs));
            QCOMPARE(sets[qsizetype(i)]->open(), expected[i].open);
            QCOMPARE(sets[qsizetype(i)]->high(), expected[i].high);
            QCOMPARE(sets[qsizetype(i)]->low(), expected[i].low);
            QCOMPARE(sets[qsizetype(i)]->close(), expected[i].close);
        }
    }

private Q_SLOTS:
    void candleSetsChangeOnlyAtTheEnds()
    {
        QCandlestickSeries series;
        CandleSeriesSync sync(&series);
        sync.show(run(0, 10));
        verifySeries(series, run(0, 10));
        const QList<QCandlestickSet *> before = series.sets();
        // The forming candle moved: same sets, one updated in place.
        sync.show(run(0, 10, 42));
        verifySeries(series, run(0, 10, 42));
        QCOMPARE(series.sets(), before);
        // A new minute: the oldest slides out, one slides in; the other nine sets are kept.
        sync.show(run(1, 10));
        verifySeries(series, run(1, 10));
        QCOMPARE(series.sets().mid(0, 9), before.mid(1, 9));
        // A jump (nothing in common), a shrink at the right, empty: rebuilt, still exact.
        for (const auto &next : {run(100, 5), run(100, 3), std::vector<CandlePoint>{}, run(7, 4)}) {
            sync.show(next);
            verifySeries(series, next);
            QCOMPARE(sync.shown().size(), next.size());
        }
        sync.clear();
        QCOMPARE(series.count(), qsizetype(0));
    }

    void followsLiveAndSwitchesModes()
    {
        MarketDataStore store(50000, 1000);
        feed(store, 40000);  // ~2.8 h of history
        ChartPanel panel(&store);
        panel.resize(900, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSymbol(QStringLiteral("BTC"));
        for (qint64 span : {qint64(0), qint64(60 * 60 * 1000), qint64(5 * 60 * 1000)}) {
            panel.setRangePreset(span);
            for (int frame = 0; frame < 20; ++frame) {
                feed(store, 37);
                QVERIFY(panel.refresh(true));
                // Decimated to the plot's width: at most two points per column, plus the edges.
                QVERIFY(panel.pricePointCount() > 1);
                QVERIFY(panel.pricePointCount() <= 2 * 900 + 6);
                QVERIFY(panel.volumeBarCount() > 0);
                const auto [t0, t1] = panel.visibleRange();
                QCOMPARE(t1, store.find(QStringLiteral("BTC"))->lastTsMs);  // following the live edge
                if (span > 0)
                    QCOMPARE(t1 - t0, span);
            }
        }
        // Line -> candles -> line -> candles: each mode shows its own data every time.
        for (int round = 0; round < 2; ++round) {
            panel.setMode(ChartPanel::Mode::Candles);
            feed(store, 5);
            panel.refresh(true);
            QVERIFY(panel.candleCount() > 0);
            QCOMPARE(panel.pricePointCount(), qsizetype(0));
            feed(store, 5);
            panel.refresh(true);  // the usual frame: the forming candle updated in place
            QVERIFY(panel.candleCount() > 0);
            panel.setMode(ChartPanel::Mode::Line);
            feed(store, 5);
            panel.refresh(true);
            QVERIFY(panel.pricePointCount() > 1);
            QCOMPARE(panel.candleCount(), qsizetype(0));
        }
    }

    void pannedViewStaysPut()
    {
        MarketDataStore store(50000, 1000);
        feed(store, 20000);
        ChartPanel panel(&store);
        panel.resize(900, 600);
        panel.show();
        panel.setSymbol(QStringLiteral("BTC"));
        panel.setRangePreset(10 * 60 * 1000);
        panel.refresh(true);
        panel.pan(-0.5);
        QVERIFY(!panel.following());
        QVERIFY(panel.refresh(false));
        const auto parked = panel.visibleRange();
        const qsizetype points = panel.pricePointCount();
        feed(store, 100);
        QVERIFY(!panel.refresh(true));  // new data at the live edge: nothing on screen changes
        QCOMPARE(panel.visibleRange(), parked);
        QCOMPARE(panel.pricePointCount(), points);
        panel.setFollowing(true);
        QVERIFY(panel.refresh(false));
        QCOMPARE(panel.visibleRange().second, store.find(QStringLiteral("BTC"))->lastTsMs);
    }
};

QTEST_MAIN(TstUiCharts)
#include "tst_ui_charts.moc"
