// A Start right after a Stop: the previous run reports Stopped once its threads are joined, and its
// teardown (freeing librdkafka handles, ~1 s under load) follows on the control thread. start()
// must not wait for that teardown on its caller's thread (the GUI): it reports Starting at once and
// the new run begins once the teardown is over.
#include "runtime/pipeline.h"
#include "test_util.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>

using namespace ms;
using ms::test::waitUntil;

class TstPipelineRestart : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    PipelineConfig config(const QString &dbName)
    {
        PipelineConfig c;
        c.databaseUrl = QStringLiteral("sqlite://") + m_dir.filePath(dbName);
        c.rate = 200;
        return c;
    }

private Q_SLOTS:
    void startDoesNotWaitForThePreviousTeardown()
    {
        // The teardown is held until the test lets it go (at most 60 s, so a regression fails
        // instead of hanging): a start() that joined it would return only after the hook.
        QSemaphore teardownEntered, releaseTeardown;
        std::atomic_bool teardownLeft{false};
        std::atomic_int teardowns{0};
        Pipeline p;
        p.setTeardownHookForTesting([&] {
            if (teardowns.fetch_add(1) > 0)
                return; // only the first run's teardown is held
            teardownEntered.release();
            releaseTeardown.tryAcquire(1, 60000);
            teardownLeft = true;
        });
        QSignalSpy states(&p, &Pipeline::stateChanged);
        p.start(config(QStringLiteral("restart.db")));
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Running; }, 20000));
        QVERIFY(waitUntil([&] { return p.metrics().stored > 0; }, 20000));
        p.stop();
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Stopped; }, 5000));
        QVERIFY(
            teardownEntered.tryAcquire(1, 10000)); // the first run's teardown is under way, held
        QVERIFY(waitUntil([&] {
            return !states.isEmpty() &&
                   states.last().at(0).value<Pipeline::State>() == Pipeline::State::Stopped;
        }));
        states.clear();
        // The new run must not begin before the old one is freed: Running comes after the teardown.
        bool runningBeforeTeardownLeft = false;
        connect(&p, &Pipeline::stateChanged, this, [&](Pipeline::State s) {
            if (s == Pipeline::State::Running && !teardownLeft.load())
                runningBeforeTeardownLeft = true;
        });
        p.start(config(QStringLiteral("restart.db")));
        // start() returned while the teardown is still held: it did not join it.
        QVERIFY(!teardownLeft.load());
        QCOMPARE(toString(p.state()), toString(Pipeline::State::Starting));

        releaseTeardown.release();
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Running; }, 20000));
        QVERIFY(teardownLeft.load());
        QVERIFY(waitUntil([&] { return states.size() >= 2; }, 5000));
        QVERIFY(!runningBeforeTeardownLeft);
        QVERIFY(waitUntil([&] { return p.metrics().stored > 0; }, 20000)); // the new run stores
        QCOMPARE(toString(states.at(0).at(0).value<Pipeline::State>()),
                 toString(Pipeline::State::Starting));
        QCOMPARE(toString(states.at(1).at(0).value<Pipeline::State>()),
                 toString(Pipeline::State::Running));
        p.stop();
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Stopped; }, 5000));
    }

    void stopWhileWaitingForTheTeardownStopsCleanly()
    {
        QSemaphore teardownEntered, releaseTeardown;
        std::atomic_int teardowns{0};
        Pipeline p;
        p.setTeardownHookForTesting([&] {
            if (teardowns.fetch_add(1) > 0)
                return;
            teardownEntered.release();
            releaseTeardown.tryAcquire(1, 60000);
        });
        p.start(config(QStringLiteral("restart-stop.db")));
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Running; }, 20000));
        p.stop();
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Stopped; }, 5000));
        QVERIFY(teardownEntered.tryAcquire(1, 10000));
        p.start(config(QStringLiteral("restart-stop.db")));
        QCOMPARE(toString(p.state()), toString(Pipeline::State::Starting));
        p.stop(); // the queued start is cut short before it began
        QCOMPARE(toString(p.state()), toString(Pipeline::State::Stopping));
        releaseTeardown.release();
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Stopped; }, 10000));
        QCOMPARE(p.stateMessage(), QString());
        QCOMPARE(p.metrics().produced, 0); // the cancelled run started nothing
    }
};

QTEST_GUILESS_MAIN(TstPipelineRestart)
#include "tst_pipeline_restart.moc"
