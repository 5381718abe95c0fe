// Producer → embedded broker → Consumer: keys, values, timestamps, headers, partitioning by key,
// an external client (kcat) reading the topic, dead letters, bad configuration.
#include "kafka/consumer.h"
#include "kafka/dead_letter.h"
#include "kafka/embedded_broker.h"
#include "kafka/partitioner.h"
#include "kafka/producer.h"
#include "kafka_test_util.h"

#include <QDateTime>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <map>
#include <set>

using namespace ms::kafka;
using ms::Status;

class TestKafkaRoundTrip : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<EmbeddedBroker> m_broker;
    std::atomic_bool m_stop{false};

private Q_SLOTS:
    void initTestCase()
    {
        auto b = EmbeddedBroker::start({TopicSpec{QStringLiteral("crypto_topic"), 6},
                                        TopicSpec{QStringLiteral("stock_topic"), 3}});
        QVERIFY2(b.ok(), qPrintable(b.errorMessage()));
        m_broker = std::move(b).value();
        QVERIFY(m_broker->bootstrapServers().startsWith(u"127.0.0.1:"));
        QCOMPARE(m_broker->bootstrapServers().split(u',').size(), 3);
    }

    void clusterIdIsReported()
    {
        const QString id = m_broker->clusterId();
        QVERIFY2(!id.isEmpty(), "the embedded broker should report a cluster id");
    }

    void roundTripKeysValuesTimestampsHeaders()
    {
        auto p = Producer::create(test::settingsFor(*m_broker));
        QVERIFY2(p.ok(), qPrintable(p.errorMessage()));
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const QStringList symbols{QStringLiteral("BTC"), QStringLiteral("ETH"), QStringLiteral("BNB"),
                                  QStringLiteral("SOL"), QStringLiteral("XRP")};
        const int n = 500;
        std::map<std::string, std::string> sent;  // value → key
        for (int i = 0; i < n; ++i) {
            const std::string key = symbols[i % symbols.size()].toStdString();
            const std::string value = "{\"v\":1,\"symbol\":\"" + key + "\",\"id\":\"sim-" + std::to_string(i) + "\"}";
            const Headers h{{"seq", std::to_string(i)}, {"empty", ""}};
            Status s = p.value()->produce("crypto_topic", key, value, m_stop, &h);
            QVERIFY2(s.ok(), qPrintable(s.errorMessage()));
            sent[value] = key;
        }
        QCOMPARE(p.value()->flush(10000), 0);
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(p.value()->delivered(), n);
        QCOMPARE(p.value()->deliveredFor("crypto_topic"), n);
        QCOMPARE(p.value()->failed(), 0);

        auto c = Consumer::create(test::consumerSettingsFor(*m_broker), QStringLiteral("rt-group"),
                                  {QStringLiteral("crypto_topic")}, AssignmentHandler{});
        QVERIFY2(c.ok(), qPrintable(c.errorMessage()));
        std::map<std::string, std::set<int32_t>> partitionsOfKey;
        int bad = 0;
        std::set<std::string> received;
        const int got = test::consumeUntil(*c.value(), n, 30000, [&](const Message &m) {
            const std::string value(m.value());
            auto it = sent.find(value);
            if (it == sent.end() || it->second != m.key() || m.timestampMs() < before || m.timestampMs() > after
                || !m.header("seq") || m.header("empty") != std::string())
                ++bad;
            if (m.partition() != partitionForKey(m.key(), 6))
                ++bad;
            partitionsOfKey[std::string(m.key())].insert(m.partition());
            received.insert(value);
            QCOMPARE(m.headers().size(), size_t(2));
        });
        QCOMPARE(got, n);
        QCOMPARE(bad, 0);
        QCOMPARE(received.size(), size_t(n));
        for (const auto &[key, parts] : partitionsOfKey)
            QVERIFY2(parts.size() == 1, key.c_str());  // one symbol, one partition
        // Commit and see the commit acknowledged; lag is zero for every assigned partition.
        std::vector<TopicPartitionOffset> next;
        for (const auto &l : c.value()->lag()) {
            if (l.position >= 0)
                next.push_back({l.topic, l.partition, l.position});
        }
        QVERIFY(!next.empty());
        QVERIFY(c.value()->commitAsync(next).ok());
        QVERIFY(test::consumeUntil(*c.value(), 1, 1500, {}) == 0);  // serves the commit callback
        QCOMPARE(c.value()->commitFailures(), 0);
        QVERIFY(c.value()->commitsSucceeded() >= 1);
        for (const auto &l : c.value()->lag())
            QCOMPARE(l.lag, 0);
        QVERIFY(!c.value()->clusterId().isEmpty());
        QCOMPARE(c.value()->clusterId(), m_broker->clusterId());
        QVERIFY(c.value()->close(5000));
    }

    // The embedded pipeline's consumers take their partitions without a group join: exactly the
    // assigned partitions are read, from the offsets onAssigned returns, and commits land in the
    // group (lag tools see them); close() revokes the static assignment.
    void staticAssignmentReadsOnlyItsPartitionsFromTheGivenOffsets()
    {
        const std::string topic = "static_topic";
        QVERIFY(m_broker->createTopic(TopicSpec{QString::fromStdString(topic), 4}).ok());
        auto p = Producer::create(test::settingsFor(*m_broker));
        QVERIFY2(p.ok(), qPrintable(p.errorMessage()));
        const int perPartition = 20;
        for (int part = 0; part < 4; ++part) {
            for (int i = 0; i < perPartition; ++i) {
                ProduceOptions o;
                o.partition = part;
                const std::string value = std::to_string(part) + ":" + std::to_string(i);
                QVERIFY(p.value()->produce(topic, "k", value, m_stop, o).ok());
            }
        }
        QCOMPARE(p.value()->flush(10000), 0);

        std::vector<TopicPartition> assignedSeen, revokedSeen;
        AssignmentHandler h;
        h.onAssigned = [&](const std::vector<TopicPartition> &tps) {
            assignedSeen = tps;
            std::vector<std::optional<int64_t>> starts(tps.size());
            for (size_t i = 0; i < tps.size(); ++i)
                starts[i] = tps[i].partition == 1 ? std::optional<int64_t>(15) : std::nullopt;
            return starts;
        };
        h.onRevoked = [&](const std::vector<TopicPartition> &tps) { revokedSeen = tps; };
        auto c = Consumer::createUnsubscribed(test::consumerSettingsFor(*m_broker), QStringLiteral("static-group"), h);
        QVERIFY2(c.ok(), qPrintable(c.errorMessage()));
        QVERIFY(c.value()->assignStatic({TopicPartition{topic, 1}, TopicPartition{topic, 3}}).ok());
        QCOMPARE(assignedSeen.size(), size_t(2));
        QCOMPARE(c.value()->assignment().size(), size_t(2));

        std::map<int32_t, std::vector<int64_t>> offsets;
        const int want = (perPartition - 15) + perPartition;  // partition 1 from offset 15, partition 3 from the start
        QCOMPARE(test::consumeUntil(*c.value(), want, 15000, [&](const Message &m) { offsets[m.partition()].push_back(m.offset()); }),
                 want);
        QCOMPARE(test::consumeUntil(*c.value(), 1, 500, {}), 0);  // nothing from partitions 0 and 2
        QCOMPARE(offsets.size(), size_t(2));
        QCOMPARE(offsets[1].front(), int64_t(15));
        QCOMPARE(offsets[1].size(), size_t(perPartition - 15));
        QCOMPARE(offsets[3].front(), int64_t(0));
        QCOMPARE(offsets[3].size(), size_t(perPartition));

        QVERIFY(c.value()->commitAsync({{topic, 1, 20}, {topic, 3, 20}}).ok());
        QVERIFY(test::consumeUntil(*c.value(), 1, 1000, {}) == 0);  // serves the commit callback
        QCOMPARE(c.value()->commitFailures(), 0);
        QVERIFY(c.value()->commitsSucceeded() >= 1);
        QVERIFY(c.value()->close(5000));
        QCOMPARE(revokedSeen.size(), size_t(2));
        QVERIFY(c.value()->assignment().empty());
    }

    void partitionerMatchesJavaMurmur2_data()
    {
        // Kafka's own test vectors (UtilsTest.testMurmur2) and the app's default symbols, as
        // toPositive(murmur2(key)): the Java client's DefaultPartitioner puts a key on
        // toPositive(murmur2(key)) % partitions, so external Java/kcat (-X partitioner=murmur2)
        // producers and this app agree on where a symbol lives.
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<qint64>("positiveHash");
        QTest::newRow("21") << QByteArray("21") << qint64(1173551340);             // -973932308
        QTest::newRow("foobar") << QByteArray("foobar") << qint64(1357151166);     // -790332482
        QTest::newRow("long") << QByteArray("a-little-bit-long-string") << qint64(1161502112);
        QTest::newRow("longer") << QByteArray("a-little-bit-longer-string") << qint64(661178819);
        QTest::newRow("48 bytes") << QByteArray("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")
                                  << qint64(2088585677);
        QTest::newRow("abc") << QByteArray("abc") << qint64(479470107);
        QTest::newRow("BTC") << QByteArray("BTC") << qint64(904285642);
        QTest::newRow("ETH") << QByteArray("ETH") << qint64(651845185);
        QTest::newRow("BNB") << QByteArray("BNB") << qint64(1607968560);
        QTest::newRow("AAPL") << QByteArray("AAPL") << qint64(1691292177);
        QTest::newRow("MSFT") << QByteArray("MSFT") << qint64(251987202);
        QTest::newRow("GOOGL") << QByteArray("GOOGL") << qint64(282752101);
    }

    void partitionerMatchesJavaMurmur2()
    {
        QFETCH(QByteArray, key);
        QFETCH(qint64, positiveHash);
        const std::string_view k(key.constData(), size_t(key.size()));
        for (int n : {2, 3, 6, 7, 64, 1000})
            QCOMPARE(partitionForKey(k, n), int32_t(positiveHash % n));
        QCOMPARE(partitionForKey(k, 1), 0);
    }

    void externalClientReadsTheTopic()
    {
        const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
        // kcat is one of the packages scripts/install-deps.sh installs: its absence is a broken setup.
        QVERIFY2(!kcat.isEmpty(), "kcat is missing (scripts/install-deps.sh installs it)");
        auto p = Producer::create(test::settingsFor(*m_broker));
        QVERIFY(p.ok());
        const int n = 50;
        for (int i = 0; i < n; ++i)
            QVERIFY(p.value()->produce("stock_topic", "AAPL", "tick-" + std::to_string(i), m_stop).ok());
        QCOMPARE(p.value()->flush(10000), 0);
        QProcess proc;
        proc.start(kcat, {QStringLiteral("-b"), m_broker->bootstrapServers(), QStringLiteral("-C"),
                          QStringLiteral("-t"), QStringLiteral("stock_topic"), QStringLiteral("-o"),
                          QStringLiteral("beginning"), QStringLiteral("-e"), QStringLiteral("-c"),
                          QString::number(n), QStringLiteral("-f"), QStringLiteral("%k=%s\\n")});
        QVERIFY(proc.waitForFinished(30000));
        QCOMPARE(proc.exitCode(), 0);
        const QStringList lines = QString::fromUtf8(proc.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), n);
        std::set<QString> unique(lines.begin(), lines.end());
        QCOMPARE(unique.size(), size_t(n));
        for (const QString &l : lines)
            QVERIFY2(l.startsWith(u"AAPL=tick-"), qPrintable(l));
    }

    void deadLettersCarryReasonAndSource()
    {
        auto p = Producer::create(test::settingsFor(*m_broker));
        QVERIFY(p.ok());
        DeadLetterWriter dlq(*p.value());
        const std::string badValue = "{not json\x01";
        QVERIFY(dlq.write("crypto_topic", 4, 1234, "BTC", badValue, QStringLiteral("invalid_json"),
                          QStringLiteral("unexpected character at 1"), m_stop).ok());
        QVERIFY(dlq.write("crypto_topic", 2, 99, "ETH", "{\"symbol\":\"ETH\"}", QStringLiteral("missing_field"),
                          QStringLiteral("price is missing"), m_stop).ok());
        QVERIFY(dlq.write("crypto_topic", 2, 100, "ETH", "{}", QStringLiteral("missing_field"),
                          QStringLiteral("symbol is missing"), m_stop).ok());
        QCOMPARE(p.value()->flush(10000), 0);
        QCOMPARE(dlq.total(), 3);
        QCOMPARE(dlq.countsByReason().value(QStringLiteral("missing_field")), 2);
        QCOMPARE(dlq.countsByReason().value(QStringLiteral("invalid_json")), 1);

        auto c = Consumer::create(test::consumerSettingsFor(*m_broker), QStringLiteral("dlq-reader"),
                                  {QStringLiteral("crypto_topic.dlq")}, AssignmentHandler{});
        QVERIFY(c.ok());
        bool sawInvalid = false;
        int got = test::consumeUntil(*c.value(), 3, 30000, [&](const Message &m) {
            QCOMPARE(m.header("source_topic"), std::optional<std::string>("crypto_topic"));
            QVERIFY(m.header("reason").has_value());
            QVERIFY(m.header("detail").has_value());
            if (m.header("reason") == std::optional<std::string>("invalid_json")) {
                sawInvalid = true;
                QCOMPARE(std::string(m.value()), badValue);  // unchanged bytes
                QCOMPARE(std::string(m.key()), std::string("BTC"));
                QCOMPARE(m.header("source_partition"), std::optional<std::string>("4"));
                QCOMPARE(m.header("source_offset"), std::optional<std::string>("1234"));
            }
        });
        QCOMPARE(got, 3);
        QVERIFY(sawInvalid);
    }

    void badPropertyIsAClearErrorWithoutTheSecret()
    {
        KafkaSettings s = test::settingsFor(*m_broker);
        s.props.insert(QStringLiteral("linger.ms"), QStringLiteral("not-a-number"));
        auto p = Producer::create(s);
        QVERIFY(!p.ok());
        QVERIFY2(p.errorMessage().contains(u"linger.ms"), qPrintable(p.errorMessage()));

        KafkaSettings secret = test::settingsFor(*m_broker);
        secret.props.insert(QStringLiteral("sasl.password"), QStringLiteral("hunter2-very-secret"));
        secret.props.insert(QStringLiteral("no.such.property"), QStringLiteral("x"));
        auto q = Producer::create(secret);
        QVERIFY(!q.ok());
        QVERIFY2(q.errorMessage().contains(u"no.such.property"), qPrintable(q.errorMessage()));
        QVERIFY(!q.errorMessage().contains(u"hunter2"));

        QVERIFY(isSecretProperty(QStringLiteral("sasl.password")));
        QVERIFY(isSecretProperty(QStringLiteral("ssl.key.password")));
        QVERIFY(!isSecretProperty(QStringLiteral("linger.ms")));
    }

    void unknownTopicFailsAtOnce()
    {
        auto p = Producer::create(test::settingsFor(*m_broker));
        QVERIFY(p.ok());
        // The mock auto-creates topics on metadata requests only when allowed; either the topic
        // appears (produce OK) or a clear error comes back — never a hang.
        Status s = p.value()->produce("no_such_topic_x", "K", "V", m_stop);
        if (!s.ok())
            QVERIFY2(s.errorMessage().contains(u"no_such_topic_x"), qPrintable(s.errorMessage()));
    }

    void cleanupTestCase() { m_broker.reset(); }
};

QTEST_GUILESS_MAIN(TestKafkaRoundTrip)
#include "tst_kafka_roundtrip.moc"
