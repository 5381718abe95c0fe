// The runtime's thread holders (runtime/owned_threads.h): a SourceThread owns its source and
// destroys it on its own thread once the loop ends; OwnedThreads joins against one deadline and
// names what missed it. No Kafka here, so this one also runs under ThreadSanitizer (tsan preset).
#include "runtime/owned_threads.h"
#include "sources/simulator_source.h"

#include <QSemaphore>
#include <QTest>
#include <atomic>

using namespace ms;

class TstOwnedThreads : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sourceLivesAndDiesOnItsThread()
    {
        SimulatorSourceOptions o;
        o.market.symbols = {{"BTC", AssetClass::Crypto}};
        o.rate = 2000;
        auto source = std::make_unique<SimulatorSource>(o);
        std::atomic<qint64> ticks{0};
        source->setTickSink([&ticks](std::span<const Tick> t) {
            ticks.fetch_add(qint64(t.size()));
            return t.size();
        });
        QThread *destroyedOn = nullptr;
        QSemaphore destroyed;
        QObject::connect(
            source.get(), &QObject::destroyed, source.get(),
            [&] {
                destroyedOn = QThread::currentThread();
                destroyed.release();
            },
            Qt::DirectConnection);

        OwnedThreads threads;
        SourceThread *thread = threads.adopt(std::make_unique<SourceThread>(std::move(source)));
        thread->setObjectName(QStringLiteral("source-simulator"));
        QCOMPARE(thread->source()->thread(), thread); // moved there before it starts
        thread->start();
        QMetaObject::invokeMethod(thread->source(), &Source::start, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(ticks.load() > 0, 10000);

        thread->requestStop();
        QCOMPARE(threads.joinAll(QDeadlineTimer(10000)), QStringList());
        QVERIFY(threads.allFinished());
        QVERIFY(destroyed.tryAcquire(1, 0)); // destroyed by the time the thread was joined
        QCOMPARE(destroyedOn, static_cast<QThread *>(thread));
    }

    void aSourceThatNeverRanIsDeletedWithItsThread()
    {
        SimulatorSourceOptions o;
        o.market.symbols = {{"ETH", AssetClass::Crypto}};
        auto source = std::make_unique<SimulatorSource>(o);
        bool destroyed = false;
        QObject::connect(
            source.get(), &QObject::destroyed, source.get(), [&] { destroyed = true; },
            Qt::DirectConnection);
        {
            OwnedThreads threads;
            threads.adopt(std::make_unique<SourceThread>(std::move(source)));
        }
        QVERIFY(destroyed);
    }

    void joinAllNamesWhatMissedTheDeadline()
    {
        QSemaphore release;
        OwnedThreads threads;
        threads.startFunction(QStringLiteral("quick"), [] {});
        threads.startFunction(QStringLiteral("stuck"),
                              [&release] { release.tryAcquire(1, 30000); });
        QCOMPARE(threads.joinAll(QDeadlineTimer(200)), QStringList{QStringLiteral("stuck")});
        QVERIFY(!threads.allFinished());
        release.release();
        QCOMPARE(threads.joinAll(QDeadlineTimer(10000)), QStringList());
        QVERIFY(threads.allFinished());
    }
};

QTEST_GUILESS_MAIN(TstOwnedThreads)
#include "tst_owned_threads.moc"
