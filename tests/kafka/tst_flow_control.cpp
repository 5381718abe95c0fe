// FlowControl: bounded in-flight bytes/messages per partition, blocking, stop flag, resets.
#include "kafka/flow_control.h"

#include <QTest>

#include <thread>

using namespace ms::kafka;

class TestFlowControl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void admitsUpToTheLimitPerPartition()
    {
        FlowControl fc(1000, 100);
        QVERIFY(fc.tryAcquire("t", 0, 600));
        QVERIFY(fc.tryAcquire("t", 0, 400));
        QVERIFY(!fc.tryAcquire("t", 0, 1));      // full
        QVERIFY(fc.tryAcquire("t", 1, 1000));    // other partition: independent
        QVERIFY(fc.tryAcquire("u", 0, 1000));    // other topic: independent
        QCOMPARE(fc.inFlight("t", 0), 1000);
        QCOMPARE(fc.inFlightMessages("t", 0), 2);
        fc.release("t", 0, 600);
        QCOMPARE(fc.inFlight("t", 0), 400);
        QVERIFY(fc.tryAcquire("t", 0, 600));
        QCOMPARE(fc.totalInFlight(), 3000);
    }

    void messageCountLimit()
    {
        FlowControl fc(1'000'000, 3);
        for (int i = 0; i < 3; ++i)
            QVERIFY(fc.tryAcquire("t", 0, 1));
        QVERIFY(!fc.tryAcquire("t", 0, 1));
        fc.release("t", 0, 1);
        QVERIFY(fc.tryAcquire("t", 0, 1));
    }

    void oversizedMessageIsAdmittedWhenEmpty()
    {
        FlowControl fc(100, 10);
        QVERIFY(fc.tryAcquire("t", 0, 5000));   // alone: admitted, or it would wait forever
        QVERIFY(!fc.tryAcquire("t", 0, 1));
        fc.release("t", 0, 5000);
        QCOMPARE(fc.inFlight("t", 0), 0);
    }

    void releaseNeverGoesNegative()
    {
        FlowControl fc(100, 10);
        fc.release("t", 0, 50);                  // never acquired (external producer)
        QCOMPARE(fc.inFlight("t", 0), 0);
        QVERIFY(fc.tryAcquire("t", 0, 10));
        fc.release("t", 0, 500, 5);
        QCOMPARE(fc.inFlight("t", 0), 0);
        QCOMPARE(fc.inFlightMessages("t", 0), 0);
    }

    void acquireBlocksUntilRelease()
    {
        FlowControl fc(100, 10);
        std::atomic_bool stop{false};
        QVERIFY(fc.acquire("t", 0, 100, stop));
        std::atomic_bool acquired{false};
        std::thread producer([&] { acquired = fc.acquire("t", 0, 50, stop); });
        // The producer cannot get in while the partition is full: it is counted as throttled (it
        // waits) and stays out...
        QTRY_COMPARE_WITH_TIMEOUT(fc.throttledCount(), int64_t(1), 30000);
        QVERIFY(!acquired.load());
        QCOMPARE(fc.inFlight("t", 0), 100);
        // ...and gets in once the consumer committed and released.
        fc.release("t", 0, 100);
        producer.join();
        QVERIFY(acquired.load());
        QCOMPARE(fc.inFlight("t", 0), 50);
        QCOMPARE(fc.throttledCount(), 1);
    }

    void stopFlagEndsTheWait()
    {
        FlowControl fc(100, 10);
        std::atomic_bool stop{false};
        QVERIFY(fc.acquire("t", 0, 100, stop));
        std::atomic_int result{-1};
        std::thread producer([&] { result = fc.acquire("t", 0, 50, stop) ? 1 : 0; });
        QTRY_COMPARE_WITH_TIMEOUT(fc.throttledCount(), int64_t(1), 30000);  // it is waiting now
        stop = true;   // no wakeAll(): the short wait slices must notice it alone
        producer.join();
        QCOMPARE(result.load(), 0);
        QCOMPARE(fc.inFlight("t", 0), 100);  // nothing counted for the refused message
    }

    void resetUnblocksAfterRebalance()
    {
        // A consumer lost the partition: its uncommitted bytes will never be released by it.
        FlowControl fc(100, 10);
        std::atomic_bool stop{false};
        QVERIFY(fc.acquire("t", 3, 100, stop));
        std::atomic_bool acquired{false};
        std::thread producer([&] { acquired = fc.acquire("t", 3, 60, stop); });
        QTRY_COMPARE_WITH_TIMEOUT(fc.throttledCount(), int64_t(1), 30000);  // it is waiting now
        fc.reset("t", 3);
        producer.join();
        QVERIFY(acquired.load());
        // The new owner re-reads and releases the old bytes: clamped at zero, no double count.
        fc.release("t", 3, 100);
        QCOMPARE(fc.inFlight("t", 3), 0);
        fc.reset();
        QCOMPARE(fc.totalInFlight(), 0);
    }

    void concurrentProducersAndConsumerKeepTheBound()
    {
        const int64_t limit = 10'000;
        FlowControl fc(limit, 1'000'000);
        std::atomic_bool stop{false};
        std::atomic<int64_t> maxSeen{0};
        std::atomic<int64_t> queued{0};   // "in the broker": produced, not yet consumed
        const int perProducer = 20'000;
        auto produce = [&] {
            for (int i = 0; i < perProducer; ++i) {
                QVERIFY(fc.acquire("t", 0, 10, stop));
                const int64_t now = queued.fetch_add(10) + 10;
                int64_t m = maxSeen.load();
                while (now > m && !maxSeen.compare_exchange_weak(m, now)) {
                }
            }
        };
        std::thread p1(produce), p2(produce);
        int64_t consumed = 0;
        while (consumed < 2 * perProducer * 10) {
            const int64_t take = queued.exchange(0);
            if (take == 0) {
                std::this_thread::yield();
                continue;
            }
            consumed += take;
            fc.release("t", 0, take, take / 10);
        }
        p1.join();
        p2.join();
        QCOMPARE(consumed, int64_t(2) * perProducer * 10);
        QVERIFY2(maxSeen.load() <= limit, qPrintable(QString::number(maxSeen.load())));
    }
};

QTEST_GUILESS_MAIN(TestFlowControl)
#include "tst_flow_control.moc"
