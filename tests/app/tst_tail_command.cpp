// `marketstream tail` against a cluster it does not own: the test process runs the embedded broker
// (librdkafka's mock) and points the real binary at its bootstrap address, as an operator points
// it at an external cluster.
#include "kafka/embedded_broker.h"
#include "kafka/producer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <set>

using namespace ms::kafka;

class TstTailCommand : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<EmbeddedBroker> m_broker;
    QTemporaryDir m_dir;
    std::atomic_bool m_stop{false};

    void startTail(QProcess &app, const QStringList &args)
    {
        app.setWorkingDirectory(m_dir.path()); // no stray .env
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("KAFKA_BOOTSTRAP_SERVERS"));
        env.remove(QStringLiteral("QT_LOGGING_RULES"));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(MS_APP_PATH), QStringList{QStringLiteral("tail")} + args);
        QVERIFY(app.waitForStarted(10000));
    }
    static QList<QJsonObject> jsonLines(const QByteArray &out)
    {
        QList<QJsonObject> objects;
        const QList<QByteArray> lines = out.split('\n');
        for (const QByteArray &line : lines) {
            if (line.isEmpty())
                continue;
            QJsonParseError err{};
            const QJsonDocument doc = QJsonDocument::fromJson(line, &err);
            if (err.error != QJsonParseError::NoError || !doc.isObject())
                return {}; // one bad line fails the caller's count check
            objects.append(doc.object());
        }
        return objects;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(QStringLiteral(MS_APP_PATH)), MS_APP_PATH);
        QVERIFY(m_dir.isValid());
        auto b = EmbeddedBroker::start({TopicSpec{QStringLiteral("crypto_topic"), 3}});
        QVERIFY2(b.ok(), qPrintable(b.errorMessage()));
        m_broker = std::move(b).value();
        KafkaSettings s;
        s.bootstrap = m_broker->bootstrapServers();
        auto p = Producer::create(s);
        QVERIFY2(p.ok(), qPrintable(p.errorMessage()));
        for (int i = 0; i < 10; ++i) {
            const Headers h{{"seq", std::to_string(i)}};
            const std::string v = "{\"symbol\":\"BTC\",\"seq\":" + std::to_string(i) + "}";
            QVERIFY(p.value()->produce("crypto_topic", "BTC", v, m_stop, &h).ok());
        }
        // Dead letters as the consumer writes them: the reason in a header, the raw bytes as value.
        for (int i = 0; i < 4; ++i) {
            const Headers h{{"ms-reason", "invalid_json"}, {"ms-seq", std::to_string(i)}};
            QVERIFY(
                p.value()
                    ->produce("crypto_topic.dlq", "k", "not json " + std::to_string(i), m_stop, &h)
                    .ok());
        }
        QCOMPARE(p.value()->flush(10000), 0);
    }

    void printsNMessagesWithOffsetsAndHeaders_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<int>("max");
        QTest::addColumn<QString>("header");
        QTest::newRow("ticks") << u"crypto_topic"_qs << 7 << u"seq"_qs;
        QTest::newRow("dead letters") << u"crypto_topic.dlq"_qs << 3 << u"ms-reason"_qs;
    }

    void printsNMessagesWithOffsetsAndHeaders()
    {
        QFETCH(QString, topic);
        QFETCH(int, max);
        QFETCH(QString, header);
        QProcess app;
        startTail(app, {topic, u"--from-beginning"_qs, u"--max"_qs, QString::number(max),
                        u"--kafka"_qs, m_broker->bootstrapServers()});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
        const QList<QJsonObject> lines = jsonLines(app.readAllStandardOutput());
        QCOMPARE(lines.size(), max);
        std::set<std::pair<int, qint64>> seen;
        for (const QJsonObject &o : lines) {
            QCOMPARE(o.value(u"topic").toString(), topic);
            QVERIFY(o.value(u"partition").toInt(-1) >= 0);
            QVERIFY(o.value(u"offset").toInteger(-1) >= 0);
            QVERIFY(o.value(u"timestamp").toInteger(-1) > 0);
            QCOMPARE(o.value(u"headers").toArray().at(0).toObject().value(u"name").toString(),
                     header);
            QVERIFY(!o.value(u"value").isUndefined());
            seen.insert({o.value(u"partition").toInt(), o.value(u"offset").toInteger()});
        }
        QCOMPARE(int(seen.size()), max); // no message twice
        if (topic.endsWith(u".dlq"))
            QVERIFY(lines.first().value(u"value").toString().startsWith(u"not json"));
        else
            QCOMPARE(lines.first().value(u"value").toObject().value(u"symbol").toString(),
                     u"BTC"_qs);
    }

    void sigtermEndsItWithinTwoSeconds()
    {
        QProcess app;
        startTail(app, {u"crypto_topic"_qs, u"--from-beginning"_qs, u"--kafka"_qs,
                        m_broker->bootstrapServers()});
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += app.readAllStandardOutput()).count('\n') >= 10,
                                 30000); // it is reading
        QElapsedTimer clock;
        clock.start();
        app.terminate();
        QVERIFY(app.waitForFinished(10000));
        const qint64 tookMs = clock.elapsed();
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        QVERIFY2(tookMs < 2000, qPrintable(QStringLiteral("SIGTERM took %1 ms").arg(tookMs)));
    }

    void failuresHaveTheirExitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("unknown topic") << QStringList{u"no_such_topic"_qs} << 1;
        QTest::newRow("unreachable cluster")
            << QStringList{u"crypto_topic"_qs, u"--timeout"_qs, u"1"_qs} << 3;
    }

    void failuresHaveTheirExitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        const QString bootstrap = exitCode == 3 ? u"127.0.0.1:1"_qs : m_broker->bootstrapServers();
        QProcess app;
        startTail(app, args + QStringList{u"--kafka"_qs, bootstrap});
        QVERIFY(app.waitForFinished(20000));
        QCOMPARE(app.exitCode(), exitCode);
        const QByteArray err = app.readAllStandardError();
        QVERIFY2(err.startsWith("marketstream tail: ") && err.count('\n') == 1,
                 err.constData()); // one line
    }

    void cleanupTestCase() { m_broker.reset(); }
};

QTEST_GUILESS_MAIN(TstTailCommand)
#include "tst_tail_command.moc"
