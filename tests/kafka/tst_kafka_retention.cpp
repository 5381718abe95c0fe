// The embedded broker keeps only ~5 MiB per partition and deletes older data silently. With
// FlowControl a lagging consumer loses nothing even when ≥ 3× the retention goes through one
// partition; without it the same run loses messages, and the consumer reports the loss
// (offset out of range) instead of skipping silently.
#include "kafka/consumer.h"
#include "kafka/embedded_broker.h"
#include "kafka/flow_control.h"
#include "kafka/producer.h"
#include "kafka_test_util.h"

#include <QRandomGenerator>
#include <QTest>

#include <thread>

using namespace ms::kafka;

namespace {

constexpr int kMessageBytes = 4096;
constexpr int64_t kRetentionBytes = 5 * 1024 * 1024;
constexpr int kMessages = int(3 * kRetentionBytes / kMessageBytes) + 200;  // > 3× retention

// Incompressible payloads: the broker's retention counts stored (lz4-compressed) bytes.
std::string payload(int i)
{
    std::string s(kMessageBytes, '\0');
    QRandomGenerator rng(static_cast<quint32>(i) + 1);
    for (char &c : s)
        c = static_cast<char>('!' + rng.bounded(90));
    const std::string seq = std::to_string(i) + ":";
    s.replace(0, seq.size(), seq);
    return s;
}

int sequenceOf(std::string_view value)
{
    return std::stoi(std::string(value.substr(0, value.find(':'))));
}

}  // namespace

class TestKafkaRetention : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void flowControlLosesNothingWithALaggingConsumer()
    {
        auto b = EmbeddedBroker::start({TopicSpec{QStringLiteral("one"), 1}}, 1);
        QVERIFY2(b.ok(), qPrintable(b.errorMessage()));
        FlowControl flow;  // defaults: 2 MiB / 40k messages per partition
        auto p = Producer::create(test::settingsFor(*b.value()), &flow);
        QVERIFY(p.ok());
        std::atomic_bool stop{false};

        std::thread producer([&] {
            for (int i = 0; i < kMessages && !stop; ++i) {
                if (!p.value()->produce("one", "BTC", payload(i), stop).ok())
                    return;
            }
        });

        AssignmentHandler h;
        h.onAssigned = [](const std::vector<TopicPartition> &tps) {
            return std::vector<std::optional<int64_t>>(tps.size(), int64_t(0));
        };
        h.onRevoked = [&](const std::vector<TopicPartition> &tps) {
            for (const auto &tp : tps)
                flow.reset(tp.topic, tp.partition);
        };
        auto c = Consumer::create(test::consumerSettingsFor(*b.value()), QStringLiteral("lagging"),
                                  {QStringLiteral("one")}, h);
        QVERIFY(c.ok());
        std::vector<bool> seen(kMessages, false);
        int count = 0, duplicates = 0;
        std::vector<ConsumerError> errors;
        QDeadlineTimer deadline(90000);
        while (count < kMessages && !deadline.hasExpired()) {
            MessageBatch batch = c.value()->poll(64, 100);
            errors.insert(errors.end(), batch.errors.begin(), batch.errors.end());
            int64_t bytes = 0;
            for (const Message &m : batch.messages) {
                const int seq = sequenceOf(m.value());
                if (seen[seq])
                    ++duplicates;
                seen[seq] = true;
                ++count;
                bytes += m.flowBytes();
            }
            QThread::msleep(2);  // a slow "database commit" per batch: the consumer lags
            if (!batch.messages.empty())
                flow.release("one", 0, bytes, int64_t(batch.messages.size()));
        }
        stop = true;
        flow.wakeAll();
        producer.join();
        QCOMPARE(count, kMessages);
        QCOMPARE(duplicates, 0);
        QCOMPARE(std::count(seen.begin(), seen.end(), false), 0);
        for (const ConsumerError &e : errors)
            QVERIFY2(e.code != u"offset_out_of_range", qPrintable(e.message));
        QVERIFY2(flow.throttledCount() > 0, "the producer should have been throttled at least once");
        QCOMPARE(p.value()->failed(), 0);
        QVERIFY(c.value()->close(3000));
    }

    void withoutFlowControlTheSameRunLosesAndReportsIt()
    {
        auto b = EmbeddedBroker::start({TopicSpec{QStringLiteral("one"), 1}}, 1);
        QVERIFY2(b.ok(), qPrintable(b.errorMessage()));
        auto p = Producer::create(test::settingsFor(*b.value()), nullptr);
        QVERIFY(p.ok());
        std::atomic_bool stop{false};
        for (int i = 0; i < kMessages; ++i)
            QVERIFY(p.value()->produce("one", "BTC", payload(i), stop).ok());
        QCOMPARE(p.value()->flush(30000), 0);
        QCOMPARE(p.value()->delivered(), kMessages);

        // The consumer's stored position is 0: it fell off the log meanwhile.
        AssignmentHandler h;
        h.onAssigned = [](const std::vector<TopicPartition> &tps) {
            return std::vector<std::optional<int64_t>>(tps.size(), int64_t(0));
        };
        auto c = Consumer::create(test::consumerSettingsFor(*b.value()), QStringLiteral("late"),
                                  {QStringLiteral("one")}, h);
        QVERIFY(c.ok());
        std::vector<ConsumerError> errors;
        int count = 0;
        int firstSeq = -1;
        QDeadlineTimer deadline(60000);
        // Consume until the end of the log (high watermark reached).
        while (!deadline.hasExpired()) {
            MessageBatch batch = c.value()->poll(1000, 200);
            errors.insert(errors.end(), batch.errors.begin(), batch.errors.end());
            for (const Message &m : batch.messages) {
                if (firstSeq < 0)
                    firstSeq = sequenceOf(m.value());
                ++count;
            }
            const auto lag = c.value()->lag();
            if (count > 0 && !lag.empty() && lag.front().lag == 0)
                break;
        }
        QVERIFY2(count > 0, "the consumer should continue from the earliest offset");
        QVERIFY2(count < kMessages, "without flow control the broker must have deleted unread data");
        int64_t reportedLost = 0;
        int reports = 0;
        for (const ConsumerError &e : errors) {
            if (e.code != u"offset_out_of_range")
                continue;
            ++reports;
            QCOMPARE(e.topic, std::string("one"));
            QCOMPARE(e.partition, 0);
            QCOMPARE(e.offset, 0);
            QVERIFY2(e.message.contains(u"lost"), qPrintable(e.message));
            reportedLost += e.lostMessages;
        }
        QCOMPARE(reports, 1);
        // Every missing message is accounted for by the report: nothing skipped silently.
        QCOMPARE(reportedLost, int64_t(kMessages - count));
        QCOMPARE(firstSeq, int(reportedLost));
        QVERIFY(c.value()->close(3000));
    }

    void storedPositionBeyondTheLogIsReported()
    {
        // A fresh embedded broker (new process) while the database still holds old positions.
        auto b = EmbeddedBroker::start({TopicSpec{QStringLiteral("fresh"), 1}}, 1);
        QVERIFY(b.ok());
        auto p = Producer::create(test::settingsFor(*b.value()));
        QVERIFY(p.ok());
        std::atomic_bool stop{false};
        for (int i = 0; i < 10; ++i)
            QVERIFY(p.value()->produce("fresh", "BTC", std::to_string(i), stop).ok());
        QCOMPARE(p.value()->flush(10000), 0);
        AssignmentHandler h;
        h.onAssigned = [](const std::vector<TopicPartition> &tps) {
            return std::vector<std::optional<int64_t>>(tps.size(), int64_t(5000));
        };
        auto c = Consumer::create(test::consumerSettingsFor(*b.value()), QStringLiteral("stale"),
                                  {QStringLiteral("fresh")}, h);
        QVERIFY(c.ok());
        std::vector<ConsumerError> errors;
        std::vector<int64_t> offsets;
        test::consumeUntil(*c.value(), 10, 30000, [&](const Message &m) { offsets.push_back(m.offset()); }, &errors);
        QCOMPARE(offsets.size(), size_t(10));
        QCOMPARE(offsets.front(), 0);  // continued from the earliest offset
        QCOMPARE(errors.size(), size_t(1));
        QCOMPARE(errors.front().code, QStringLiteral("offset_out_of_range"));
        QCOMPARE(errors.front().offset, 5000);
        QVERIFY2(errors.front().message.contains(u"beyond"), qPrintable(errors.front().message));
    }
};

QTEST_GUILESS_MAIN(TestKafkaRetention)
#include "tst_kafka_retention.moc"
