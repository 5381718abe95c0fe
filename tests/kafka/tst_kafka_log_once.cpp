// Each librdkafka broker failure is printed once. librdkafka writes it as a "FAIL" log line and
// also hands the same text to the error callback; the consumer's error events are what the
// pipeline reports (ConsumerWorker → issue log, echoed on stderr by a headless run), so the
// consumer's log lines must not carry them too. Captured with a Qt message handler, against the
// embedded broker taken down.
#include "kafka/consumer.h"
#include "kafka/embedded_broker.h"
#include "kafka/producer.h"
#include "kafka_test_util.h"

#include <QDeadlineTimer>
#include <QMutex>
#include <QTest>
#include <librdkafka/rdkafka_mock.h>

using namespace ms::kafka;

namespace {
QMutex g_mutex;
QStringList g_kafkaLines; // what the "ms.kafka" category printed (from librdkafka's threads)

void capture(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    if (context.category && qstrcmp(context.category, "ms.kafka") == 0) {
        QMutexLocker lock(&g_mutex);
        g_kafkaLines << message;
    }
}

QStringList kafkaLines()
{
    QMutexLocker lock(&g_mutex);
    return g_kafkaLines;
}

// "Kafka consumer: <reason> (<error name>)" → <reason>, the text librdkafka's log line carries too.
QString reasonOf(const ConsumerError &e)
{
    QString r = e.message;
    r.remove(0, r.indexOf(u':') + 2);
    return r.left(r.lastIndexOf(QLatin1String(" (")));
}
} // namespace

class TstKafkaLogOnce : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qInstallMessageHandler(&capture); }
    void cleanupTestCase() { qInstallMessageHandler(nullptr); }

    void brokerFailuresArePrintedOnce()
    {
        auto broker = EmbeddedBroker::start({TopicSpec{QStringLiteral("t"), 1}}, 1, false);
        QVERIFY(broker.ok());
        KafkaSettings s = test::settingsFor(*broker.value());
        s.props.insert(QStringLiteral("reconnect.backoff.ms"), QStringLiteral("100"));
        auto consumer = Consumer::createUnsubscribed(s, QStringLiteral("log-once"), {});
        QVERIFY(consumer.ok());
        QVERIFY(consumer.value()->assignStatic({TopicPartition{"t", 0}}).ok());
        auto producer =
            Producer::create(s); // a client without that error reporting: its lines stay
        QVERIFY(producer.ok());
        QVERIFY(producer.value()->prepareTopics({QStringLiteral("t")}, 5000).ok());

        rd_kafka_mock_broker_set_down(broker.value()->mockCluster(), 1);
        std::vector<ConsumerError> errors;
        auto connectFailures = [&errors] {
            return std::count_if(errors.begin(), errors.end(), [](const ConsumerError &e) {
                return e.message.contains(QLatin1String("Connect to"));
            });
        };
        QDeadlineTimer deadline(30000);
        while (connectFailures() < 2 && !deadline.hasExpired()) {
            MessageBatch b = consumer.value()->poll(100, 50);
            errors.insert(errors.end(), b.errors.begin(), b.errors.end());
        }
        QVERIFY2(connectFailures() >= 2, "the consumer saw no broker failure: nothing was tested");

        const QStringList lines = kafkaLines();
        for (const ConsumerError &e : errors) {
            const QString reason = reasonOf(e);
            for (const QString &line : lines) {
                if (line.contains(QLatin1String("consumer")))
                    QVERIFY2(!line.contains(reason),
                             qPrintable(QStringLiteral("printed twice: '%1' (event) and "
                                                       "'%2' (log line)")
                                            .arg(e.message, line)));
            }
        }
        // The producer reports no error events: its broker failures stay on its log lines.
        QVERIFY(waitForProducerFailureLine());
    }

private:
    static bool waitForProducerFailureLine()
    {
        QDeadlineTimer deadline(30000);
        while (!deadline.hasExpired()) {
            for (const QString &line : kafkaLines()) {
                if (line.contains(QLatin1String("producer")) &&
                    line.contains(QLatin1String("FAIL")))
                    return true;
            }
            QTest::qWait(50);
        }
        return false;
    }
};

QTEST_GUILESS_MAIN(TstKafkaLogOnce)
#include "tst_kafka_log_once.moc"
