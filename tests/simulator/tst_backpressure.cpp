// Back-pressure never freezes a source (issue #11): when its sink has no room, publish() returns at
// once, the source's own event loop keeps running (its timers fire), the status says "throttled",
// generation pauses with a bounded backlog, and once there is room every tick arrives exactly once,
// in order, and the status is Running again. A finite source reports Finished only after its
// backlog was taken.
#include "sources/simulator_source.h"
#include "test_util.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <atomic>
#include <set>

using namespace ms;

namespace {
SimulatorOptions threeSymbols()
{
    SimulatorOptions m;
    m.seed = 7;
    m.startTimeMs =
        1700000000000LL; // fixed event time: two sources with one seed make the same ticks
    for (const char *s : {"BTC", "ETH"})
        m.symbols.push_back({s, AssetClass::Crypto});
    m.symbols.push_back({"AAPL", AssetClass::Stock});
    return m;
}
} // namespace

class TstBackpressure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullSinkThrottlesWithoutBlockingAndLosesNothing()
    {
        SimulatorSourceOptions o;
        o.market = threeSymbols();
        o.rate = 0; // flat out: the worst case for a blocked sink
        o.maxTicks = 30000;
        SimulatorSource src(o);
        std::atomic<size_t> room{5000}; // the sink takes this many, then nothing until told
        std::vector<std::string> received;
        src.setTickSink([&](std::span<const Tick> ticks) {
            const size_t n = std::min(room.load(), ticks.size());
            for (size_t i = 0; i < n; ++i)
                received.push_back(ticks[i].id);
            room -= n;
            return n;
        });
        QSignalSpy finished(&src, &Source::finished);
        QTimer heartbeat; // on the same thread as the source: it must keep firing
        int beats = 0;
        connect(&heartbeat, &QTimer::timeout, this, [&] { ++beats; });
        heartbeat.start(5);
        src.start();

        QVERIFY(ms::test::waitUntil([&] { return src.status().state == SourceState::Throttled; },
                                    10000));
        const int beatsWhenThrottled = beats;
        QVERIFY(ms::test::waitUntil([&] { return beats >= beatsWhenThrottled + 20; },
                                    10000)); // the loop runs
        const uint64_t generatedWhileFull = src.generated();
        QVERIFY(ms::test::waitUntil([&] { return beats >= beatsWhenThrottled + 40; }, 10000));
        QCOMPARE(src.generated(), generatedWhileFull); // generation paused: the backlog is bounded
        QCOMPARE(received.size(), size_t(5000));
        QCOMPARE(finished.count(), 0);

        room = std::numeric_limits<size_t>::max(); // the pipeline caught up
        QVERIFY(ms::test::waitUntil([&] { return finished.count() == 1; }, 20000));
        QCOMPARE(received.size(), size_t(30000));
        QCOMPARE(std::set<std::string>(received.begin(), received.end()).size(), size_t(30000));
        QVERIFY(src.status().state == SourceState::Finished);
        QCOMPARE(src.overflowedTicks(), qint64(0));
    }

    void backlogIsOfferedInOrder()
    {
        SimulatorSourceOptions o;
        o.market = threeSymbols();
        o.rate = 0;
        o.maxTicks = 4000;
        o.batchSize = 1000;
        SimulatorSource reference(o), throttled(o);
        std::vector<std::string> expected, got;
        reference.setTickHandler([&](std::span<const Tick> t) {
            for (const Tick &x : t)
                expected.push_back(x.id);
        });
        int calls = 0;
        throttled.setTickSink([&](std::span<const Tick> t) {
            const size_t n =
                ++calls % 2 ? std::min<size_t>(t.size(), 333) : 0; // a trickle with refusals
            for (size_t i = 0; i < n; ++i)
                got.push_back(t[i].id);
            return n;
        });
        QSignalSpy refDone(&reference, &Source::finished), thrDone(&throttled, &Source::finished);
        reference.start();
        throttled.start();
        QVERIFY(ms::test::waitUntil([&] { return refDone.count() == 1 && thrDone.count() == 1; },
                                    20000));
        QCOMPARE(got.size(), expected.size());
        QVERIFY(got == expected); // the same seed: the same ticks, in the same order
    }
};

QTEST_GUILESS_MAIN(TstBackpressure)
#include "tst_backpressure.moc"
