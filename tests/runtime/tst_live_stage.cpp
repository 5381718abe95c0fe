// The GUI hand-off: consumers push into bounded rings and never wait on the GUI.
#include "runtime/live_stage.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <atomic>

using namespace ms;

namespace {

// Counts every construction and assignment, to check the work a push does.
struct Counted
{
    static inline std::atomic<qint64> copies{0};
    int value = 0;
    Counted(int v = 0) : value(v) {}
    Counted(const Counted &o) : value(o.value) { ++copies; }
    Counted &operator=(const Counted &o)
    {
        value = o.value;
        ++copies;
        return *this;
    }
};

std::vector<Tick> ticks(int from, int count)
{
    std::vector<Tick> out;
    out.resize(size_t(count));
    for (int i = 0; i < count; ++i) {
        out[size_t(i)].symbol = "BTC";
        out[size_t(i)].tsMs = from + i;
        out[size_t(i)].id = std::to_string(from + i);
    }
    return out;
}

} // namespace

class TstLiveStage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pushIntoAFullRingTouchesOnlyTheNewItems()
    {
        DropOldestRing<Counted> ring;
        ring.setCapacity(100000);
        std::vector<Counted> many(100000);
        ring.push(many);
        const std::vector<Counted> few{Counted(1), Counted(2), Counted(3)};
        Counted::copies = 0;
        QCOMPARE(ring.push(few), size_t(3));
        // O(1) per pushed item: three assignments, not a shift of the 100k held ones.
        QCOMPARE(Counted::copies.load(), qint64(3));
        std::vector<Counted> out;
        ring.copyTo(out);
        QCOMPARE(out.size(), size_t(100000));
        QCOMPARE(out[out.size() - 3].value, 1);
        QCOMPARE(out.back().value, 3);
    }

    void producerCompletesWhileTheGuiSideIsHeld_data()
    {
        QTest::addColumn<int>("pushes");
        QTest::addColumn<int>("perPush");
        QTest::addColumn<int>("capacity");
        QTest::newRow("fits") << 10 << 50 << 1000;
        QTest::newRow("exactly full") << 20 << 50 << 1000;
        QTest::newRow("GUI far behind") << 4000 << 100 << 200000;
    }
    void producerCompletesWhileTheGuiSideIsHeld()
    {
        QFETCH(int, pushes);
        QFETCH(int, perPush);
        QFETCH(int, capacity);
        LiveStage stage;
        stage.setEnabled(true, size_t(capacity));
        // The GUI side holds a batch it took and takes nothing more while the consumer pushes.
        LiveBatch held = stage.take();
        QVERIFY(held.ticks.empty());
        std::vector<std::vector<Tick>> batches;
        for (int p = 0; p < pushes; ++p)
            batches.push_back(ticks(p * perPush, perPush));
        const std::vector<Candle> candles(size_t(perPush), Candle{});
        std::atomic<qint64> slowestPushNs{0};
        QThread *consumer = QThread::create([&] {
            for (const auto &b : batches) {
                QElapsedTimer timer;
                timer.start();
                stage.add(b, candles, {});
                slowestPushNs = std::max(slowestPushNs.load(), timer.nsecsElapsed());
            }
        });
        consumer->start();
        QVERIFY(consumer->wait(60000)); // completes with nobody taking
        delete consumer;
        qInfo("slowest push of %d ticks into a ring of %d: %.3f ms", perPush, capacity,
              double(slowestPushNs.load()) / 1e6);

        const qint64 pushed = qint64(pushes) * perPush;
        const LiveBatch batch = stage.take();
        const qint64 expectedKept = std::min<qint64>(pushed, capacity);
        QCOMPARE(qint64(batch.ticks.size()), expectedKept);
        QCOMPARE(batch.droppedTicks, pushed - expectedKept);
        const qint64 keptCandles = std::min<qint64>(pushed, qint64(LiveStage::kMaxCandles));
        QCOMPARE(qint64(batch.candles.size()), keptCandles);
        QCOMPARE(batch.droppedCandles, pushed - keptCandles);
        // The newest survive, oldest first.
        QCOMPARE(batch.ticks.front().tsMs, pushed - expectedKept);
        QCOMPARE(batch.ticks.back().tsMs, pushed - 1);
        for (size_t i = 1; i < batch.ticks.size(); ++i)
            QCOMPARE(batch.ticks[i].tsMs, batch.ticks[i - 1].tsMs + 1);
        // The counters restart with the next batch.
        const LiveBatch next = stage.take();
        QVERIFY(next.ticks.empty());
        QCOMPARE(next.droppedTicks, 0);
    }

    void everyPushedTickIsTakenOrCounted()
    {
        // A GUI that takes now and then while the consumer pushes: nothing vanishes uncounted,
        // and the storage recycled between takes keeps the order.
        LiveStage stage;
        stage.setEnabled(true, 1000);
        constexpr int kPushes = 3000, kPer = 7;
        std::atomic_bool done{false};
        QThread *consumer = QThread::create([&] {
            for (int p = 0; p < kPushes; ++p)
                stage.add(ticks(p * kPer, kPer), {}, {});
            done = true;
        });
        consumer->start();
        qint64 taken = 0, dropped = 0, lastTs = -1;
        bool ordered = true;
        auto drain = [&] {
            const LiveBatch b = stage.take();
            for (const Tick &t : b.ticks) {
                ordered = ordered && t.tsMs > lastTs;
                lastTs = t.tsMs;
            }
            taken += qint64(b.ticks.size());
            dropped += b.droppedTicks;
        };
        while (!done)
            drain();
        QVERIFY(consumer->wait(60000));
        delete consumer;
        drain();
        QVERIFY(ordered);
        QCOMPARE(taken + dropped, qint64(kPushes) * kPer);
        QCOMPARE(lastTs, qint64(kPushes) * kPer - 1);
    }

    void disabledStagesNothing()
    {
        LiveStage stage;
        stage.add(ticks(0, 10), {}, {});
        QVERIFY(stage.take().ticks.empty());
        stage.setEnabled(true, 1000);
        stage.add(ticks(0, 10), {}, {});
        stage.clear();
        QVERIFY(stage.take().ticks.empty());
    }
};

QTEST_GUILESS_MAIN(TstLiveStage)
#include "tst_live_stage.moc"
