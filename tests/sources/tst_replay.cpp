// ReplaySource and TickRecorder: record → replay round trip, CSV, bad lines, speed (count-based).
#include "source_probe.h"
#include "sources/replay_source.h"
#include "sources/tick_recorder.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using namespace ms::test;
using namespace Qt::StringLiterals;

namespace {

std::vector<Tick> sampleTicks(int n, qint64 t0, qint64 stepMs)
{
    std::vector<Tick> out;
    for (int i = 0; i < n; ++i) {
        Tick t;
        const bool stock = i % 3 == 2;
        t.source = stock ? SourceKind::Finnhub : SourceKind::CryptoCompare;
        t.kind = i % 2 ? TickKind::Quote : TickKind::Trade;
        t.asset = stock ? AssetClass::Stock : AssetClass::Crypto;
        t.symbol = stock ? "AAPL" : "BTC";
        t.currency = i % 5 == 4 ? "EUR" : "USD";
        t.price = 100.25 + i;
        t.volume = i % 4 == 0 ? 0.0 : 0.5 * i;
        t.tsMs = t0 + i * stepMs;
        t.id = "id-" + std::to_string(i);
        if (t.kind == TickKind::Quote) {
            t.open = 99.5;
            t.high = 120.0 + i;
            t.low = 90.0;
            if (stock)
                t.previousClose = 98.75;
        }
        out.push_back(std::move(t));
    }
    return out;
}

QString data(const char *name)
{
    return QStringLiteral(MS_SOURCE_DIR "/tests/data/sources/") + QLatin1String(name);
}

}  // namespace

class TestReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordThenReplayRoundTrip();
    void recorderAppends();
    void csvGolden();
    void csvTimestampColumn();
    void badLinesSkippedWithLineNumbers();
    void missingFile();
    void badCsvHeader();
    void dueOffsets();
    void speedIsRespectedCountBased();
    void stopMidway();
};

void TestReplay::recordThenReplayRoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"sub/record.jsonl"_s);
    const auto ticks = sampleTicks(2500, 1700000000000, 7);
    {
        auto rec = TickRecorder::open(path);
        QVERIFY2(rec.ok(), qPrintable(rec.errorMessage()));
        for (size_t i = 0; i < ticks.size(); i += 100)
            QVERIFY((*rec)->append(std::span<const Tick>(ticks).subspan(i, std::min<size_t>(100, ticks.size() - i))).ok());
        QCOMPARE((*rec)->written(), qint64(ticks.size()));
    }
    ReplaySource source(ReplayOptions{path, 0.0, AssetClass::Crypto, 300});
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return probe.finished == 1; }));
    QCOMPARE(probe.ticks.size(), ticks.size());
    for (size_t i = 0; i < ticks.size(); ++i)
        QCOMPARE(probe.ticks[i], ticks[i]);  // every field, asset included, event times unchanged
    QVERIFY(source.status().state == SourceState::Finished);
    QVERIFY(source.status().message.contains(u"2500 ticks"_s));
    QVERIFY(!probe.progress.isEmpty());
    QCOMPARE(probe.progress.last(), 1.0);
    QVERIFY(std::is_sorted(probe.progress.begin(), probe.progress.end()));
}

void TestReplay::recorderAppends()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"r.jsonl"_s);
    const auto ticks = sampleTicks(10, 1700000000000, 1);
    for (int round = 0; round < 2; ++round) {
        auto rec = TickRecorder::open(path);
        QVERIFY(rec.ok());
        QVERIFY((*rec)->append(std::span<const Tick>(ticks).subspan(size_t(round) * 5, 5)).ok());
    }
    ReplaySource source(ReplayOptions{path, 0.0});
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return probe.finished == 1; }));
    QCOMPARE(probe.ticks, ticks);
    QCOMPARE(TickRecorder::encodeLine(ticks[0]),
             std::string(R"({"v":1,"source":"cryptocompare","kind":"trade","symbol":"BTC","currency":"USD","price":100.25,"volume":0,"ts":1700000000000,"id":"id-0","asset":"crypto"})"));
    QVERIFY(!TickRecorder::open(u"/proc/nope/x.jsonl"_s).ok());
}

void TestReplay::csvGolden()
{
    ReplaySource source(ReplayOptions{data("replay_basic.csv"), 0.0});
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return probe.finished == 1; }));
    QCOMPARE(probe.ticks.size(), size_t(3));
    Tick a;
    a.source = SourceKind::Replay;
    a.kind = TickKind::Trade;
    a.asset = AssetClass::Crypto;
    a.symbol = "BTC";
    a.currency = "USD";
    a.price = 43000.5;
    a.volume = 0.12;
    a.tsMs = 1700000000123;
    a.id = "r-1";
    QCOMPARE(probe.ticks[0], a);
    Tick b;
    b.source = SourceKind::Finnhub;
    b.kind = TickKind::Quote;
    b.asset = AssetClass::Stock;
    b.symbol = "AAPL";
    b.currency = "USD";
    b.price = 170.1;
    b.volume = 0;
    b.tsMs = 1700000001000;
    b.id = "q-1700000001";
    b.open = 170;
    b.high = 171;
    b.low = 169.5;
    b.previousClose = 169.9;
    QCOMPARE(probe.ticks[1], b);
    Tick c = a;
    c.price = 43010;
    c.volume = 0.5;
    c.tsMs = 1700000002500;
    c.id = "csv-5";  // default id: the line number
    QCOMPARE(probe.ticks[2], c);
}

void TestReplay::csvTimestampColumn()
{
    ReplaySource source(ReplayOptions{data("replay_timestamp.csv"), 0.0});
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return probe.finished == 1; }));
    QCOMPARE(probe.ticks.size(), size_t(2));
    QCOMPARE(probe.ticks[0].tsMs, qint64(1712345678123));
    QCOMPARE(probe.ticks[1].tsMs, qint64(1712345680000));
    QCOMPARE(probe.ticks[1].price, 2001.0);
}

void TestReplay::badLinesSkippedWithLineNumbers()
{
    ReplaySource source(ReplayOptions{data("replay_bad_lines.jsonl"), 0.0});
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return probe.finished == 1; }));
    QCOMPARE(probe.ticks.size(), size_t(2));
    QCOMPARE(probe.ticks[0].id, std::string("sim-1"));
    QCOMPARE(probe.ticks[1].id, std::string("sim-5"));
    QVERIFY(probe.ticks[1].asset == AssetClass::Stock);
    QCOMPARE(source.skippedLines(), qint64(3));
    const QString all = probe.allMessages();
    QVERIFY2(all.contains(u"line 2:"_s) && all.contains(u"line 3:"_s) && all.contains(u"line 5:"_s), qPrintable(all));
    QVERIFY2(all.contains(u"price"_s), qPrintable(all));
    QVERIFY(source.status().state == SourceState::Finished);
    QVERIFY(source.status().message.contains(u"3 bad lines skipped (first at line 2"_s));
}

void TestReplay::missingFile()
{
    ReplaySource source(ReplayOptions{u"/nonexistent/ticks.jsonl"_s, 0.0});
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QCOMPARE(probe.finished, 1);
    QVERIFY(probe.sawState(SourceState::NotFound));
    QVERIFY(probe.firstOf(SourceState::NotFound).message.contains(u"/nonexistent/ticks.jsonl"_s));
    QVERIFY(probe.ticks.empty());
}

void TestReplay::badCsvHeader()
{
    QTemporaryDir dir;
    QFile f(dir.filePath(u"x.csv"_s));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("sym,px\nBTC,1\n");
    f.close();
    ReplaySource source(ReplayOptions{f.fileName(), 0.0});
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QCOMPARE(probe.finished, 1);
    QVERIFY(probe.sawState(SourceState::Malformed));
    QVERIFY(probe.firstOf(SourceState::Malformed).message.contains(u"symbol, price and ts"_s));
    QVERIFY(probe.ticks.empty());
}

void TestReplay::dueOffsets()
{
    QCOMPARE(ReplaySource::dueOffsetMs(1000, 1000, 1.0), qint64(0));
    QCOMPARE(ReplaySource::dueOffsetMs(61000, 1000, 1.0), qint64(60000));
    QCOMPARE(ReplaySource::dueOffsetMs(61000, 1000, 10.0), qint64(6000));
    QCOMPARE(ReplaySource::dueOffsetMs(61000, 1000, 0.0), qint64(0));
    QCOMPARE(ReplaySource::dueOffsetMs(500, 1000, 1.0), qint64(0));  // out of order: at once
}

void TestReplay::speedIsRespectedCountBased()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"spaced.jsonl"_s);
    {
        auto rec = TickRecorder::open(path);
        QVERIFY(rec.ok());
        // Ticks 1 ms apart, then one an hour later.
        auto ticks = sampleTicks(50, 1700000000000, 1);
        ticks.back().tsMs = 1700000000000 + 3600 * 1000;
        QVERIFY((*rec)->append(ticks).ok());
    }
    {   // x1: the first 49 ticks go out, the last waits an hour (we do not wait for it).
        ReplaySource source(ReplayOptions{path, 1.0});
        SourceProbe probe;
        probe.attach(source);
        source.start();
        QVERIFY(probe.waitForTicks(49));
        QTest::qWait(200);
        QCOMPARE(probe.ticks.size(), size_t(49));
        QCOMPARE(probe.finished, 0);
        source.stop();
        QCOMPARE(probe.finished, 1);
        QVERIFY(source.status().state == SourceState::Stopped);
    }
    {   // x10^7: the hour shrinks to 0.36 s and everything arrives, event times unchanged.
        ReplaySource source(ReplayOptions{path, 1e7});
        SourceProbe probe;
        probe.attach(source);
        source.start();
        QVERIFY(waitUntil([&] { return probe.finished == 1; }));
        QCOMPARE(probe.ticks.size(), size_t(50));
        QCOMPARE(probe.ticks.back().tsMs, qint64(1700000000000 + 3600 * 1000));
    }
}

void TestReplay::stopMidway()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"big.jsonl"_s);
    {
        auto rec = TickRecorder::open(path);
        QVERIFY(rec.ok());
        QVERIFY((*rec)->append(sampleTicks(20000, 1700000000000, 1)).ok());
    }
    ReplaySource source(ReplayOptions{path, 0.0, AssetClass::Crypto, 100});
    SourceProbe probe;
    // Stop from inside the handler after the third batch: nothing more may arrive.
    source.setTickHandler([&](std::span<const Tick> batch) {
        probe.ticks.insert(probe.ticks.end(), batch.begin(), batch.end());
        if (probe.ticks.size() >= 300)
            source.stop();
    });
    QObject::connect(&source, &Source::finished, &source, [&] { ++probe.finished; });
    source.start();
    QVERIFY(waitUntil([&] { return probe.finished == 1; }));
    QTest::qWait(50);
    QCOMPARE(probe.ticks.size(), size_t(300));
    QCOMPARE(probe.finished, 1);
}

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
