// Candles and volume bars at every range preset x interval x width: bodies never overlap, never
// more than the plot can draw (coarser interval chosen and named), one volume bar per candle.
#include "candle_layout.h"
#include "chart_feed.h"
#include "chart_panel.h"
#include "chart_settled.h"
#include "indicator_lines.h"
#include "interactive_chart_view.h"

#include <QChartView>
#include <QDateTime>
#include <QGraphicsTextItem>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>

using namespace ms;
using namespace ms::ui;

namespace {
constexpr qint64 kMinute = 60 * 1000;
}

class TstUiCandles : public QObject
{
    Q_OBJECT

    MarketDataStore m_store{400000, 100000};
    uitest::ChartFeed m_feed;

private Q_SLOTS:
    void initTestCase()
    {
        // 26 h of one tick per second: every interval has history past the 1d range.
        m_feed.feed(m_store, 26 * 3600);
    }

    void candlesFitAtEveryRangeAndInterval_data()
    {
        QTest::addColumn<qint64>("spanMs");
        QTest::addColumn<int>("intervalSec");
        QTest::addColumn<int>("width");
        for (int width : {1024, 2560})
            for (auto [name, span] : {std::pair{"5m", 5 * kMinute},
                                      {"1h", 60 * kMinute},
                                      {"1d", 24 * 60 * kMinute},
                                      {"All", qint64(0)}})
                for (int interval : {1, 60, 300, 3600})
                    QTest::addRow("%s %ds %dpx", name, interval, width)
                        << span << interval << width;
    }
    void candlesFitAtEveryRangeAndInterval()
    {
        QFETCH(qint64, spanMs);
        QFETCH(int, intervalSec);
        QFETCH(int, width);
        ChartPanel panel(&m_store);
        panel.resize(width, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSymbol(QStringLiteral("BTC"));
        panel.setMode(ChartPanel::Mode::Candles);
        panel.setIntervalSec(intervalSec);
        panel.setRangePreset(spanMs);
        panel.refresh(true);
        QTRY_VERIFY(uitest::chartsLaidOut(panel)); // laid out at this size: draw on that layout
        panel.setRangePreset(spanMs);
        QVERIFY(panel.refresh(true));

        const auto [t0, t1] = panel.visibleRange();
        const CandleIntervalChoice choice = panel.shownInterval();
        const std::vector<CandleColumn> &cols = panel.candleColumns();
        const std::vector<CandlePoint> &candles = panel.shownCandles();
        QVERIFY(!cols.empty());
        QVERIFY(choice.shownSec >= intervalSec);
        QCOMPARE(choice.shownSec % choice.sourceSec, 0);
        // Fits the width: at most one candle per kMinCandlePx pixels of plot.
        auto *view = panel.findChild<QChartView *>(QStringLiteral("priceChart"));
        QVERIFY(view);
        const double plotWidth = view->chart()->plotArea().width();
        const double maxCandles = plotWidth / kMinCandlePx + 1;
        QVERIFY2(double(cols.size()) <= maxCandles,
                 qPrintable(QStringLiteral("%1 candles on %2 px").arg(cols.size()).arg(width)));
        // No two bodies overlap; each stays within its own bucket.
        const double pxPerMs = plotWidth / double(std::max<qint64>(1, t1 - t0));
        for (size_t i = 0; i < cols.size(); ++i) {
            QVERIFY(cols[i].right > cols[i].left);
            QVERIFY(cols[i].wick >= cols[i].left && cols[i].wick < cols[i].right);
            const double bucketPx = double(choice.shownSec) * 1000 * pxPerMs;
            QVERIFY2(double(cols[i].right - cols[i].left) <= bucketPx + 1.5,
                     qPrintable(QStringLiteral("body %1 px for a %2 px bucket")
                                    .arg(cols[i].right - cols[i].left)
                                    .arg(bucketPx)));
            if (i > 0)
                QVERIFY2(cols[i - 1].right <= cols[i].left,
                         qPrintable(QStringLiteral("bodies %1 and %2 overlap").arg(i - 1).arg(i)));
        }
        // Candles at the interval the user asked for, or a coarser one only when needed.
        const qint64 span = t1 - t0;
        if (choice.shownSec > intervalSec) {
            QVERIFY(double(span) / (double(intervalSec) * 1000) > maxCandles - 2);
            QVERIFY(panel.legendText().contains(intervalLabel(choice.shownSec)));
        }
        QVERIFY(panel.legendText().contains(
            QStringLiteral("Candles %1").arg(intervalLabel(choice.shownSec))));
        // Buckets are consecutive and of the shown width; the volume pane has the same ones.
        for (const CandleColumn &c : cols)
            QCOMPARE(candles[c.index].bucketStartMs % (qint64(choice.shownSec) * 1000), qint64(0));
        const std::vector<CandleColumn> &vcols = panel.volumeColumns();
        const std::vector<CandlePoint> &bars = panel.shownVolumeBars();
        QCOMPARE(vcols.size(), cols.size());
        for (size_t i = 0; i < cols.size(); ++i) {
            QCOMPARE(bars[vcols[i].index].bucketStartMs, candles[cols[i].index].bucketStartMs);
            QVERIFY(std::abs(vcols[i].left - cols[i].left) <= 1);
        }
        // The newest candle is the forming one, at the latest data.
        QCOMPARE(candles[cols.back().index].close, m_feed.price());
    }

    void intervalChoiceIsTheFinestThatFits_data()
    {
        QTest::addColumn<qint64>("spanMs");
        QTest::addColumn<int>("requested");
        QTest::addColumn<int>("source");
        QTest::addColumn<int>("shown");
        const std::vector<int> stored{1, 60, 300, 3600};
        QTest::newRow("5m of 1 s fits") << 5 * kMinute << 1 << 1 << 1;
        QTest::newRow("1h of 1 s: 10 s from 1 s") << 60 * kMinute << 1 << 1 << 10;
        QTest::newRow("1d of 1 s: stored 5 min") << 24 * 60 * kMinute << 1 << 300 << 300;
        QTest::newRow("1d of 1 min: stored 5 min") << 24 * 60 * kMinute << 60 << 300 << 300;
        QTest::newRow("1d of 1 h fits") << 24 * 60 * kMinute << 3600 << 3600 << 3600;
        QTest::newRow("30 d of 1 min: 2 h from 1 h")
            << 30 * 24 * 60 * kMinute << 60 << 3600 << 7200;
    }
    void intervalChoiceIsTheFinestThatFits()
    {
        QFETCH(qint64, spanMs);
        QFETCH(int, requested);
        QFETCH(int, source);
        QFETCH(int, shown);
        const CandleIntervalChoice c =
            chooseCandleInterval(spanMs, 800, requested, {3600, 1, 300, 60});
        QCOMPARE(c.sourceSec, source);
        QCOMPARE(c.shownSec, shown);
    }

    void columnsNeverOverlapWhateverTheRounding()
    {
        // Awkward ratios of span to width: 2.0x px per candle, 2.3, 3.7, 1 px off.
        for (double width : {799.0, 800.0, 801.3, 333.3}) {
            for (qint64 widthMs : {1000LL, 7000LL, 60000LL}) {
                std::vector<CandlePoint> candles;
                for (int i = 0; i < 400; ++i)
                    candles.push_back(CandlePoint{i * widthMs, 1, 2, 0, 1, 1, true});
                const qint64 span = 400 * widthMs;
                const auto cols =
                    candleColumns(candles, widthMs, widthMs / 2, span - widthMs / 3, 17.5, width);
                QVERIFY(!cols.empty());
                for (size_t i = 1; i < cols.size(); ++i)
                    QVERIFY(cols[i - 1].right <= cols[i].left && cols[i].right > cols[i].left);
                QVERIFY(cols.front().left >= 17 &&
                        cols.back().right <= int(std::lround(17.5 + width)));
            }
        }
    }
    void indicatorsReachTheLatestBar_data()
    {
        QTest::addColumn<int>("intervalSec");
        QTest::addColumn<qint64>("spanMs");
        QTest::newRow("1 s, 5m") << 1 << 5 * kMinute;
        QTest::newRow("1 min, 1h") << 60 << 60 * kMinute;
        QTest::newRow("5 min, 1d") << 300 << 24 * 60 * kMinute;
        QTest::newRow("1 s, 1d (aggregated)") << 1 << 24 * 60 * kMinute;
    }
    void indicatorsReachTheLatestBar()
    {
        QFETCH(int, intervalSec);
        QFETCH(qint64, spanMs);
        ChartPanel panel(&m_store);
        panel.resize(1200, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSymbol(QStringLiteral("BTC"));
        panel.setMode(ChartPanel::Mode::Candles);
        panel.setIntervalSec(intervalSec);
        panel.setRangePreset(spanMs);
        panel.setIndicators(true, 5, true, 8);
        QVERIFY(panel.refresh(true));
        const std::vector<CandlePoint> &candles = panel.shownCandles();
        const CandlePoint &last = candles[panel.candleColumns().back().index];
        const double lastMiddle =
            double(last.bucketStartMs) + double(panel.shownInterval().shownSec) * 500;
        for (const IndicatorLine *line : {&panel.smaLine(), &panel.emaLine()}) {
            QVERIFY(!line->empty());
            // The last point sits on the newest (forming) candle.
            QCOMPARE(line->segments.back().back().x(), lastMiddle);
        }
        // The SMA's last value is the mean of the last five closes shown.
        double sum = 0;
        for (size_t i = panel.candleColumns().back().index - 4;
             i <= panel.candleColumns().back().index; ++i)
            sum += candles[i].close;
        QCOMPARE(panel.smaLine().segments.back().back().y(), sum / 5);
        QVERIFY(panel.legendText().contains(QStringLiteral("SMA 5")));
        QVERIFY(panel.legendText().contains(QStringLiteral("EMA 8")));
    }

    void tooFewCandlesSaysWhy()
    {
        MarketDataStore store(10000, 1000);
        uitest::ChartFeed feed;
        feed.feed(store, 5 * 60); // five minutes: five 1-min candles
        ChartPanel panel(&store);
        panel.resize(1200, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSymbol(QStringLiteral("BTC"));
        panel.setMode(ChartPanel::Mode::Candles);
        panel.setIntervalSec(60);
        panel.setIndicators(true, 20, false, 50);
        QVERIFY(panel.refresh(true));
        QVERIFY(panel.smaLine().empty());
        QVERIFY2(panel.legendText().contains(QStringLiteral("SMA 20 — needs 20 candles of 1 min")),
                 qPrintable(panel.legendText()));
        // A shorter period draws at once.
        panel.setIndicators(true, 3, false, 50);
        QVERIFY(panel.refresh(false));
        QVERIFY(!panel.smaLine().empty());
    }

    void gapsAreNotBridgedAndStopStartLeavesNothingStale()
    {
        MarketDataStore store(100000, 10000);
        uitest::ChartFeed feed;
        feed.feed(store, 20 * 60);
        feed.feed(store, 20 * 60, 1000,
                  30 * kMinute); // a run that started 30 min after the last one
        ChartPanel panel(&store);
        panel.resize(1200, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSymbol(QStringLiteral("BTC"));
        panel.setMode(ChartPanel::Mode::Candles);
        panel.setIntervalSec(60);
        panel.setRangePreset(0);
        panel.setIndicators(true, 5, true, 5);
        QVERIFY(panel.refresh(true));
        for (const IndicatorLine *line : {&panel.smaLine(), &panel.emaLine()}) {
            QCOMPARE(line->segments.size(), size_t(2)); // broken at the gap, not bridged
            QVERIFY(line->segments[1].front().x() - line->segments[0].back().x() > 30.0 * kMinute);
        }
        QVERIFY(panel.volumeBarCount() > 0);

        // Stop, Start: the window empties the store when the new run's data arrives. Whatever the
        // frame says about "changed", nothing of the old run may stay in any pane.
        store.clear();
        panel.refresh(false);
        QCOMPARE(panel.candleCount(), qsizetype(0));
        QCOMPARE(panel.volumeBarCount(), qsizetype(0));
        QVERIFY(panel.smaLine().empty() && panel.emaLine().empty());
        uitest::ChartFeed next({1, 60, 300, 3600}, feed.now() + 60 * kMinute);
        next.feed(store, 90);
        QVERIFY(panel.refresh(true));
        const auto [t0, t1] = panel.visibleRange();
        QVERIFY(t0 >= feed.now() + 60 * kMinute - 60000);
        for (const CandleColumn &c : panel.volumeColumns())
            QVERIFY(panel.shownVolumeBars()[c.index].bucketStartMs + 60000 >
                    feed.now() + 60 * kMinute);
    }

    void indicatorMaths()
    {
        std::vector<CandlePoint> candles;
        for (int i = 0; i < 10; ++i)
            candles.push_back(CandlePoint{i * 1000LL, 0, 0, 0, double(i + 1), 0, true});
        const IndicatorLine sma = indicatorLine(IndicatorKind::Sma, 3, candles, 1000, 0, 10000);
        QCOMPARE(sma.segments.size(), size_t(1));
        QCOMPARE(sma.segments[0].size(), size_t(8));
        QCOMPARE(sma.segments[0].front(), QPointF(2500, 2.0)); // (1 + 2 + 3) / 3 at the 3rd middle
        QCOMPARE(sma.segments[0].back(), QPointF(9500, 9.0));
        const IndicatorLine ema = indicatorLine(IndicatorKind::Ema, 3, candles, 1000, 0, 10000);
        QCOMPARE(ema.segments[0].front().y(), 2.0); // seeded with the SMA
        QCOMPARE(ema.segments[0][1].y(), 0.5 * 4 + 0.5 * 2.0);
    }
    void emptyChartShowsNoEpochOrUnitScale()
    {
        MarketDataStore store;
        ChartPanel panel(&store);
        panel.resize(1024, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.refresh(true);
        QTRY_VERIFY(uitest::chartsLaidOut(panel));
        for (auto *view : panel.findChildren<QChartView *>()) {
            for (QGraphicsItem *item : view->scene()->items()) {
                auto *text = dynamic_cast<QGraphicsTextItem *>(item);
                if (text && text->isVisible())
                    QVERIFY2(!text->toPlainText().contains(QStringLiteral("1970")) &&
                                 text->toPlainText() != QStringLiteral("1"),
                             qPrintable(text->toPlainText()));
            }
        }
    }

    void headerFollowsTheLatestPriceWhileParked()
    {
        MarketDataStore store(100000, 10000);
        uitest::ChartFeed feed;
        feed.feed(store, 600);
        ChartPanel panel(&store);
        panel.resize(1024, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSymbol(QStringLiteral("BTC"));
        panel.setRangePreset(5 * kMinute);
        panel.refresh(true);
        panel.pan(-0.5);
        panel.refresh(false);
        QVERIFY(!panel.following());
        feed.feed(store, 30);
        panel.refresh(true); // parked: the plot stays, the header does not
        QVERIFY2(panel.headerText().endsWith(
                     numberLocale().toString(feed.price(), 'f', panel.priceDecimals())),
                 qPrintable(panel.headerText()));
        // The crosshair's caption names the time under the cursor, to the second.
        const auto [t0, t1] = panel.visibleRange();
        const double t = double(t0 + (t1 - t0) / 3);
        QVERIFY(
            panel.captionAt(t, 100).startsWith(QDateTime::fromMSecsSinceEpoch(qint64(t)).toString(
                QStringLiteral("yyyy-MM-dd hh:mm:ss"))));
    }
    // Every volume label is drawn whole inside its view. "500,000" beside price labels of "230"
    // was cut at the window's edge (the volume plot is kept under the price plot, so its labels
    // only get the price labels' width).
    void volumeLabelsAreWholeBesideNarrowPrices()
    {
        MarketDataStore store(100000, 10000);
        uitest::ChartFeed feed;
        feed.setVolumeScale(200000);  // 1-minute volumes of tens of millions beside prices of ~100
        feed.feed(store, 3600);
        ChartPanel panel(&store);
        panel.resize(1024, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSymbol(QStringLiteral("BTC"));
        panel.setMode(ChartPanel::Mode::Candles);
        panel.setIntervalSec(60);
        panel.setRangePreset(60 * kMinute);
        panel.refresh(true);
        QTRY_VERIFY(uitest::chartsLaidOut(panel));
        QVERIFY(!panel.volumeTicks().empty());
        auto *view = panel.findChild<InteractiveChartView *>(QStringLiteral("volumeChart"));
        QVERIFY(view);
        // Qt Charts cuts a label that does not fit ("500,0..."): each label must be found whole,
        // the top one (the widest) at least.
        auto labelsWhole = [&] {
            QCoreApplication::sendPostedEvents();  // Qt Charts lays labels out on a posted event
            const std::vector<AxisTick> ticks = panel.volumeTicks();
            int found = 0;
            for (QGraphicsItem *item : view->scene()->items()) {
                auto *text = qgraphicsitem_cast<QGraphicsTextItem *>(item);
                if (!text || !text->isVisible())
                    continue;
                const QString label = text->toPlainText();
                const bool isVolumeLabel =
                    std::any_of(ticks.cbegin(), ticks.cend(), [&](const AxisTick &t) { return t.label == label; });
                if (!isVolumeLabel)
                    continue;
                if (!view->viewport()->rect().contains(view->mapFromScene(text->sceneBoundingRect()).boundingRect()))
                    return false;
                found += label == ticks.back().label ? 1 : 0;
            }
            return found == 1;
        };
        QTRY_VERIFY2(labelsWhole(), qPrintable(QStringLiteral("the volume label %1 is cut or missing")
                                                    .arg(panel.volumeTicks().back().label)));
    }

    void crosshairAndLastPriceMatchTheData()
    {
        MarketDataStore store(100000, 10000);
        uitest::ChartFeed feed;
        feed.feed(store, 900);
        ChartPanel panel(&store);
        panel.resize(1200, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSymbol(QStringLiteral("BTC"));
        panel.setMode(ChartPanel::Mode::Candles);
        panel.setRangePreset(10 * kMinute);
        panel.refresh(true);
        QTRY_VERIFY(uitest::chartsLaidOut(panel));
        panel.setRangePreset(10 * kMinute);
        QVERIFY(panel.refresh(true));
        // The last-price tag on the axis says what the header says.
        QCOMPARE(panel.lastPriceTag(),
                 numberLocale().toString(feed.price(), 'f', panel.priceDecimals()));
        QVERIFY(panel.headerText().endsWith(panel.lastPriceTag()));

        auto *view = panel.findChild<InteractiveChartView *>(QStringLiteral("priceChart"));
        QVERIFY(view);
        // ... and is whole: a price wider than the axis labels used to run off the chart's edge.
        QVERIFY2(view->viewport()->rect().contains(panel.lastPriceTagRect()),
                 qPrintable(QStringLiteral("tag %1,%2 %3x%4 in a %5 px wide view")
                                .arg(panel.lastPriceTagRect().x()).arg(panel.lastPriceTagRect().y())
                                .arg(panel.lastPriceTagRect().width()).arg(panel.lastPriceTagRect().height())
                                .arg(view->viewport()->width())));
        QSignalSpy moved(view, &InteractiveChartView::crosshairMoved);
        const QRectF plot = view->chart()->plotArea();
        const QPoint at = view->mapFromScene(view->chart()->mapToScene(plot.center()));
        QTest::mouseMove(view->viewport(), at);
        QTRY_VERIFY(moved.count() > 0);
        const auto [t0, t1] = panel.visibleRange();
        const double msPerPx = double(t1 - t0) / plot.width();
        const double expected = double(t0) + (plot.center().x() - plot.left()) * msPerPx;
        QVERIFY2(std::abs(moved.last().at(0).toDouble() - expected) <= 2 * msPerPx,
                 qPrintable(QStringLiteral("crosshair at %1, cursor at %2")
                                .arg(moved.last().at(0).toDouble())
                                .arg(expected)));
        // Zoom and follow again: the crosshair follows the data under the still cursor.
        moved.clear();
        panel.zoom(0.5, 0.5);
        QVERIFY(panel.refresh(false));
        QVERIFY(moved.count() > 0);
        const auto [z0, z1] = panel.visibleRange();
        const double zExpected =
            double(z0) + (plot.center().x() - plot.left()) * double(z1 - z0) / plot.width();
        QVERIFY(std::abs(moved.last().at(0).toDouble() - zExpected) <=
                2 * double(z1 - z0) / plot.width());
    }
    void aTabSwitchCatchesUp()
    {
        MarketDataStore store(100000, 10000);
        uitest::ChartFeed feed;
        feed.feed(store, 300);
        ChartPanel panel(&store);
        panel.resize(1024, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSymbol(QStringLiteral("BTC"));
        panel.refresh(true);
        // Another tab is shown: the window stops calling refresh(); data keeps coming, then stops.
        panel.hide();
        feed.feed(store, 120);
        QVERIFY(panel.visibleRange().second < store.find(QStringLiteral("BTC"))->lastTsMs);
        // Back on the Markets tab, before any frame: the chart shows what happened meanwhile.
        panel.show();
        QCOMPARE(panel.visibleRange().second, store.find(QStringLiteral("BTC"))->lastTsMs);
        QVERIFY(panel.headerText().endsWith(
            numberLocale().toString(feed.price(), 'f', panel.priceDecimals())));
        // The volume axis carries more than one label.
        QVERIFY(panel.volumeTicks().size() >= 2);
    }
};

QTEST_MAIN(TstUiCandles)
#include "tst_ui_candles.moc"
