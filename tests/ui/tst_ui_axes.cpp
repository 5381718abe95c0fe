// Axis ticks a trader reads: round values and times, one number of decimals per axis, thousands
// separators, dates where a range crosses midnight; the instrument's decimals from its prices.
#include "axis_ticks.h"

#include <QDateTime>
#include <QTest>
#include <cmath>

using namespace ms::ui;

namespace {
constexpr qint64 kS = 1000, kM = 60 * kS, kH = 60 * kM, kD = 24 * kH;

bool isMultiple(double v, double step)
{
    const double k = v / step;
    return std::abs(k - std::round(k)) < 1e-6;
}
} // namespace

class TstUiAxes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void valueTicksAreRound_data()
    {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<int>("maxTicks");
        QTest::newRow("the bug's 188.61..190.99") << 188.61 << 190.99 << 6;
        QTest::newRow("BTC") << 42010.3 << 42980.7 << 8;
        QTest::newRow("penny") << 0.000121 << 0.000139 << 5;
        QTest::newRow("volume from zero") << 0.0 << 5376.9 << 3;
        QTest::newRow("narrow") << 99.999 << 100.0031 << 6;
    }
    void valueTicksAreRound()
    {
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(int, maxTicks);
        const std::vector<AxisTick> ticks = valueTicks(lo, hi, maxTicks);
        QVERIFY(ticks.size() >= 2);
        QVERIFY(int(ticks.size()) <= maxTicks);
        const double step = ticks[1].value - ticks[0].value;
        const double magnitude = std::pow(10.0, std::floor(std::log10(step)));
        const double mantissa = step / magnitude;
        QVERIFY2(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 ||
                     std::abs(mantissa - 5) < 1e-6,
                 qPrintable(QString::number(step)));
        const qsizetype decimals = ticks[0].label.contains(u'.')
                                       ? ticks[0].label.size() - ticks[0].label.indexOf(u'.') - 1
                                       : 0;
        for (const AxisTick &t : ticks) {
            QVERIFY(t.value >= lo - 1e-12 && t.value <= hi + 1e-12);
            QVERIFY(isMultiple(t.value, step));
            const qsizetype d =
                t.label.contains(u'.') ? t.label.size() - t.label.indexOf(u'.') - 1 : 0;
            QCOMPARE(d, decimals); // one number of decimals on the whole axis
            QCOMPARE(QLocale::c().toDouble(QString(t.label).remove(u',')), t.value);
        }
    }

    void thousandsSeparators()
    {
        const std::vector<AxisTick> ticks = valueTicks(41000, 43000, 3);
        QCOMPARE(ticks.front().label, QStringLiteral("41,000"));
        QCOMPARE(numberLocale().toString(42151.87, 'f', 2), QStringLiteral("42,151.87"));
    }

    void volumeLabelsAreShort_data()
    {
        QTest::addColumn<double>("hi");
        QTest::addColumn<int>("maxTicks");
        QTest::addColumn<QStringList>("labels");
        auto list = [](std::initializer_list<const char *> labels) {
            QStringList out;
            for (const char *l : labels)
                out << QString::fromLatin1(l);
            return out;
        };
        QTest::newRow("under 10,000: as they are") << 5376.9 << 3 << list({"0", "2,000", "4,000"});
        QTest::newRow("thousands") << 660000.0 << 4 << list({"0", "200K", "400K", "600K"});
        QTest::newRow("the bug's 500,000") << 550000.0 << 2 << list({"0", "500K"});
        QTest::newRow("millions, one decimal for the axis") << 1.65e6 << 4 << list({"0", "0.5M", "1.0M", "1.5M"});
        QTest::newRow("billions") << 2.2e9 << 3 << list({"0", "1B", "2B"});
    }

    // The volume axis beside a price axis of "230": "500,000" was cut at the window's edge.
    void volumeLabelsAreShort()
    {
        QFETCH(double, hi);
        QFETCH(int, maxTicks);
        QFETCH(QStringList, labels);
        QStringList got;
        const std::vector<AxisTick> ticks = compactValueTicks(0, hi, maxTicks);
        for (const AxisTick &t : ticks)
            got << t.label;
        QCOMPARE(got, labels);
        // Same places as the plain ticks: only the writing differs.
        const std::vector<AxisTick> plain = valueTicks(0, hi, maxTicks);
        QCOMPARE(ticks.size(), plain.size());
        for (size_t i = 0; i < ticks.size(); ++i)
            QCOMPARE(ticks[i].value, plain[i].value);
    }

    void timeTicksAreWholeUnits_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<int>("maxTicks");
        QTest::newRow("5m") << 5 * kM << 10;
        QTest::newRow("the bug's 75 s steps: 10 min") << 10 * kM << 9;
        QTest::newRow("1h") << kH << 12;
        QTest::newRow("1d") << kD << 10;
        QTest::newRow("30 s") << 30 * kS << 8;
        QTest::newRow("2 weeks") << 14 * kD << 8;
    }
    void timeTicksAreWholeUnits()
    {
        QFETCH(qint64, span);
        QFETCH(int, maxTicks);
        const qint64 t1 = 1'700'000'123'456LL;
        const qint64 t0 = t1 - span;
        const std::vector<AxisTick> ticks = timeTicks(t0, t1, maxTicks);
        QVERIFY(ticks.size() >= 2);
        QVERIFY(int(ticks.size()) <= maxTicks);
        const qint64 step = qint64(ticks[1].value - ticks[0].value);
        const std::vector<qint64> allowed{
            kS,      2 * kS,  5 * kS, 10 * kS, 15 * kS, 30 * kS, kM,      2 * kM, 5 * kM, 10 * kM,
            15 * kM, 30 * kM, kH,     2 * kH,  3 * kH,  6 * kH,  12 * kH, kD,     2 * kD, 7 * kD};
        QVERIFY2(std::find(allowed.begin(), allowed.end(), step) != allowed.end(),
                 qPrintable(QString::number(step)));
        for (const AxisTick &t : ticks) {
            const QDateTime when = QDateTime::fromMSecsSinceEpoch(qint64(t.value));
            const qint64 sinceMidnight = qint64(when.time().msecsSinceStartOfDay());
            QCOMPARE(sinceMidnight % std::min(step, kD), qint64(0)); // whole local units
            QVERIFY(!t.label.contains(QStringLiteral("1970")));
        }
    }

    void midnightShowsTheDate()
    {
        const QDateTime midnight(QDate(2026, 12, 2), QTime(0, 0));
        const qint64 m = midnight.toMSecsSinceEpoch();
        const std::vector<AxisTick> ticks = timeTicks(m - 3 * kH, m + 3 * kH, 8);
        bool sawDate = false;
        for (const AxisTick &t : ticks) {
            if (qint64(t.value) == m) {
                QCOMPARE(t.label, QStringLiteral("2 Dec"));
                sawDate = true;
            } else {
                QVERIFY(t.label.contains(u':'));
            }
        }
        QVERIFY(sawDate);
    }

    void instrumentDecimals()
    {
        QCOMPARE(priceDecimals({189.35, 189.4, 190}), 2);
        QCOMPARE(priceDecimals({42151.87}), 2);
        QCOMPARE(priceDecimals({0.000123}), 6);
        QCOMPARE(priceDecimals({306.6, 306.65}), 2);
        QCOMPARE(priceDecimals({100}), 0);
    }
};

QTEST_GUILESS_MAIN(TstUiAxes)
#include "tst_ui_axes.moc"
