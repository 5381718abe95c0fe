// What a careless producer sends, through a plain Kafka client (kcat) into the real binary, on
// PostgreSQL and on SQLite. For each class of bad message: the good neighbours sent just before and
// after it (same key, so the same partition, in order) are stored, the bad message is in
// <topic>.dlq with the reason the pipeline gave, and the pipeline runs on (a last good tick, sent
// after every bad one, is stored; the run ends by --idle-exit with code 0, not by a failure).
//
// The broker is a librdkafka mock cluster started here; the binary reaches it as an external
// cluster.
#include "headless_process.h"
#include "kafka/consumer.h"
#include "kafka/embedded_broker.h"
#include "kafka/handles.h"
#include "pg_server.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <map>

using namespace ms;
using namespace ms::test;

namespace {

struct BadCase
{
    const char *name;
    QByteArray value;   // what the careless producer sends
    const char *reason; // the DLQ's reason header
    bool tombstone = false;
};

QByteArray goodTick(const QString &id, qint64 ts)
{
    return QStringLiteral(
               R"({"v":1,"source":"simulator","kind":"trade","symbol":"BTC","currency":"USD",)"
               R"("price":43000.5,"volume":0.25,"ts":%1,"id":"%2"})")
        .arg(ts)
        .arg(id)
        .toUtf8();
}

QByteArray withSymbol(const QByteArray &symbol)
{
    return R"({"v":1,"source":"simulator","kind":"trade","symbol":")" + symbol +
           R"(","currency":"USD","price":1.5,"volume":1,"ts":1700000000000,"id":"x"})";
}

QByteArray withField(const QByteArray &field)
{
    return R"({"v":1,"source":"simulator","kind":"trade","symbol":"BTC","currency":"USD","price":1.5,"volume":1,)"
           R"("ts":1700000000000,"id":"x",)" +
           field + "}";
}

QByteArray withPrice(const QByteArray &price)
{
    return R"({"v":1,"source":"simulator","kind":"trade","symbol":"BTC","currency":"USD","price":)" +
           price + R"(,"volume":1,"ts":1700000000000,"id":"x"})";
}

const QList<BadCase> &badCases()
{
    static const QList<BadCase> cases{
        {"empty value", "", "empty_message"},
        {"tombstone", "", "empty_message", true},
        {"not JSON", "hello kafka", "invalid_json"},
        {"truncated JSON", R"({"v":1,"source":"simu)", "invalid_json"},
        {"JSON array", "[1,2,3]", "invalid_json"},
        {"trailing garbage", withPrice("1.5") + " trailing", "invalid_json"},
        {"invalid JSON in an unknown field", withField(R"("x":[1 2 @ #])"), "invalid_json"},
        {"bad escape in an unknown field", withField(R"("y":"\q")"), "invalid_json"},
        {"raw 0xFF in the symbol", withSymbol("B\xffT"), "invalid_utf8"},
        {"overlong NUL (C0 80)", withSymbol("B\xc0\x80T"), "invalid_utf8"},
        {"raw surrogate (ED A0 80)", withSymbol("B\xed\xa0\x80T"), "invalid_utf8"},
        {"escaped NUL in the symbol", withSymbol("B\\u0000T"),
         "invalid_utf8"}, // NUL is never valid text here
        {"lone escaped surrogate", withSymbol("B\\ud800T"), "invalid_utf8"},
        {"price as a string", withPrice(R"("43000")"), "wrong_type"},
        {"negative price", withPrice("-1"), "non_positive_price"},
        {"zero price", withPrice("0"), "non_positive_price"},
        {"NaN literal", withPrice("NaN"), "invalid_json"},
        {"price 1e400", withPrice("1e400"), "bad_value"},
        {"negative volume",
         R"({"v":1,"source":"simulator","kind":"trade","symbol":"BTC","currency":"USD","price":1,"volume":-2,"ts":1700000000000,"id":"x"})",
         "negative_volume"},
        {"missing price",
         R"({"v":1,"source":"simulator","kind":"trade","symbol":"BTC","currency":"USD","volume":1,"ts":1700000000000,"id":"x"})",
         "missing_field"},
        {"unknown version",
         R"({"v":7,"source":"simulator","kind":"trade","symbol":"BTC","currency":"USD","price":1,"volume":1,"ts":1700000000000,"id":"x"})",
         "unknown_version"},
        {"unknown source",
         R"({"v":1,"source":"bloomberg","kind":"trade","symbol":"BTC","currency":"USD","price":1,"volume":1,"ts":1700000000000,"id":"x"})",
         "unknown_source"},
        {"timestamp in year 5000",
         R"({"v":1,"source":"simulator","kind":"trade","symbol":"BTC","currency":"USD","price":1,"volume":1,"ts":95617584000000,"id":"x"})",
         "absurd_timestamp"},
        {"empty symbol", withSymbol(""), "bad_value"},
        {"1000-character symbol", withSymbol(QByteArray(1000, 'A')), "bad_value"},
        {"binary garbage", QByteArray("\x00\x01\x02\xfe\xff", 5), "invalid_json"},
        {"deep nesting", QByteArray(5000, '[') + QByteArray(5000, ']'), "invalid_json"},
        {"message over 1 MB", withField(R"("pad":")" + QByteArray(1'500'000, 'p') + "\""),
         "too_large"},
    };
    return cases;
}

QString keyFor(int row)
{
    return QStringLiteral("row-%1").arg(row);
}

} // namespace

class TstCarelessProducer : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    PgServer m_pg;
    std::unique_ptr<kafka::EmbeddedBroker> m_broker;
    qint64 m_ts = 1700000000000;
    std::map<QString, std::map<QString, QString>> m_dlqReasonByKey; // backend -> key -> reason
    std::map<QString, QJsonObject> m_summary;                       // backend -> summary

    bool kcatProduce(const QString &key, const QList<QByteArray> &values)
    {
        // One kcat call per row: the three values split by a delimiter no value contains.
        static const QByteArray delimiter = "@@MSG@@";
        QProcess p;
        QStringList args{QStringLiteral("-P"),
                         QStringLiteral("-b"),
                         m_broker->bootstrapServers(),
                         QStringLiteral("-t"),
                         QStringLiteral("crypto_topic"),
                         QStringLiteral("-k"),
                         key,
                         QStringLiteral("-D"),
                         QString::fromLatin1(delimiter),
                         QStringLiteral("-X"),
                         QStringLiteral("partitioner=murmur2_random"),
                         QStringLiteral("-X"),
                         QStringLiteral("message.max.bytes=4000000")};
        p.start(QStringLiteral("kcat"), args);
        if (!p.waitForStarted())
            return false;
        for (int i = 0; i < values.size(); ++i) {
            p.write(values[i]);
            if (i + 1 < values.size())
                p.write(delimiter);
        }
        p.closeWriteChannel();
        return p.waitForFinished(30000) && p.exitCode() == 0;
    }

    // kcat sends no empty message (it skips empty input), so the empty and NULL values of a row go
    // through plain librdkafka: payload "" of length 0, and a NULL payload (a tombstone).
    bool rawProduce(const QString &key, const QList<QByteArray> &values, bool nullForEmpty)
    {
        char err[512] = {};
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers",
                              m_broker->bootstrapServers().toUtf8().constData(), err,
                              sizeof err) != RD_KAFKA_CONF_OK)
            return false;
        rd_kafka_conf_set(conf, "partitioner", "murmur2_random", err, sizeof err);
        kafka::KafkaHandle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err));
        if (!rk)
            return false;
        const QByteArray k = key.toUtf8();
        static const char empty[1] = {};
        for (const QByteArray &v : values) {
            const void *payload = v.isEmpty() ? (nullForEmpty ? nullptr : empty) : v.constData();
            if (rd_kafka_producev(rk.get(), RD_KAFKA_V_TOPIC("crypto_topic"),
                                  RD_KAFKA_V_KEY(k.constData(), size_t(k.size())),
                                  RD_KAFKA_V_VALUE(const_cast<void *>(payload), size_t(v.size())),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                  RD_KAFKA_V_END) != RD_KAFKA_RESP_ERR_NO_ERROR)
                return false;
        }
        return rd_kafka_flush(rk.get(), 10000) == RD_KAFKA_RESP_ERR_NO_ERROR;
    }

    QStringList storedIds(const QString &backend)
    {
        QStringList ids;
        const QString name = QStringLiteral("read-") + backend;
        {
            QSqlDatabase db;
            if (backend == QStringLiteral("sqlite")) {
                db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                db.setDatabaseName(m_dir.filePath(QStringLiteral("careless.db")));
            } else {
                db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
                db.setHostName(QStringLiteral("127.0.0.1"));
                db.setPort(m_pg.port());
                db.setUserName(m_pg.user());
                db.setDatabaseName(QStringLiteral("careless"));
            }
            if (db.open()) {
                QSqlQuery q(db);
                if (q.exec(QStringLiteral("SELECT trade_id FROM crypto_data")))
                    while (q.next())
                        ids << q.value(0).toString();
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(m_pg.createDatabase(QStringLiteral("careless")));
        auto broker =
            kafka::EmbeddedBroker::start({kafka::TopicSpec{QStringLiteral("crypto_topic"), 3},
                                          kafka::TopicSpec{QStringLiteral("stock_topic"), 3}},
                                         1, true);
        QVERIFY2(broker.ok(), qPrintable(broker.errorMessage()));
        m_broker = std::move(broker).value();

        // Every row: a good tick, the bad message, a good tick, all under one key.
        for (int i = 0; i < badCases().size(); ++i) {
            const BadCase &c = badCases()[i];
            const QString before = QStringLiteral("good-%1-before").arg(i),
                          after = QStringLiteral("good-%1-after").arg(i);
            const QList<QByteArray> values{goodTick(before, ++m_ts), c.value,
                                           goodTick(after, ++m_ts)};
            QVERIFY2(c.value.isEmpty() ? rawProduce(keyFor(i), values, c.tombstone)
                                       : kcatProduce(keyFor(i), values),
                     c.name);
        }
        QVERIFY(
            kcatProduce(QStringLiteral("last"), {goodTick(QStringLiteral("good-last"), ++m_ts)}));

        // The real binary, once per backend, as a consumer of an "external" cluster.
        for (const QString backend : {QStringLiteral("postgres"), QStringLiteral("sqlite")}) {
            const QString db =
                backend == QStringLiteral("sqlite")
                    ? QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("careless.db"))
                    : m_pg.url(QStringLiteral("careless"));
            const HeadlessResult r = runApp(
                {QStringLiteral("--headless"), QStringLiteral("--source"), QStringLiteral("none"),
                 QStringLiteral("--kafka"), m_broker->bootstrapServers(), QStringLiteral("--group"),
                 QStringLiteral("careless-") + backend, QStringLiteral("--idle-exit"),
                 QStringLiteral("4"), QStringLiteral("--db"), db},
                120000, m_dir.path());
            QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.err.right(3000)));
            m_summary[backend] = r.summary;
        }

        // What the DLQ holds: the same bad messages twice (one consumer group per backend).
        auto consumer = kafka::Consumer::create({m_broker->bootstrapServers(), {}},
                                                QStringLiteral("dlq-reader"),
                                                {QStringLiteral("crypto_topic.dlq")}, {});
        QVERIFY2(consumer.ok(), qPrintable(consumer.errorMessage()));
        const int expected = 2 * int(badCases().size());
        int seen = 0;
        QDeadlineTimer deadline(20000);
        while (seen < expected && !deadline.hasExpired()) {
            kafka::MessageBatch b = consumer.value()->poll(1000, 200);
            for (const kafka::Message &m : b.messages) {
                ++seen;
                const QString key = QString::fromUtf8(m.key().data(), qsizetype(m.key().size()));
                const QString reason =
                    QString::fromStdString(m.header("reason").value_or(std::string()));
                // Which run wrote it is not in the message; both must agree, so record each reason.
                QString &slot = m_dlqReasonByKey[QStringLiteral("any")][key];
                slot = slot.isEmpty() ? reason : slot == reason ? reason : slot + u'|' + reason;
            }
        }
        consumer.value()->close(2000);
        for (const auto &[backend, summary] : m_summary)
            qInfo("%s: %s", qPrintable(backend),
                  QJsonDocument(summary).toJson(QJsonDocument::Compact).constData());
        QCOMPARE(seen, expected);
    }

    void badMessageIsDeadLetteredAndNeighboursStored_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<int>("row");
        for (const char *backend : {"postgres", "sqlite"}) {
            for (int i = 0; i < badCases().size(); ++i)
                QTest::newRow(qPrintable(QStringLiteral("%1: %2").arg(
                    QLatin1String(backend), QLatin1String(badCases()[i].name))))
                    << QString::fromLatin1(backend) << i;
        }
    }

    void badMessageIsDeadLetteredAndNeighboursStored()
    {
        QFETCH(QString, backend);
        QFETCH(int, row);
        const BadCase &c = badCases()[row];
        const QStringList ids = storedIds(backend);
        QVERIFY2(ids.contains(QStringLiteral("good-%1-before").arg(row)),
                 "the good tick before it was not stored");
        QVERIFY2(ids.contains(QStringLiteral("good-%1-after").arg(row)),
                 "the good tick after it was not stored");
        QVERIFY(!ids.contains(QStringLiteral("x"))); // no bad message became a row
        QCOMPARE(m_dlqReasonByKey[QStringLiteral("any")][keyFor(row)],
                 QString::fromLatin1(c.reason));
    }

    void pipelineRanOnAfterEveryBadMessage_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("postgres") << QStringLiteral("postgres");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
    }

    void pipelineRanOnAfterEveryBadMessage()
    {
        QFETCH(QString, backend);
        QVERIFY(storedIds(backend).contains(QStringLiteral("good-last")));
        const QJsonObject s = m_summary[backend];
        QCOMPARE(s.value(QStringLiteral("rejected")).toInteger(), qint64(badCases().size()));
        QCOMPARE(s.value(QStringLiteral("dead_lettered")).toInteger(), qint64(badCases().size()));
        QCOMPARE(s.value(QStringLiteral("stored")).toInteger(), qint64(2 * badCases().size() + 1));
    }
};

QTEST_GUILESS_MAIN(TstCarelessProducer)
#include "tst_careless_producer.moc"
