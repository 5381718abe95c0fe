// Feed gaps through the real pipeline: `marketstream --headless` replays a file (embedded broker →
// consumer → SQLite or PostgreSQL). A file with a hole gives exactly one feed_gaps row, a steady
// feed none, and replaying the same file again adds nothing (the gap is stored exactly once).
#include "headless_process.h"
#include "pg_server.h"
#include "sources/tick_recorder.h"
#include "storage/feed_gap_history.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using namespace ms::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kStartMs = 1764590400000; // 2025-12-01 12:00 UTC
constexpr int kTicksPerSymbol = 300;
constexpr qint64 kSpacingMs = 250; // 4 ticks/s per symbol, like a real feed
constexpr qint64 kHoleMs = 60000;

// BTC and ETH interleaved; with `hole`, BTC says nothing for a minute after its 150th tick.
// Returns the hole's [start, end] (the BTC ticks either side), or {0, 0}.
// With `splitPath`, the ticks from the hole on go to that file instead (a second run stores them).
std::pair<qint64, qint64> writeFeed(const QString &path, bool hole, const QString &splitPath = {})
{
    auto rec = TickRecorder::open(path);
    if (!rec.ok())
        return {-1, -1};
    std::vector<Tick> ticks;
    std::pair<qint64, qint64> span{0, 0};
    for (int i = 0; i < kTicksPerSymbol; ++i) {
        for (const char *sym : {"BTC", "ETH"}) {
            const bool btc = sym[0] == 'B';
            Tick t;
            t.source = SourceKind::Replay;
            t.symbol = sym;
            t.price = btc ? 60000 + i : 3000 + i;
            t.volume = 0.5;
            t.tsMs = kStartMs + i * kSpacingMs + (btc ? 0 : 7);
            if (hole && btc && i >= 150)
                t.tsMs += kHoleMs;
            if (hole && btc && i == 149)
                span.first = t.tsMs;
            if (hole && btc && i == 150)
                span.second = t.tsMs;
            t.id = std::string("r-") + sym + '-' + std::to_string(i);
            ticks.push_back(std::move(t));
        }
    }
    // The file in event-time order, as a recorder would have written it.
    std::stable_sort(ticks.begin(), ticks.end(),
                     [](const Tick &a, const Tick &b) { return a.tsMs < b.tsMs; });
    if (splitPath.isEmpty())
        return (*rec)->append(ticks).ok() ? span : std::pair<qint64, qint64>{-1, -1};
    auto second = TickRecorder::open(splitPath);
    const auto cut = std::find_if(ticks.begin(), ticks.end(),
                                  [&](const Tick &t) { return t.tsMs >= span.second; });
    if (!second.ok() || !(*rec)->append(std::span<const Tick>(ticks.begin(), cut)).ok() ||
        !(*second)->append(std::span<const Tick>(cut, ticks.end())).ok())
        return {-1, -1};
    return span;
}

} // namespace

class TestFeedGaps : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    PgServer m_pg;
    int m_databases = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
    }

    void replayedFeed_data()
    {
        QTest::addColumn<bool>("postgres");
        QTest::addColumn<bool>("hole");
        QTest::newRow("sqlite, hole: one gap") << false << true;
        QTest::newRow("sqlite, steady: none") << false << false;
        QTest::newRow("postgres, hole: one gap") << true << true;
        QTest::newRow("postgres, steady: none") << true << false;
    }

    void replayedFeed()
    {
        QFETCH(bool, postgres);
        QFETCH(bool, hole);
        const QString name = u"gaps%1"_s.arg(++m_databases);
        const QString file = m_dir.filePath(name + u".jsonl"_s);
        const auto [holeStart, holeEnd] = writeFeed(file, hole);
        QVERIFY(holeStart >= 0);
        QString url;
        if (postgres) {
            QVERIFY(m_pg.createDatabase(name));
            url = m_pg.url(name);
        } else {
            url = u"sqlite:///"_s + m_dir.filePath(name + u".db"_s);
        }
        const QString ticks = QString::number(2 * kTicksPerSymbol);
        for (int run = 1; run <= 2; ++run) {
            const HeadlessResult r =
                runApp({u"--headless"_s, u"--source"_s, u"replay:"_s + file, u"--replay-speed"_s,
                        u"0"_s, u"--db"_s, url, u"--max-ticks"_s, ticks},
                       120000, m_dir.path());
            QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.out + r.err));
            // The first run stores the gap; the replay stores no tick again, so it finds nothing.
            QCOMPARE(r.summary.value(u"feed_gaps"_s).toInteger(-1), run == 1 && hole ? 1 : 0);
            QCOMPARE(r.summary.value(u"stored"_s).toInteger(-1),
                     run == 1 ? 2 * kTicksPerSymbol : 0);
        }
        auto url2 = DatabaseUrl::parse(url);
        QVERIFY(url2.ok());
        const FeedGapHistory stored(*url2);
        const qint64 end = kStartMs + kHoleMs + kTicksPerSymbol * kSpacingMs + 1000;
        auto btc = stored.overlapping(AssetClass::Crypto, "BTC", kStartMs - 1000, end);
        auto eth = stored.overlapping(AssetClass::Crypto, "ETH", kStartMs - 1000, end);
        QVERIFY2(btc.ok() && eth.ok(), qPrintable(btc.ok() ? QString() : btc.errorMessage()));
        QCOMPARE(eth->size(), size_t(0));
        QCOMPARE(btc->size(), size_t(hole ? 1 : 0));
        if (hole) {
            const FeedGap &g = btc->front();
            QCOMPARE(int(g.kind), int(GapKind::Silence));
            QCOMPARE(g.source, SourceKind::Replay);
            QCOMPARE(g.startMs, holeStart);
            QCOMPARE(g.endMs, holeEnd);
            QCOMPARE(g.thresholdMs, qint64(5000)); // 20 x 250 ms is under the floor
            QVERIFY(g.detectedAtMs > kStartMs);
        }
    }

    // The ticks before the hole are stored by one run, those after it by the next: the detector's
    // state comes back from the database (feed_gap_state), so the second run still finds the gap,
    // once, and a third (a replay of the second file) adds nothing.
    void gapAcrossARestart_data()
    {
        QTest::addColumn<bool>("postgres");
        QTest::newRow("sqlite") << false;
        QTest::newRow("postgres") << true;
    }

    void gapAcrossARestart()
    {
        QFETCH(bool, postgres);
        const QString name = u"split%1"_s.arg(++m_databases);
        const QString first = m_dir.filePath(name + u"-1.jsonl"_s),
                      second = m_dir.filePath(name + u"-2.jsonl"_s);
        const auto [holeStart, holeEnd] = writeFeed(first, true, second);
        QVERIFY(holeStart > 0);
        QString url = u"sqlite:///"_s + m_dir.filePath(name + u".db"_s);
        if (postgres) {
            QVERIFY(m_pg.createDatabase(name));
            url = m_pg.url(name);
        }
        const QList<std::pair<QString, int>> runs{{first, 0}, {second, 1}, {second, 0}};
        for (const auto &[file, gaps] : runs) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QString ticks = QString::number(f.readAll().count('\n'));
            const HeadlessResult r =
                runApp({u"--headless"_s, u"--source"_s, u"replay:"_s + file, u"--replay-speed"_s,
                        u"0"_s, u"--db"_s, url, u"--max-ticks"_s, ticks},
                       120000, m_dir.path());
            QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.out + r.err));
            QCOMPARE(r.summary.value(u"feed_gaps"_s).toInteger(-1), gaps);
        }
        auto btc = FeedGapHistory(*DatabaseUrl::parse(url))
                       .overlapping(AssetClass::Crypto, "BTC", 0, holeEnd + 1);
        QVERIFY(btc.ok());
        QCOMPARE(btc->size(), size_t(1));
        QCOMPARE(btc->front().startMs, holeStart);
        QCOMPARE(btc->front().endMs, holeEnd);
    }

    void cleanupTestCase() { QVERIFY(m_pg.stop()); }
};

QTEST_GUILESS_MAIN(TestFeedGaps)
#include "tst_feed_gaps.moc"
