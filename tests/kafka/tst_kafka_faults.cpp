// Group behaviour and faults on the embedded broker: two consumers split the partitions, all
// brokers down → produce queues and delivers after they come back, a stop flag ends a blocked
// produce, consumer close is bounded even with the brokers gone, pause/resume.
#include "kafka/consumer.h"
#include "kafka/embedded_broker.h"
#include "kafka/flow_control.h"
#include "kafka/producer.h"
#include "kafka/topic_admin.h"
#include "kafka_test_util.h"

#include <QElapsedTimer>
#include <QTest>
#include <algorithm>
#include <set>
#include <thread>

using namespace ms::kafka;
using ms::Status;

namespace {

std::unique_ptr<EmbeddedBroker> startBroker(const QString &topic, int partitions)
{
    auto b = EmbeddedBroker::start({TopicSpec{topic, partitions}});
    return b.ok() ? std::move(b).value() : nullptr;
}

std::set<TopicPartition> asSet(const std::vector<TopicPartition> &v)
{
    return {v.begin(), v.end()};
}

}  // namespace

class TestKafkaFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void twoConsumersInOneGroupSplitThePartitions()
    {
        auto broker = startBroker(QStringLiteral("split"), 6);
        QVERIFY(broker);
        const auto settings = test::consumerSettingsFor(*broker);
        auto a = Consumer::create(settings, QStringLiteral("g-split"), {QStringLiteral("split")}, {});
        auto b = Consumer::create(settings, QStringLiteral("g-split"), {QStringLiteral("split")}, {});
        QVERIFY(a.ok() && b.ok());
        std::map<std::string, int> byValueA, byValueB;
        auto pollBoth = [&] {
            for (const Message &m : a.value()->poll(500, 50).messages)
                ++byValueA[std::string(m.value())];
            for (const Message &m : b.value()->poll(500, 50).messages)
                ++byValueB[std::string(m.value())];
        };
        QDeadlineTimer deadline(40000);
        while (!deadline.hasExpired()) {
            pollBoth();
            const auto sa = asSet(a.value()->assignment()), sb = asSet(b.value()->assignment());
            if (!sa.empty() && !sb.empty() && sa.size() + sb.size() == 6)
                break;
        }
        const auto sa = asSet(a.value()->assignment()), sb = asSet(b.value()->assignment());
        QVERIFY2(!sa.empty() && !sb.empty(), "both members should own partitions");
        QCOMPARE(sa.size() + sb.size(), size_t(6));
        for (const auto &tp : sa)
            QVERIFY(!sb.count(tp));

        auto p = Producer::create(test::settingsFor(*broker));
        QVERIFY(p.ok());
        std::atomic_bool stop{false};
        const int n = 600;
        for (int i = 0; i < n; ++i)
            QVERIFY(p.value()->produce("split", "SYM" + std::to_string(i % 37), "m" + std::to_string(i), stop).ok());
        QCOMPARE(p.value()->flush(10000), 0);
        QDeadlineTimer until(30000);
        while (byValueA.size() + byValueB.size() < size_t(n) && !until.hasExpired())
            pollBoth();
        QCOMPARE(byValueA.size() + byValueB.size(), size_t(n));  // each message exactly once...
        for (const auto &[v, count] : byValueA)
            QVERIFY(count == 1 && !byValueB.count(v));            // ...by exactly one member
        QVERIFY(!byValueA.empty() && !byValueB.empty());
        a.value()->close(3000);
        b.value()->close(3000);
    }

    void allBrokersDownThenProduceQueuesAndDeliversAfterUp()
    {
        auto broker = startBroker(QStringLiteral("outage"), 3);
        QVERIFY(broker);
        auto p = Producer::create(test::settingsFor(*broker));
        QVERIFY(p.ok());
        QVERIFY(p.value()->prepareTopics({QStringLiteral("outage")}).ok());
        QVERIFY(broker->setBrokerDown().ok());
        std::atomic_bool stop{false};
        const int n = 200;
        for (int i = 0; i < n; ++i)
            QVERIFY(p.value()->produce("outage", "K" + std::to_string(i % 5), "v", stop).ok());
        QVERIFY(p.value()->flush(1500) > 0);  // nothing can be delivered while down
        QCOMPARE(p.value()->delivered(), 0);
        QVERIFY(p.value()->clientErrors() > 0);  // the outage is visible to the health view
        QVERIFY(!p.value()->lastDeliveryError().isEmpty());
        QVERIFY(broker->setBrokerUp().ok());
        QCOMPARE(p.value()->flush(30000), 0);
        QCOMPARE(p.value()->delivered(), n);
        QCOMPARE(p.value()->failed(), 0);
    }

    void stopFlagEndsAProduceBlockedByFlowControl()
    {
        auto broker = startBroker(QStringLiteral("blocked"), 1);
        QVERIFY(broker);
        FlowControl flow(1000, 100);  // nobody consumes: the second message must wait
        auto p = Producer::create(test::settingsFor(*broker), &flow);
        QVERIFY(p.ok());
        std::atomic_bool stop{false};
        QVERIFY(p.value()->produce("blocked", "K", std::string(900, 'x'), stop).ok());
        Status second;
        std::atomic_bool returned{false};
        std::thread t([&] {
            second = p.value()->produce("blocked", "K", std::string(900, 'y'), stop);
            returned = true;
        });
        // The second produce waited for room at least once (the flow control counts it), and is
        // still waiting: nobody consumes, so only the stop flag can end it.
        QTRY_COMPARE_WITH_TIMEOUT(flow.throttledCount(), int64_t(1), 30000);
        QVERIFY(!returned.load());  // really blocked
        stop = true;
        t.join();                   // returns (the test would hit the ctest timeout otherwise)
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code, QStringLiteral("stopped"));
        QCOMPARE(flow.inFlightMessages("blocked", 0), 1);
    }

    void stopFlagEndsAProduceBlockedByAFullQueue()
    {
        auto broker = startBroker(QStringLiteral("full"), 1);
        QVERIFY(broker);
        KafkaSettings s = test::settingsFor(*broker);
        s.props.insert(QStringLiteral("queue.buffering.max.messages"), QStringLiteral("10"));
        auto p = Producer::create(s);
        QVERIFY(p.ok());
        p.value()->setShutdownFlushTimeoutMs(200);
        QVERIFY(p.value()->prepareTopics({QStringLiteral("full")}).ok());
        QVERIFY(broker->setBrokerDown().ok());
        std::atomic_bool stop{false};
        std::atomic_int queued{0};
        Status last;
        std::thread t([&] {
            for (int i = 0; i < 1000; ++i) {
                last = p.value()->produce("full", "K", "v", stop);
                if (!last.ok())
                    return;
                ++queued;
            }
        });
        // Waits for the local queue to fill (however slow the machine), then stops the producer
        // that is retrying the 11th: it must end with "stopped", not with the 11th queued.
        QTRY_COMPARE_WITH_TIMEOUT(queued.load(), 10, 30000);
        stop = true;
        t.join();
        QCOMPARE(queued.load(), 10);  // the local queue holds 10, the 11th waited until stop
        QVERIFY(!last.ok());
        QCOMPARE(last.error().code, QStringLiteral("stopped"));
        p.value().reset();            // bounded destructor: purges what brokers never took
    }

    void consumerCloseIsBoundedWithBrokersDown()
    {
        auto broker = startBroker(QStringLiteral("closing"), 2);
        QVERIFY(broker);
        std::vector<TopicPartition> revoked;
        AssignmentHandler h;
        h.onRevoked = [&](const std::vector<TopicPartition> &tps) { revoked.insert(revoked.end(), tps.begin(), tps.end()); };
        auto c = Consumer::create(test::consumerSettingsFor(*broker), QStringLiteral("g-close"),
                                  {QStringLiteral("closing")}, h);
        QVERIFY(c.ok());
        QDeadlineTimer deadline(20000);
        while (c.value()->assignment().empty() && !deadline.hasExpired())
            c.value()->poll(100, 100);
        QCOMPARE(c.value()->assignment().size(), size_t(2));

        // Pause / resume keep the assignment.
        QVERIFY(c.value()->pause().ok());
        QVERIFY(c.value()->paused());
        c.value()->poll(10, 50);
        QVERIFY(c.value()->resume().ok());
        QCOMPARE(c.value()->assignment().size(), size_t(2));

        QVERIFY(broker->setBrokerDown().ok());
        // The outage is surfaced as an error value next to (no) data.
        std::vector<ConsumerError> errors;
        QDeadlineTimer errDeadline(15000);
        while (errors.empty() && !errDeadline.hasExpired()) {
            MessageBatch b = c.value()->poll(10, 100);
            errors.insert(errors.end(), b.errors.begin(), b.errors.end());
        }
        QVERIFY2(!errors.empty(), "an all-brokers-down consumer should report an error");
        QVERIFY(!errors.front().message.isEmpty());
        QElapsedTimer timer;
        timer.start();
        c.value()->close(2000);
        c.value().reset();
        const qint64 ms = timer.elapsed();
        qInfo("consumer close with all brokers down took %lld ms", ms);
        QVERIFY2(ms < 10000, "close must be bounded");   // a bound, not a speed check
        QCOMPARE(revoked.size(), size_t(2));              // the caller heard about the loss
    }

    void authorizationFailureIsCountedAndSurfaced()
    {
        auto broker = startBroker(QStringLiteral("secured"), 1);
        QVERIFY(broker);
        auto p = Producer::create(test::settingsFor(*broker));
        QVERIFY(p.ok());
        QVERIFY(p.value()->prepareTopics({QStringLiteral("secured")}).ok());
        // The broker refuses the next Produce requests (ApiKey 0) as unauthorized.
        rd_kafka_mock_push_request_errors(broker->mockCluster(), 0, 3, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
                                          RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
                                          RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
        std::atomic_bool stop{false};
        QVERIFY(p.value()->produce("secured", "K", "v1", stop).ok());
        p.value()->flush(10000);
        QCOMPARE(p.value()->delivered(), 0);
        QCOMPARE(p.value()->failed(), 1);
        QVERIFY2(p.value()->lastDeliveryError().contains(u"uthoriz"), qPrintable(p.value()->lastDeliveryError()));
        // librdkafka marks the topic unauthorized: later produce() calls fail at once, with a
        // message naming the topic and the reason (the return value is checked, not ignored).
        const Status again = p.value()->produce("secured", "K", "v2", stop);
        QVERIFY(!again.ok());
        QVERIFY2(again.errorMessage().contains(u"secured") && again.errorMessage().contains(u"uthoriz"),
                 qPrintable(again.errorMessage()));
        QCOMPARE(p.value()->outstanding(), 0);
    }

    void refusedAssignmentStopsTheConsumerVisibly_data()
    {
        // librdkafka refuses an assignment only for what the client itself hands it (broker errors,
        // e.g. rd_kafka_mock_push_request_errors on JoinGroup/SyncGroup/OffsetFetch, delay or
        // retry a rebalance but never make assign() fail). Two inputs it refuses: a start offset
        // that is neither a real nor a known logical one (a corrupt stored position), and the
        // same partition twice.
        QTest::addColumn<int64_t>("start");
        QTest::addColumn<bool>("duplicate");
        QTest::newRow("invalid stored start offset") << int64_t(-7) << false;
        QTest::newRow("partition twice") << int64_t(0) << true;
    }

    void refusedAssignmentStopsTheConsumerVisibly()
    {
        QFETCH(int64_t, start);
        QFETCH(bool, duplicate);
        auto broker = startBroker(QStringLiteral("assigned"), 2);
        QVERIFY(broker);
        AssignmentHandler h;
        h.onAssigned = [&](const std::vector<TopicPartition> &tps) {
            return std::vector<std::optional<int64_t>>(tps.size(), std::optional<int64_t>(start));
        };
        auto c = Consumer::createUnsubscribed(test::consumerSettingsFor(*broker),
                                              QStringLiteral("refused"), h);
        QVERIFY2(c.ok(), qPrintable(c.errorMessage()));
        std::vector<TopicPartition> tps{TopicPartition{"assigned", 0}};
        if (duplicate)
            tps.push_back(TopicPartition{"assigned", 0});
        QVERIFY(c.value()->assignStatic(tps).ok());
        const MessageBatch batch = c.value()->poll(10, 100);
        const auto refused =
            std::find_if(batch.errors.begin(), batch.errors.end(), [](const ConsumerError &e) {
                return e.code == QLatin1String("assign_failed");
            });
        QVERIFY2(refused != batch.errors.end(), "the refused assignment was not reported");
        QVERIFY(refused->fatal); // partitions left unread: the consumer must stop, not go on deaf
        QVERIFY2(refused->message.contains(u"assigning partitions failed"),
                 qPrintable(refused->message));
        QVERIFY(c.value()->close(5000));
    }

    void topicAdminGivesAClearErrorWhenUnreachable()
    {
        KafkaSettings s;
        s.bootstrap = QStringLiteral("127.0.0.1:1");  // nothing listens there
        auto r = ensureTopics(s, {TopicSpec{QStringLiteral("crypto_topic"), 6}}, -1, true, 1000);
        QVERIFY(!r.ok());
        QVERIFY2(r.errorMessage().contains(u"CreateTopics") || r.errorMessage().contains(u"127.0.0.1:1"),
                 qPrintable(r.errorMessage()));
    }

    void topicAdminOnTheEmbeddedBrokerAnswers()
    {
        // The mock cluster has no Admin API: the call must come back (error or success), not hang.
        auto broker = startBroker(QStringLiteral("admin"), 2);
        QVERIFY(broker);
        auto r = ensureTopics(test::settingsFor(*broker), {TopicSpec{QStringLiteral("admin"), 2}}, -1, true, 2000);
        if (r.ok())
            QCOMPARE(r->created.size() + r->alreadyExisted.size(), qsizetype(2));
        else
            qInfo("embedded broker CreateTopics: %s", qPrintable(r.errorMessage()));
    }
};

QTEST_GUILESS_MAIN(TestKafkaFaults)
#include "tst_kafka_faults.moc"
