// Incremental decimation (MinMaxCache) must draw exactly what a full scan draws on the same range
// and bucket width, frame after frame, however the data and the view move. No timing here: the
// speed shows in bench/ui/bench_charts.
#include "decimator.h"
#include "min_max_cache.h"
#include "time_series_buffer.h"
#include "value_range.h"

#include <QTest>

#include <map>
#include <random>

using namespace ms::ui;

namespace {

enum class Move { FollowLive, AllData, Parked, Pan, Zoom, Upsert, Refill, OutsideData };

// A brute-force reference for the aligned grid: per key, the first lowest and first highest point.
std::map<qint64, std::pair<TimePoint, TimePoint>> bruteForce(const TimeSeriesBuffer &b, qint64 t0, qint64 t1, qint64 w)
{
    std::map<qint64, std::pair<TimePoint, TimePoint>> out;
    for (size_t i = 0; i < b.size(); ++i) {
        const TimePoint &p = b.at(i);
        if (p.t < t0 || p.t > t1)
            continue;
        const qint64 key = Decimator::bucketKey(p.t, w);
        auto [it, inserted] = out.try_emplace(key, p, p);
        if (!inserted) {
            if (p.v < it->second.first.v)
                it->second.first = p;
            if (p.v > it->second.second.v)
                it->second.second = p;
        }
    }
    return out;
}

}  // namespace

Q_DECLARE_METATYPE(Move)

class TstUiDecimation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bucketWidthIsStableAndBounded()
    {
        for (qint64 span : {qint64(1), qint64(999), qint64(2000), qint64(300'000), qint64(3'600'000), qint64(50'000'000)}) {
            for (int columns : {1, 50, 799, 1200}) {
                const qint64 w = Decimator::bucketMs(span, columns);
                QVERIFY(w >= 1);
                // Never more buckets than columns (plus the two partial ones at the edges) ...
                QVERIFY2(double(w) * columns >= double(span), qPrintable(QString::number(span)));
                // ... and not needlessly coarse: within one 2^(1/4) step of span/columns (rounded up).
                QVERIFY(w <= qint64(double(span) / columns * 1.19 + 2));
            }
        }
        // A span that grows a little keeps its width (the cache survives).
        QCOMPARE(Decimator::bucketMs(3'600'000, 1000), Decimator::bucketMs(3'600'500, 1000));
    }

    void alignedMatchesBruteForce()
    {
        TimeSeriesBuffer b(5000);
        std::mt19937 rng(3);
        std::uniform_int_distribution<int> dt(0, 40);
        std::normal_distribution<double> step(0, 1);
        qint64 t = -20'000;  // crosses the epoch: keys must floor, not truncate
        double v = 0;
        for (int i = 0; i < 8000; ++i) {
            t += dt(rng);
            v += step(rng);
            b.append(t, v);
        }
        for (qint64 w : {qint64(1), qint64(7), qint64(100), qint64(5000)}) {
            const qint64 t0 = b.at(100).t + 3, t1 = b.at(4000).t - 2;
            DecimationStats stats;
            const auto out = Decimator::minMaxAligned(b, t0, t1, w, &stats);
            const auto ref = bruteForce(b, t0, t1, w);
            QList<QPointF> expected;
            expected << QPointF(double(b.at(b.lowerBound(t0) - 1).t), b.at(b.lowerBound(t0) - 1).v);
            for (const auto &[key, lohi] : ref) {
                const auto &[lo, hi] = lohi;
                const TimePoint &first = lo.t <= hi.t ? lo : hi, &second = lo.t <= hi.t ? hi : lo;
                expected << QPointF(double(first.t), first.v);
                if (!(lo.t == hi.t && lo.v == hi.v))
                    expected << QPointF(double(second.t), second.v);
            }
            expected << QPointF(double(b.at(b.upperBound(t1)).t), b.at(b.upperBound(t1)).v);
            QCOMPARE(QList<QPointF>(out.begin(), out.end()), expected);
            QCOMPARE(stats.inputPoints, b.upperBound(t1) - b.lowerBound(t0));
        }
    }

    void incrementalEqualsFull_data()
    {
        QTest::addColumn<Move>("move");
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("perStep");  // points appended per frame
        QTest::newRow("follow live") << Move::FollowLive << 100000 << 37;
        QTest::newRow("follow live, ring wraps") << Move::FollowLive << 3000 << 61;
        QTest::newRow("all data, ring wraps") << Move::AllData << 5000 << 45;
        QTest::newRow("all data, growing") << Move::AllData << 100000 << 45;
        QTest::newRow("parked while data arrives") << Move::Parked << 100000 << 50;
        QTest::newRow("pan left and right") << Move::Pan << 20000 << 20;
        QTest::newRow("zoom in and out") << Move::Zoom << 20000 << 20;
        QTest::newRow("newest point updated in place") << Move::Upsert << 2000 << 3;
        QTest::newRow("cleared and refilled") << Move::Refill << 10000 << 40;
        QTest::newRow("view before, after and around data") << Move::OutsideData << 4000 << 25;
        QTest::newRow("one point per frame") << Move::FollowLive << 500 << 1;
    }

    void incrementalEqualsFull()
    {
        QFETCH(Move, move);
        QFETCH(int, capacity);
        QFETCH(int, perStep);
        TimeSeriesBuffer b{size_t(capacity)};
        MinMaxCache cache;
        std::mt19937 rng(11);
        std::uniform_int_distribution<int> dt(0, 30);  // 0: equal times happen
        std::normal_distribution<double> step(0, 1);
        std::uniform_real_distribution<double> unit(0, 1);
        qint64 t = 1'700'000'000'000LL;
        double v = 100;
        auto grow = [&](int n) {
            for (int i = 0; i < n; ++i) {
                t += dt(rng);
                v += step(rng);
                if (move == Move::Upsert)
                    b.upsertLast(t / 50 * 50, v);  // sparkline-like: the newest point changes in place
                else
                    b.append(t, v);
            }
        };
        grow(4000);
        const int columns = 300;
        qint64 span = 20'000, end = t;
        size_t scannedTotal = 0, fullTotal = 0;
        for (int frame = 0; frame < 150; ++frame) {
            grow(perStep);
            qint64 t0 = 0, t1 = 0;
            switch (move) {
            case Move::FollowLive:
            case Move::Upsert: t1 = b.last().t; t0 = t1 - span; break;
            case Move::AllData: t0 = b.first().t; t1 = b.last().t; break;
            case Move::Parked: t1 = end; t0 = t1 - span; break;
            case Move::Pan:
                end += qint64((unit(rng) - 0.5) * 0.3 * double(span));
                t1 = end;
                t0 = t1 - span;
                break;
            case Move::Zoom:
                span = std::clamp<qint64>(qint64(double(span) * (0.7 + 0.6 * unit(rng))), 500, 200'000);
                t1 = b.last().t;
                t0 = t1 - span;
                break;
            case Move::Refill:
                if (frame % 40 == 39) {
                    b.clear();
                    t -= 60'000;  // the next run overlaps the old one in time: only the generation tells
                    grow(3000);
                }
                t1 = b.last().t;
                t0 = t1 - span;
                break;
            case Move::OutsideData: {
                const qint64 offsets[] = {-200'000, -15'000, 0, 15'000, 200'000};
                t1 = b.last().t + offsets[frame % 5];
                t0 = t1 - span;
                break;
            }
            }
            const qint64 w = Decimator::bucketMs(t1 - t0, columns);
            DecimationStats fullStats, incStats;
            const auto full = Decimator::minMaxAligned(b, t0, t1, w, &fullStats);
            const auto inc = cache.decimate(b, t0, t1, w, &incStats);
            QCOMPARE(QList<QPointF>(inc.begin(), inc.end()), QList<QPointF>(full.begin(), full.end()));
            QCOMPARE(incStats.inputPoints, fullStats.inputPoints);
            QCOMPARE(incStats.minValue, fullStats.minValue);
            QCOMPARE(incStats.maxValue, fullStats.maxValue);
            QVERIFY(cache.cachedBuckets() <= size_t(columns) + 2);
            scannedTotal += cache.lastScannedPoints();
            fullTotal += fullStats.inputPoints;
        }
        // Following the live edge, the cache reads a small part of what a full scan reads.
        if (move == Move::FollowLive || move == Move::AllData)
            QVERIFY2(scannedTotal * 4 < fullTotal,
                     qPrintable(QStringLiteral("%1 of %2").arg(scannedTotal).arg(fullTotal)));
    }

    void volumeBarsAreOneStepOutline()
    {
        double maxVolume = -1;
        QVERIFY(Decimator::volumeOutline({}, 60000, &maxVolume).empty());
        QCOMPARE(maxVolume, 0.0);
        // Three one-minute bars, the third after a missing minute: down to zero at the hole.
        std::vector<CandlePoint> bars(3);
        bars[0].bucketStartMs = 0;
        bars[0].volume = 5;
        bars[1].bucketStartMs = 60000;
        bars[1].volume = 2;
        bars[2].bucketStartMs = 180000;
        bars[2].volume = 7;
        const auto out = Decimator::volumeOutline(bars, 60000, &maxVolume);
        const QList<QPointF> expected{{0, 0},      {0, 5},      {60000, 5},  {60000, 2},  {120000, 2}, {120000, 0},
                                      {180000, 0}, {180000, 7}, {240000, 7}, {240000, 0}};
        QCOMPARE(QList<QPointF>(out.begin(), out.end()), expected);
        QCOMPARE(maxVolume, 7.0);
        // A single bar takes the given width.
        const auto one = Decimator::volumeOutline({bars[0]}, 1000, &maxVolume);
        QCOMPARE(one.back(), QPointF(1000, 0));
    }

    void valueAxisStaysWhileValuesFit()
    {
        const auto first = nextValueRange(std::nullopt, 100, 110);
        QVERIFY(first);
        QCOMPARE(first->lo, 99.0);
        QCOMPARE(first->hi, 111.0);
        QVERIFY(!nextValueRange(first, 100.5, 109));    // inside, still uses most of it: keep
        QVERIFY(nextValueRange(first, 100, 111.5));     // breaks out at the top
        QVERIFY(nextValueRange(first, 98, 105));        // breaks out at the bottom
        QVERIFY(nextValueRange(first, 104, 106));       // uses under half of it: zoom in
        const auto flat = nextValueRange(std::nullopt, 50, 50);
        QVERIFY(flat && flat->lo < 50 && flat->hi > 50);  // a flat line still gets a band
        QCOMPARE(nextValueRange(flat, 50, 50), flat);     // and the same one next frame
    }

    void copiesAndClearsRenewTheGeneration()
    {
        TimeSeriesBuffer a(10);
        a.append(1, 1);
        const quint64 g = a.generation();
        a.append(2, 2);
        QCOMPARE(a.generation(), g);  // growing keeps it
        TimeSeriesBuffer copy = a;
        QVERIFY(copy.generation() != g);
        a.clear();
        QVERIFY(a.generation() != g);
        TimeSeriesBuffer moved = std::move(copy);
        QCOMPARE(moved.size(), size_t(2));
        QVERIFY(copy.empty());  // NOLINT(bugprone-use-after-move): the documented moved-from state
        QVERIFY(copy.generation() != moved.generation());
    }
};

QTEST_GUILESS_MAIN(TstUiDecimation)
#include "tst_ui_decimation.moc"
