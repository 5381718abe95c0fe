// The chart's view maths without widgets (ui/chart_view_model.h): range presets, Follow live,
// pan, zoom, Go to, the redraw rule for a parked view, the price axis fit, and the frame mapping
// overlays use.
#include "chart_view_model.h"

#include <QTest>

using namespace ms::ui;

namespace {
constexpr qint64 kS = 1000, kM = 60 * kS, kH = 60 * kM, kD = 24 * kH;
constexpr qint64 kLast = 1'700'000'000'000LL; // the newest data
constexpr qint64 kFirst = kLast - 10 * kH;    // the oldest data

ChartViewModel placedAt(qint64 span)
{
    ChartViewModel view;
    view.setRangePreset(span);
    view.place(kFirst, kLast);
    return view;
}
} // namespace

class TstUiChartView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void presetFollowsTheLiveEdge_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("t0");
        QTest::addColumn<qint64>("t1");
        QTest::newRow("5m") << 5 * kM << kFirst << kLast - 5 * kM << kLast;
        QTest::newRow("1h") << kH << kFirst << kLast - kH << kLast;
        QTest::newRow("1d: wider than the data") << kD << kFirst << kLast - kD << kLast;
        QTest::newRow("All: from the first data") << qint64(0) << kFirst << kFirst << kLast;
        QTest::newRow("All of one point: the minimum span")
            << qint64(0) << kLast << kLast - 2 * kS << kLast;
        QTest::newRow("All with first after last: clamped")
            << qint64(0) << kLast + kH << kLast - 2 * kS << kLast;
        QTest::newRow("a negative span is All") << qint64(-5) << kFirst << kFirst << kLast;
    }
    void presetFollowsTheLiveEdge()
    {
        QFETCH(qint64, span);
        QFETCH(qint64, first);
        QFETCH(qint64, t0);
        QFETCH(qint64, t1);
        ChartViewModel view;
        view.setFollowing(false);
        view.setRangePreset(span);
        QVERIFY(view.following());
        QCOMPARE(view.place(first, kLast), (TimeWindow{t0, t1}));
        QCOMPARE(view.shown(), (TimeWindow{t0, t1}));
        // Following: the next frame's newer data moves the window with it.
        const TimeWindow next = view.place(first, kLast + 7 * kS);
        QCOMPARE(next.t1, kLast + 7 * kS);
    }

    void panMovesAndParks_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<double>("fraction");
        QTest::addColumn<bool>("following");
        QTest::addColumn<qint64>("t1"); // right edge after the pan (parked)
        QTest::addColumn<qint64>("spanAfter");
        QTest::newRow("back half an hour") << kH << -0.5 << false << kLast - 30 * kM << kH;
        QTest::newRow("back a whole span") << 5 * kM << -1.0 << false << kLast - 5 * kM << 5 * kM;
        QTest::newRow("forward past the live edge resumes following")
            << kH << 0.25 << true << kLast << kH;
        QTest::newRow("All: keeps what is on screen as the span")
            << qint64(0) << -0.1 << false << kLast - kH << 10 * kH;
    }
    void panMovesAndParks()
    {
        QFETCH(qint64, span);
        QFETCH(double, fraction);
        QFETCH(bool, following);
        QFETCH(qint64, t1);
        QFETCH(qint64, spanAfter);
        ChartViewModel view = placedAt(span);
        view.pan(fraction, kLast);
        QCOMPARE(view.following(), following);
        QCOMPARE(view.spanMs(), spanAfter);
        // New data arrives: a parked view stays where it was put.
        const TimeWindow w = view.place(kFirst, kLast + 10 * kM);
        QCOMPARE(w.t1, following ? kLast + 10 * kM : t1);
        QCOMPARE(w.t1 - w.t0, spanAfter);
    }

    void panForwardWhileParkedStopsShortOfTheEdge()
    {
        ChartViewModel view = placedAt(kH);
        view.pan(-1.0, kLast);
        view.place(kFirst, kLast);
        view.pan(0.5, kLast); // half an hour forward: still half an hour short of the edge
        QVERIFY(!view.following());
        QCOMPARE(view.place(kFirst, kLast).t1, kLast - 30 * kM);
        view.pan(0.5, kLast); // reaches the edge
        QVERIFY(view.following());
    }

    void zoom_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<double>("factor");
        QTest::addColumn<double>("anchor");
        QTest::addColumn<bool>("following");
        QTest::addColumn<qint64>("t0");
        QTest::addColumn<qint64>("t1");
        // Zoom in around the middle: the time under the cursor stays under it.
        QTest::newRow("in, centre")
            << kH << 0.5 << 0.5 << false << kLast - 45 * kM << kLast - 15 * kM;
        QTest::newRow("out, left edge") << kH << 2.0 << 0.0 << false << kLast - kH << kLast + kH;
        QTest::newRow("in at the right edge keeps following")
            << kH << 0.5 << 1.0 << true << kLast - 30 * kM << kLast;
        QTest::newRow("never under the minimum span")
            << 5 * kM << 1e-6 << 0.5 << false << kLast - 150 * kS - kS << kLast - 150 * kS + kS;
    }
    void zoom()
    {
        QFETCH(qint64, span);
        QFETCH(double, factor);
        QFETCH(double, anchor);
        QFETCH(bool, following);
        QFETCH(qint64, t0);
        QFETCH(qint64, t1);
        ChartViewModel view = placedAt(span);
        view.zoom(factor, anchor);
        QCOMPARE(view.following(), following);
        QCOMPARE(view.place(kFirst, kLast), (TimeWindow{t0, t1}));
    }

    void zoomOutIsBounded()
    {
        ChartViewModel view = placedAt(kD);
        for (int i = 0; i < 20; ++i) {
            view.zoom(4.0, 0.0);
            view.place(kFirst, kLast);
        }
        QCOMPARE(view.spanMs(), ChartViewModel::kMaxSpanMs);
    }

    void followOffParksWhereTheViewIs()
    {
        ChartViewModel view = placedAt(5 * kM);
        view.setFollowing(false);
        QCOMPARE(view.place(kFirst, kLast + kH), (TimeWindow{kLast - 5 * kM, kLast}));
        view.setFollowing(true);
        QCOMPARE(view.place(kFirst, kLast + kH).t1, kLast + kH);
    }

    void goToCentresTheTime_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<qint64>("spanAfter");
        QTest::newRow("1h") << kH << kH;
        QTest::newRow("5m") << 5 * kM << 5 * kM;
        QTest::newRow("All becomes an hour") << qint64(0) << kH;
    }
    void goToCentresTheTime()
    {
        QFETCH(qint64, span);
        QFETCH(qint64, spanAfter);
        ChartViewModel view = placedAt(span);
        const qint64 when = kFirst + 3 * kH;
        view.goTo(when);
        QVERIFY(!view.following());
        const TimeWindow w = view.place(kFirst, kLast);
        QCOMPARE(w.t1 - w.t0, spanAfter);
        QCOMPARE((w.t0 + w.t1) / 2, when);
    }

    void padRightOnlyWhileFollowing()
    {
        ChartViewModel view = placedAt(kH);
        view.padRight(kM);
        QCOMPARE(view.shown().t1, kLast + kM);
        view.setFollowing(false);
        view.place(kFirst, kLast);
        view.padRight(kM);
        QCOMPARE(view.shown().t1, kLast + kM); // parked where the padded view was: no second pad
    }

    void redrawRule_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<bool>("parked");
        QTest::addColumn<bool>("dataChanged");
        QTest::addColumn<bool>("redraw");
        QTest::newRow("following, new data") << kH << false << true << true;
        QTest::newRow("following, nothing new") << kH << false << false << false;
        QTest::newRow("parked, new data at the live edge") << kH << true << true << false;
        QTest::newRow("parked, nothing new") << kH << true << false << false;
        QTest::newRow("All, new data") << qint64(0) << false << true << true;
    }
    void redrawRule()
    {
        QFETCH(qint64, span);
        QFETCH(bool, parked);
        QFETCH(bool, dataChanged);
        QFETCH(bool, redraw);
        ChartViewModel view = placedAt(span);
        if (parked)
            view.setFollowing(false);
        QVERIFY(view.consumeRedraw(false)); // the gesture itself is drawn once
        QVERIFY(!view.consumeRedraw(false));
        QCOMPARE(view.consumeRedraw(dataChanged), redraw);
        view.markDirty(); // e.g. an indicator switched on, or the tab shown again
        QVERIFY(view.consumeRedraw(false));
    }

    void valueFit()
    {
        ChartViewModel view;
        QVERIFY(!view.valueRange());
        const auto first = view.fitValues(100, 110);
        QVERIFY(first);
        QCOMPARE(*first, (ValueRange{99, 111})); // kValueMargin of the span on both sides
        QVERIFY(!view.fitValues(101, 109));      // still fits and fills over half: the axis stays
        QCOMPARE(*view.valueRange(), (ValueRange{99, 111}));
        QVERIFY(view.fitValues(100, 120)); // outgrew it
        QVERIFY(view.fitValues(104, 106)); // shrank under half of it
        view.resetValueFit();
        QVERIFY(!view.valueRange());
        QVERIFY(view.fitValues(104, 106));
    }

    void frameMapsTimeAndPrice()
    {
        ChartFrame f;
        f.window = {kLast - kH, kLast};
        f.prices = {100, 200};
        f.pricePlot = QRectF(10, 20, 600, 300);
        QCOMPARE(f.x(kLast - kH), 10.0);
        QCOMPARE(f.x(kLast), 610.0);
        QCOMPARE(f.x(kLast - 30 * kM), 310.0);
        QCOMPARE(f.priceY(100), 320.0);
        QCOMPARE(f.priceY(200), 20.0);
        QCOMPARE(f.priceY(150), 170.0);
        QVERIFY(f.x(kLast + kM) > 610.0); // outside the window: outside the plot
    }
};

QTEST_APPLESS_MAIN(TstUiChartView)
#include "tst_ui_chart_view.moc"
