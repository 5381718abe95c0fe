// The chart panel on its own (no pipeline): a store with a long history, the panel following it
// frame by frame, mode and range switches. What reaches the series is bounded by the plot width.
#include "chart_panel.h"
#include "chart_settled.h"
#include "market_data_store.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsTextItem>
#include <QApplication>
#include <QSignalSpy>
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

    // The panel at 900x600 on screen, showing BTC.
    static bool showBtc(ChartPanel &panel)
    {
        panel.resize(900, 600);
        panel.show();
        const bool exposed = QTest::qWaitForWindowExposed(&panel);
        panel.setSymbol(QStringLiteral("BTC"));
        return exposed;
    }

private Q_SLOTS:
    // One time axis for the eye: the volume plot spans exactly the price plot's x range on screen,
    // whatever the sizes (the bug: a volume view resized alone kept an old, narrower plot).
    void volumePlotStaysUnderThePricePlot()
    {
        MarketDataStore store(50000, 1000);
        feed(store, 5000);
        ChartPanel panel(&store);
        QVERIFY(showBtc(panel));
        auto *price = panel.findChild<QChartView *>(QStringLiteral("priceChart"));
        auto *volume = panel.findChild<QChartView *>(QStringLiteral("volumeChart"));
        QVERIFY(price && volume);
        for (const QSize size : {QSize(900, 600), QSize(1300, 700), QSize(700, 500)}) {
            panel.resize(size);
            for (int frame = 0; frame < 3; ++frame) {
                feed(store, 10);
                panel.refresh(true);
                QTRY_VERIFY(uitest::chartsLaidOut(panel));
            }
            auto onPanel = [&panel](QChartView *view) {
                const QRectF plot = view->chart()->plotArea();
                const QPoint left = view->mapTo(&panel, view->mapFromScene(plot.topLeft()));
                const QPoint right = view->mapTo(&panel, view->mapFromScene(plot.topRight()));
                return std::pair{left.x(), right.x()};
            };
            const auto [pl, pr] = onPanel(price);
            const auto [vl, vr] = onPanel(volume);
            QVERIFY2(std::abs(pl - vl) <= 1 && std::abs(pr - vr) <= 1,
                     qPrintable(QStringLiteral("%1x%2: price plot %3..%4, volume plot %5..%6")
                                    .arg(size.width()).arg(size.height()).arg(pl).arg(pr).arg(vl).arg(vr)));
            // The time axis is laid out for that plot too: its last label sits over its tick's
            // place on this plot, not where an older, narrower layout put it.
            double lastLabel = -1;
            const QList<QGraphicsItem *> items = volume->scene()->items();
            for (QGraphicsItem *item : items) {
                auto *text = dynamic_cast<QGraphicsTextItem *>(item);
                if (text && text->isVisible() && text->toPlainText().contains(u':'))
                    lastLabel = std::max(lastLabel, text->sceneBoundingRect().center().x());
            }
            const QRectF plot = volume->chart()->plotArea();
            const auto [t0, t1] = panel.visibleRange();
            QVERIFY(!panel.timeTicks().empty());
            const double lastTick = panel.timeTicks().back().value;
            const double plotRight = plot.left() + (lastTick - double(t0)) / double(t1 - t0) * plot.width();
            QVERIFY2(std::abs(lastLabel - plotRight) <= 3,
                     qPrintable(QStringLiteral("%1x%2: last time label at %3, its tick at %4")
                                    .arg(size.width()).arg(size.height()).arg(lastLabel).arg(plotRight)));
        }
    }

    void followsLiveAndSwitchesModes()
    {
        MarketDataStore store(50000, 1000);
        feed(store, 40000);  // ~2.8 h of history
        ChartPanel panel(&store);
        QVERIFY(showBtc(panel));
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

    // The overlay hook: every drawn frame announces where the plot and the view are, so an
    // overlay placed from it lines up with what the panel painted.
    void framePlacedDescribesTheDrawnFrame()
    {
        MarketDataStore store(50000, 1000);
        feed(store, 5000);
        ChartPanel panel(&store);
        QSignalSpy spy(&panel, &ChartPanel::framePlaced);
        QVERIFY(showBtc(panel));
        panel.setRangePreset(10 * 60 * 1000);
        feed(store, 10);
        QVERIFY(panel.refresh(true));
        QVERIFY(!spy.isEmpty());
        const ChartFrame frame = spy.last().at(0).value<ChartFrame>();
        QCOMPARE(frame.symbol, QStringLiteral("BTC"));
        const auto [t0, t1] = panel.visibleRange();
        QCOMPARE(frame.window, (TimeWindow{t0, t1}));
        QCOMPARE(frame.pricePlot, panel.priceChart()->plotArea());
        QCOMPARE(frame.x(t1), frame.pricePlot.right());
        const double last = store.find(QStringLiteral("BTC"))->lastPrice;
        QVERIFY(frame.prices.lo <= last && last <= frame.prices.hi);
        QVERIFY(frame.pricePlot.contains(QPointF(frame.x(t1) - 1, frame.priceY(last))));
    }

    void pannedViewStaysPut()
    {
        MarketDataStore store(50000, 1000);
        feed(store, 20000);
        ChartPanel panel(&store);
        QVERIFY(showBtc(panel));
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
