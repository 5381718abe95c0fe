// GapDetector: silence judged against the learned spacing in market time, provider sequence jumps,
// and a restore from stored state that finds exactly what an uninterrupted run finds.
#include "processing/gap_detector.h"
#include "processing/market_hours.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using namespace ms;

namespace {

qint64 utc(int y, int m, int d, int hh, int mm, int ss = 0)
{
    return QDateTime(QDate(y, m, d), QTime(hh, mm, ss), Qt::UTC).toMSecsSinceEpoch();
}

qint64 newYork(int y, int m, int d, int hh, int mm, int ss = 0)
{
    return QDateTime(QDate(y, m, d), QTime(hh, mm, ss), QTimeZone("America/New_York"))
        .toMSecsSinceEpoch();
}

struct Feed
{
    std::vector<Tick> ticks;
    SourceKind source = SourceKind::Replay;
    AssetClass asset = AssetClass::Crypto;
    std::string idPrefix = "r-";
    qint64 idStride = 1;
    qint64 nextId = 1000;

    // `n` ticks `spacingMs` apart from `fromMs` (the first at fromMs).
    Feed &run(qint64 fromMs, int n, qint64 spacingMs)
    {
        for (int i = 0; i < n; ++i) {
            Tick t;
            t.source = source;
            t.asset = asset;
            t.symbol = asset == AssetClass::Stock ? "AAPL" : "BTC";
            t.price = 100;
            t.volume = 1;
            t.tsMs = fromMs + i * spacingMs;
            t.id = idPrefix + std::to_string(nextId);
            nextId += idStride;
            ticks.push_back(std::move(t));
        }
        return *this;
    }
    Feed &skipIds(qint64 n)
    {
        nextId += n * idStride;
        return *this;
    }
    qint64 lastTs() const { return ticks.back().tsMs; }
};

struct ExpectedGap
{
    GapKind kind;
    qint64 startMs, endMs, missing;
};

} // namespace

Q_DECLARE_METATYPE(Feed)
Q_DECLARE_METATYPE(std::vector<ExpectedGap>)

class TestGapDetector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void detects_data();
    void detects();
    void restoreFindsWhatAnUninterruptedRunFinds();
    void learnedThresholdFollowsTheRate();
    void nyseSessionMatchesTheTimeZoneDatabase();
    void openMarketTimeSkipsNightsAndWeekends();
};

void TestGapDetector::detects_data()
{
    QTest::addColumn<Feed>("feed");
    QTest::addColumn<std::vector<ExpectedGap>>("expected");
    const qint64 t0 = utc(2026, 11, 24, 12, 0); // a Tuesday

    {
        Feed f;
        f.run(t0, 400, 250);
        QTest::newRow("steady crypto feed: none") << f << std::vector<ExpectedGap>{};
    }
    {
        Feed f;
        f.run(t0, 100, 250);
        const qint64 before = f.lastTs();
        f.run(before + 60000, 100, 250);
        QTest::newRow("60 s hole in a 4/s feed: one")
            << f << std::vector<ExpectedGap>{{GapKind::Silence, before, before + 60000, 0}};
    }
    {
        Feed f;
        f.run(t0, 5, 250);
        f.run(f.lastTs() + 60000, 100, 250);
        QTest::newRow("hole during the warm-up: not judged") << f << std::vector<ExpectedGap>{};
    }
    {
        Feed f;
        f.run(t0, 100, 100);
        f.run(f.lastTs() + 4900, 50, 100);
        QTest::newRow("pause under the 5 s floor: none") << f << std::vector<ExpectedGap>{};
    }
    {
        Feed f;
        f.run(t0, 100, 2000); // a slow feed: 20 x 2 s = 40 s allowed
        f.run(f.lastTs() + 30000, 50, 2000);
        QTest::newRow("30 s pause of a 0.5/s feed: none") << f << std::vector<ExpectedGap>{};
    }
    {
        Feed f;
        f.asset = AssetClass::Stock;
        const qint64 fri = newYork(2026, 11, 27, 15, 50);
        f.run(fri, 2400, 250); // until 15:59:59.75 New York time
        const qint64 before = f.lastTs();
        f.run(newYork(2026, 11, 30, 9, 30, 1), 100, 250);
        QTest::newRow("stock silent over the weekend: none") << f << std::vector<ExpectedGap>{};
        Q_UNUSED(before);
    }
    {
        Feed f;
        f.asset = AssetClass::Stock;
        f.run(newYork(2026, 11, 24, 15, 55), 1200, 250);
        f.run(newYork(2026, 11, 25, 9, 30, 2), 100, 250);
        QTest::newRow("stock silent overnight: none") << f << std::vector<ExpectedGap>{};
    }
    {
        Feed f;
        f.asset = AssetClass::Stock;
        f.run(newYork(2026, 11, 27, 13, 50), 100, 250);
        const qint64 before = f.lastTs();
        const qint64 after = newYork(2026, 11, 30, 10, 0);
        f.run(after, 100, 250);
        QTest::newRow("stock dead Friday afternoon to Monday 10:00: one")
            << f << std::vector<ExpectedGap>{{GapKind::Silence, before, after, 0}};
    }
    {
        Feed f;
        f.asset = AssetClass::Stock;
        f.run(newYork(2026, 11, 24, 11, 0), 100, 250);
        const qint64 before = f.lastTs();
        f.run(before + 600000, 100, 250);
        QTest::newRow("stock silent 10 min in the session: one")
            << f << std::vector<ExpectedGap>{{GapKind::Silence, before, before + 600000, 0}};
    }
    {
        Feed f;
        const qint64 fri = utc(2026, 11, 27, 22, 0);
        f.run(fri, 100, 250);
        const qint64 before = f.lastTs();
        const qint64 after = utc(2026, 11, 30, 8, 0);
        f.run(after, 100, 250);
        QTest::newRow("crypto silent over the weekend: one (it always trades)")
            << f << std::vector<ExpectedGap>{{GapKind::Silence, before, after, 0}};
    }
    {
        Feed f;
        f.source = SourceKind::Simulator;
        f.idPrefix = "sim-42-";
        f.idStride = 6; // six simulated symbols, round robin
        f.run(t0, 50, 250);
        const qint64 before = f.lastTs();
        f.skipIds(3);
        f.run(before + 1000, 50, 250);
        QTest::newRow("simulator: 3 ids missing, no silence: one sequence gap")
            << f << std::vector<ExpectedGap>{{GapKind::Sequence, before, before + 1000, 3}};
    }
    {
        Feed f;
        f.source = SourceKind::CryptoCompare;
        f.idPrefix = "t-Coinbase-USD-";
        f.run(t0, 50, 250);
        const qint64 before = f.lastTs();
        f.skipIds(7);
        f.run(before + 250, 50, 250);
        QTest::newRow("CryptoCompare Coinbase trades: one sequence gap")
            << f << std::vector<ExpectedGap>{{GapKind::Sequence, before, before + 250, 7}};
    }
    {
        Feed f;
        f.source = SourceKind::CryptoCompare;
        f.idPrefix = "t-Kraken-USD-";
        f.run(t0, 50, 250);
        f.skipIds(7);
        f.run(f.lastTs() + 250, 50, 250);
        QTest::newRow("CryptoCompare Kraken ids: not a sequence")
            << f << std::vector<ExpectedGap>{};
    }
    {
        Feed f;
        f.run(t0, 50, 250);
        f.skipIds(7);
        f.run(f.lastTs() + 250, 50, 250);
        QTest::newRow("replay ids: not a sequence") << f << std::vector<ExpectedGap>{};
    }
    {
        Feed f;
        f.source = SourceKind::Simulator;
        f.idPrefix = "sim-42-";
        for (int i = 0; i < 60; ++i) { // steps 1, 2, 1, 2, ...: no constant stride
            f.run(t0 + i * 250, 1, 250);
            f.skipIds(i % 2);
        }
        f.skipIds(100);
        f.run(t0 + 60 * 250, 20, 250);
        QTest::newRow("ids without a constant stride: never judged")
            << f << std::vector<ExpectedGap>{};
    }
}

void TestGapDetector::detects()
{
    QFETCH(Feed, feed);
    QFETCH(std::vector<ExpectedGap>, expected);
    GapDetector d;
    std::vector<FeedGap> found;
    for (const Tick &t : feed.ticks)
        d.add(t, 1234, found);
    QCOMPARE(found.size(), expected.size());
    for (size_t i = 0; i < found.size(); ++i) {
        QCOMPARE(int(found[i].kind), int(expected[i].kind));
        QCOMPARE(found[i].startMs, expected[i].startMs);
        QCOMPARE(found[i].endMs, expected[i].endMs);
        QCOMPARE(found[i].missing, expected[i].missing);
        QCOMPARE(found[i].detectedAtMs, qint64(1234));
        QCOMPARE(found[i].symbol, feed.ticks.front().symbol);
        if (found[i].kind == GapKind::Silence)
            QCOMPARE_GT(found[i].thresholdMs, qint64(0));
    }
}

void TestGapDetector::restoreFindsWhatAnUninterruptedRunFinds()
{
    Feed f;
    f.source = SourceKind::Simulator;
    f.idPrefix = "sim-7-";
    f.idStride = 3;
    const qint64 t0 = utc(2026, 11, 24, 12, 0);
    f.run(t0, 40, 300);
    f.skipIds(2);
    f.run(f.lastTs() + 90000, 40, 300); // silence and 2 missing ids at once
    f.run(f.lastTs() + 50000, 40, 300); // silence only
    GapDetector whole;
    std::vector<FeedGap> expected;
    for (const Tick &t : f.ticks)
        whole.add(t, 1, expected);
    QCOMPARE(expected.size(), size_t(3));

    for (size_t cut : {size_t(1), size_t(20), size_t(40), size_t(41), size_t(80), size_t(100)}) {
        GapDetector first;
        std::vector<FeedGap> found;
        std::vector<GapStreamState> states;
        for (size_t i = 0; i < cut; ++i) {
            first.add(f.ticks[i], 1, found);
            if (i % 7 == 0)
                first.takeChanged(states); // batches: the last state of a stream wins
        }
        first.takeChanged(states);
        GapDetector resumed;
        resumed.restore(states); // later rows of a stream replace earlier ones
        for (size_t i = cut; i < f.ticks.size(); ++i)
            resumed.add(f.ticks[i], 1, found);
        QCOMPARE(found, expected);
    }
}

void TestGapDetector::learnedThresholdFollowsTheRate()
{
    GapDetector d;
    std::vector<FeedGap> found;
    Feed fast;
    fast.run(utc(2026, 11, 24, 12, 0), 200, 1000); // 1/s: 20 s allowed
    for (const Tick &t : fast.ticks)
        d.add(t, 0, found);
    QCOMPARE(d.allowedSilenceMs(SourceKind::Replay, AssetClass::Crypto, "BTC"), qint64(20000));
    Feed warm;
    warm.run(utc(2026, 11, 24, 12, 0), 5, 1000);
    GapDetector cold;
    for (const Tick &t : warm.ticks)
        cold.add(t, 0, found);
    QCOMPARE(cold.allowedSilenceMs(SourceKind::Replay, AssetClass::Crypto, "BTC"),
             qint64(0)); // warming up
    QVERIFY(found.empty());
}

void TestGapDetector::nyseSessionMatchesTheTimeZoneDatabase()
{
    const QTimeZone ny("America/New_York");
    QVERIFY(ny.isValid());
    // Every 5th day from 2000 to 2099 (both sides of each daylight-time switch are among them).
    for (QDate d(2000, 1, 3); d.year() < 2100; d = d.addDays(5)) {
        const qint64 noon = QDateTime(d, QTime(12, 0), ny).toMSecsSinceEpoch();
        const SessionSpan s = nyseSessionOn(noon);
        if (d.dayOfWeek() >= 6) {
            QCOMPARE(s.closeMs, qint64(0));
            continue;
        }
        QCOMPARE(s.openMs, QDateTime(d, QTime(9, 30), ny).toMSecsSinceEpoch());
        QCOMPARE(s.closeMs, QDateTime(d, QTime(16, 0), ny).toMSecsSinceEpoch());
    }
}

void TestGapDetector::openMarketTimeSkipsNightsAndWeekends()
{
    const qint64 fri1500 = newYork(2026, 11, 27, 15, 0);
    const qint64 mon1000 = newYork(2026, 11, 30, 10, 0);
    QCOMPARE(openMarketMs(AssetClass::Stock, fri1500, mon1000), qint64(90) * 60000); // 1 h + 30 min
    QCOMPARE(openMarketMs(AssetClass::Crypto, fri1500, mon1000), mon1000 - fri1500);
    // A whole week: five sessions of 6.5 h.
    QCOMPARE(openMarketMs(AssetClass::Stock, fri1500, fri1500 + 7 * 86400000LL),
             qint64(5) * 390 * 60000);
    QCOMPARE(openMarketMs(AssetClass::Stock, mon1000, fri1500), qint64(0)); // backwards
}

QTEST_GUILESS_MAIN(TestGapDetector)
#include "tst_gap_detector.moc"
