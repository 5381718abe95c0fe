// The consumer path under redeliveries and bad data, on both backends (global rows "postgres" and
// "sqlite"), through a plain librdkafka producer into the embedded broker and a real
// ConsumerWorker:
// - the same ticks delivered twice (also with the worker restarted in between) leave every candle
//   counting each stored tick once;
// - a tick whose merge would overflow a candle sum is dead-lettered, its neighbours stored;
// - a row the database refuses is found, dead-lettered with the database's reason, the rest stored;
// - a message over 1 MB reaches the DLQ whole;
// - SQLite: the database file removed mid-run stops the worker with an error.
#include "candle_checks.h"
#include "codec/tick_codec.h"
#include "consumer_harness.h"
#include "pg_server.h"
#include "processing/candle_builder.h"
#include "storage/tick_store.h"
#include "storage_test_util.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <limits>
#include <map>

using namespace ms;
using namespace ms::test;

namespace {
Tick cryptoTick(int i, const std::string &symbol = "BTC", double volume = 0.5)
{
    Tick t;
    t.asset = AssetClass::Crypto;
    t.source = SourceKind::Simulator;
    t.kind = TickKind::Trade;
    t.symbol = symbol;
    t.currency = "USD";
    t.price = 100.0 + (i % 17) * 0.25;
    t.volume = volume;
    t.tsMs = 1700000000000LL + qint64(i) * 10;
    t.id = "h-" + std::to_string(i);
    return t;
}

std::vector<RawMessage> encoded(const std::vector<Tick> &ticks)
{
    std::vector<RawMessage> out;
    for (const Tick &t : ticks)
        out.push_back(RawMessage{t.symbol, encodeTick(t)});
    return out;
}

std::vector<Tick> range(int from, int to)
{
    std::vector<Tick> out;
    for (int i = from; i < to; ++i)
        out.push_back(cryptoTick(i));
    return out;
}
} // namespace

class TestConsumerHardening : public QObject
{
    Q_OBJECT

private:
    PgServer m_pg;
    QTemporaryDir m_dir;
    int m_seq = 0;
    std::unique_ptr<kafka::EmbeddedBroker> m_broker;
    std::unique_ptr<kafka::DeadLetterWriter> m_dlq;

    DatabaseUrl freshUrl()
    {
        QFETCH_GLOBAL(QString, backend);
        ++m_seq;
        if (backend == QLatin1String("postgres")) {
            const QString schema = QStringLiteral("h%1").arg(m_seq);
            QSqlQuery q(QSqlDatabase::database(QStringLiteral("admin")));
            if (!q.exec(QStringLiteral("CREATE SCHEMA ") + schema))
                qFatal("CREATE SCHEMA failed");
            return *DatabaseUrl::parse(m_pg.url() + QStringLiteral("?options=-csearch_path%3D") +
                                       schema);
        }
        return *DatabaseUrl::parse(QStringLiteral("sqlite://") + m_dir.path() +
                                   QStringLiteral("/h%1/db.sqlite").arg(m_seq));
    }

    // A fresh broker per test: offsets and DLQ contents start empty.
    void freshBroker()
    {
        m_dlq.reset();
        m_broker.reset();
        auto b = kafka::EmbeddedBroker::start({kafka::TopicSpec{QString::fromStdString(kCrypto), 1},
                                               kafka::TopicSpec{QString::fromStdString(kStock), 1}},
                                              1);
        QVERIFY2(b.ok(), qPrintable(b.errorMessage()));
        m_broker = std::move(b).value();
        kafka::KafkaSettings s;
        s.bootstrap = m_broker->bootstrapServers();
        auto dlq = kafka::DeadLetterWriter::create(s);
        QVERIFY2(dlq.ok(), qPrintable(dlq.errorMessage()));
        m_dlq = std::move(dlq).value();
    }

    void produce(const std::vector<RawMessage> &messages, const std::string &topic = kCrypto)
    {
        QString error;
        QVERIFY2(produceRaw(m_broker->bootstrapServers(), topic, messages, &error),
                 qPrintable(error));
    }

    static qint64 nextOffset(const DatabaseUrl &url)
    {
        return scalar(
            url,
            QStringLiteral(
                "SELECT coalesce(max(next_offset), 0) FROM pipeline_offsets WHERE topic = '%1'")
                .arg(QString::fromStdString(kCrypto)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(m_dir.isValid());
        QVERIFY(openDatabase(*DatabaseUrl::parse(m_pg.url()), QStringLiteral("admin")));
    }

    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("postgres") << QStringLiteral("postgres");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
    }

    void init() { freshBroker(); }

    // Regression (defect 3): a tick delivered twice was stored once but merged into its candle
    // twice.
    void duplicateDeliveriesCountOnce_data()
    {
        QTest::addColumn<bool>("restartBetween");
        QTest::newRow("same worker") << false;
        QTest::newRow("worker restarted between the deliveries") << true;
    }
    void duplicateDeliveriesCountOnce()
    {
        QFETCH(bool, restartBetween);
        const DatabaseUrl url = freshUrl();
        const int n = 400;
        auto run = std::make_unique<WorkerRun>(*m_broker, url, m_dlq.get());
        produce(encoded(range(0, n)));
        QVERIFY2(run->waitFor([&] { return nextOffset(url) == n; }),
                 qPrintable(run->result().errorMessage()));
        if (restartBetween) {
            QVERIFY(run->stop().ok());
            run = std::make_unique<WorkerRun>(*m_broker, url, m_dlq.get());
        }
        // The producer restarts with the same seed: everything again, then new ticks.
        produce(encoded(range(0, n)));
        produce(encoded(range(n, n + 100)));
        QVERIFY2(run->waitFor([&] { return nextOffset(url) == 2 * n + 100; }),
                 qPrintable(run->result().errorMessage()));
        QVERIFY(!run->finished());
        QCOMPARE(tickRows(url), qint64(n + 100));
        checkCandlesCountStoredTicksOnce(url);
        QVERIFY(run->stop().ok());
    }

    // Regression (defect 5): two volumes of 1e308 in one bucket gave inf volume / NaN VWAP;
    // PostgreSQL stored NaN, SQLite failed NOT NULL and the consumer stopped.
    void candleOverflowIsDeadLettered()
    {
        const DatabaseUrl url = freshUrl();
        WorkerRun run(*m_broker, url, m_dlq.get());
        produce(encoded({cryptoTick(0), cryptoTick(1, "BTC", 1e306), cryptoTick(2, "BTC", 1e306),
                         cryptoTick(3)}));
        QVERIFY2(run.waitFor([&] { return nextOffset(url) == 4; }),
                 qPrintable(run.result().errorMessage()));
        QCOMPARE(tickRows(url), qint64(3));
        QCOMPARE(
            scalar(url, QStringLiteral("SELECT count(*) FROM crypto_data WHERE trade_id = 'h-2'")),
            qint64(0));
        QCOMPARE(scalar(url, QStringLiteral("SELECT count(*) FROM candles WHERE NOT (volume <= "
                                            "1.7e308 AND vwap <= 1.7e308 AND vwap = vwap)")),
                 qint64(0));
        const auto dead = readDeadLetters(*m_broker, kCrypto);
        QCOMPARE(dead.size(), size_t(1));
        QCOMPARE(dead[0].header("reason"), std::string("candle_overflow"));
        QCOMPARE(dead[0].header("source_offset"), std::string("2"));
        // Still running: the next tick is stored.
        produce(encoded({cryptoTick(4)}));
        QVERIFY2(run.waitFor([&] { return nextOffset(url) == 5; }),
                 qPrintable(run.result().errorMessage()));
        QCOMPARE(tickRows(url), qint64(4));
        checkCandlesCountStoredTicksOnce(url);
    }

    // Defect 1b: a row the database refuses made the whole batch fail and the consumer stop.
    void refusedRowIsIsolated()
    {
        const DatabaseUrl url = freshUrl();
        {
            // The tables exist once a store opened the database; then the test's own refusal.
            auto store = TickStore::open(url, QStringLiteral("setup"));
            QVERIFY2(store.ok(), qPrintable(store.errorMessage()));
        }
        auto db = openDatabase(url, QStringLiteral("setup2"));
        QVERIFY(db.ok());
        {
            QSqlQuery q(db.value());
            const QString sql =
                url.isPostgres()
                    ? QStringLiteral("ALTER TABLE crypto_data ADD CONSTRAINT hardening_no_bad "
                                     "CHECK (symbol <> 'BADSYM')")
                    : QStringLiteral(
                          "CREATE TRIGGER hardening_no_bad BEFORE INSERT ON crypto_data WHEN "
                          "NEW.symbol = 'BADSYM' "
                          "BEGIN SELECT RAISE(ABORT, 'hardening_no_bad: symbol refused'); END");
            QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
        }
        db = Result<QSqlDatabase>(QSqlDatabase());
        closeDatabase(QStringLiteral("setup2"));
        WorkerRun run(*m_broker, url, m_dlq.get());
        std::vector<Tick> ticks = range(0, 50);
        ticks[17].symbol = "BADSYM";
        ticks[33].symbol = "BADSYM";
        produce(encoded(ticks));
        QVERIFY2(run.waitFor([&] { return nextOffset(url) == 50; }),
                 qPrintable(run.result().errorMessage()));
        QVERIFY(!run.finished());
        QCOMPARE(tickRows(url), qint64(48));
        const auto dead = readDeadLetters(*m_broker, kCrypto);
        QCOMPARE(dead.size(), size_t(2));
        for (const auto &m : dead) {
            QCOMPARE(m.header("reason"), std::string("db_refused"));
            QVERIFY2(QString::fromStdString(m.header("detail"))
                         .contains(QLatin1String("hardening_no_bad")),
                     m.header("detail").c_str());
        }
        QCOMPARE(dead[0].header("source_offset"), std::string("17"));
        QCOMPARE(dead[1].header("source_offset"), std::string("33"));
        checkCandlesCountStoredTicksOnce(url);
        produce(encoded(range(50, 60)));
        QVERIFY2(run.waitFor([&] { return nextOffset(url) == 60; }),
                 qPrintable(run.result().errorMessage()));
        QCOMPARE(tickRows(url), qint64(58));
    }

    // Defect 4: a message over 1 MB was counted as rejected, its dead letter failed ("Message size
    // too large", the shared producer's 1 MB default) and its offset committed anyway.
    void messageOverOneMegabyteReachesTheDlq()
    {
        const DatabaseUrl url = freshUrl();
        WorkerRun run(*m_broker, url, m_dlq.get());
        const std::string big = "{\"v\":1,\"pad\":\"" + std::string(2 * 1024 * 1024, 'x') + "\"}";
        std::vector<RawMessage> msgs = encoded({cryptoTick(0)});
        msgs.push_back(RawMessage{"BTC", big});
        msgs.push_back(RawMessage{"BTC", encodeTick(cryptoTick(1))});
        produce(msgs);
        QVERIFY2(run.waitFor([&] { return nextOffset(url) == 3; }),
                 qPrintable(run.result().errorMessage()));
        QCOMPARE(tickRows(url), qint64(2));
        const auto dead = readDeadLetters(*m_broker, kCrypto);
        QCOMPARE(dead.size(), size_t(1));
        QCOMPARE(dead[0].value.size(), big.size());
        QVERIFY(dead[0].value == big);
        QVERIFY(!dead[0].headers.count("ms-truncated"));
        QCOMPARE(dead[0].header("source_offset"), std::string("1"));
    }

    // Classes of bad messages from an outside producer: each is dead-lettered with a reason, its
    // neighbours are stored, and the worker goes on.
    void badMessageClassesAreDeadLettered_data()
    {
        QTest::addColumn<bool>("tombstone");
        QTest::addColumn<QByteArray>("value");
        const QByteArray good = QByteArray::fromStdString(encodeTick(cryptoTick(5)));
        auto withField = [&](const char *field, const QByteArray &json) {
            QString s = QString::fromUtf8(good);
            s.replace(
                QRegularExpression(
                    QStringLiteral("\"%1\":(\"[^\"]*\"|[^,}]*)").arg(QLatin1String(field))),
                QStringLiteral("\"%1\":%2").arg(QLatin1String(field), QString::fromUtf8(json)));
            return s.toUtf8();
        };
        auto without = [&](const char *field) {
            QString s = QString::fromUtf8(good);
            s.replace(QRegularExpression(
                          QStringLiteral(",?\"%1\":(\"[^\"]*\"|[^,}]*)").arg(QLatin1String(field))),
                      QString());
            return s.toUtf8();
        };
        QTest::newRow("empty value") << false << QByteArray();
        QTest::newRow("tombstone") << true << QByteArray();
        QTest::newRow("not JSON") << false << QByteArray("hello");
        QTest::newRow("JSON array") << false << QByteArray("[1,2,3]");
        QTest::newRow("truncated JSON") << false << good.left(good.size() / 2);
        QTest::newRow("price as text") << false << withField("price", "\"abc\"");
        QTest::newRow("price NaN string") << false << withField("price", "\"NaN\"");
        QTest::newRow("price NaN literal") << false << withField("price", "NaN");
        QTest::newRow("price huge") << false << withField("price", "1e400");
        QTest::newRow("price negative") << false << withField("price", "-3.5");
        QTest::newRow("price zero") << false << withField("price", "0");
        QTest::newRow("volume negative") << false << withField("volume", "-1");
        QTest::newRow("unknown version") << false << withField("v", "99");
        QTest::newRow("missing symbol") << false << without("symbol");
        QTest::newRow("missing price") << false << without("price");
        QTest::newRow("over 1 MB")
            << false << ("{\"v\":1,\"x\":\"" + QByteArray(1500000, 'z') + "\"}");
    }
    void badMessageClassesAreDeadLettered()
    {
        QFETCH(bool, tombstone);
        QFETCH(QByteArray, value);
        const DatabaseUrl url = freshUrl();
        WorkerRun run(*m_broker, url, m_dlq.get());
        std::vector<RawMessage> msgs{RawMessage{"BTC", encodeTick(cryptoTick(0))}};
        msgs.push_back(RawMessage{"BTC", tombstone
                                             ? std::optional<std::string>()
                                             : std::optional<std::string>(value.toStdString())});
        msgs.push_back(RawMessage{"BTC", encodeTick(cryptoTick(1))});
        produce(msgs);
        QVERIFY2(run.waitFor([&] { return nextOffset(url) == 3; }),
                 qPrintable(run.result().errorMessage()));
        QVERIFY(!run.finished());
        QCOMPARE(tickRows(url), qint64(2));
        const auto dead = readDeadLetters(*m_broker, kCrypto);
        QCOMPARE(dead.size(), size_t(1));
        QCOMPARE(dead[0].header("source_offset"), std::string("1"));
        QVERIFY2(!dead[0].header("reason").empty(), "a dead letter says why");
        QCOMPARE(dead[0].value.size(), size_t(value.size()));
        produce(encoded({cryptoTick(2)}));
        QVERIFY2(run.waitFor([&] { return nextOffset(url) == 4; }),
                 qPrintable(run.result().errorMessage()));
        QCOMPARE(tickRows(url), qint64(3));
    }

    // A value too large even for the DLQ's producer is stored there cut to fit, with a header
    // giving its original size — never dropped.
    void tooLargeForTheDlqIsTruncatedNotDropped()
    {
        kafka::KafkaSettings s;
        s.bootstrap = m_broker->bootstrapServers();
        s.props.insert(QStringLiteral("message.max.bytes"), QStringLiteral("300000"));
        auto producer = kafka::Producer::create(s);
        QVERIFY2(producer.ok(), qPrintable(producer.errorMessage()));
        kafka::DeadLetterWriter small(*producer.value(), 300000);
        const std::string value(1000000, 'y');
        std::atomic_bool stop{false};
        QVERIFY(small
                    .write(kCrypto, 0, 7, "BTC", value, QStringLiteral("invalid_json"),
                           QStringLiteral("x"), stop)
                    .ok());
        const Status flushed = small.flush(10000, stop);
        QVERIFY2(flushed.ok(), qPrintable(flushed.errorMessage()));
        QCOMPARE(small.truncated(), 1);
        const auto dead = readDeadLetters(*m_broker, kCrypto);
        QCOMPARE(dead.size(), size_t(1));
        QCOMPARE(dead[0].header("ms-truncated"), std::string("1000000"));
        QCOMPARE(dead[0].header("source_offset"), std::string("7"));
        QVERIFY(dead[0].value.size() > 100000 && dead[0].value.size() < 300000);
        QVERIFY(value.compare(0, dead[0].value.size(), dead[0].value) == 0);
    }

    // Defects 9a/9b: the DLQ flush result was ignored and the offsets committed anyway. With the
    // DLQ's broker down, nothing of the batch commits; once it is back, the dead letter is there
    // and the batch commits.
    void batchWaitsForItsDeadLetters()
    {
        const DatabaseUrl url = freshUrl();
        auto other =
            kafka::EmbeddedBroker::start({kafka::TopicSpec{QString::fromStdString(kCrypto), 1}}, 1);
        QVERIFY2(other.ok(), qPrintable(other.errorMessage()));
        kafka::KafkaSettings s;
        s.bootstrap = other.value()->bootstrapServers();
        s.props.insert(QStringLiteral("reconnect.backoff.max.ms"), QStringLiteral("200"));
        auto dlq = kafka::DeadLetterWriter::create(s);
        QVERIFY2(dlq.ok(), qPrintable(dlq.errorMessage()));
        // A first dead letter while the broker is up: the producer knows the DLQ's metadata, so
        // later ones queue and only their acknowledgement is missing.
        std::atomic_bool noStop{false};
        QVERIFY(dlq.value()
                    ->write(kCrypto, 0, 999, "BTC", "warm-up", QStringLiteral("test"), QString(),
                            noStop)
                    .ok());
        QVERIFY(dlq.value()->flush(10000, noStop).ok());
        QVERIFY(other.value()->setBrokerDown().ok());
        WorkerRun run(*m_broker, url, dlq.value().get());
        // The reject first: whatever the worker's first batch holds, it holds the reject.
        produce({RawMessage{"BTC", std::string("not json")},
                 RawMessage{"BTC", encodeTick(cryptoTick(0))},
                 RawMessage{"BTC", encodeTick(cryptoTick(1))}});
        // The worker has the batch (it counted the reject) but must not commit it.
        QVERIFY(run.waitFor([&] { return run.metrics.rejected.load() >= 1; }, 20000));
        QVERIFY(!run.waitFor([&] { return nextOffset(url) > 0 || tickRows(url) > 0; }, 3000));
        QVERIFY(other.value()->setBrokerUp().ok());
        QVERIFY2(run.waitFor([&] { return nextOffset(url) == 3; }, 60000),
                 qPrintable(run.result().errorMessage()));
        QCOMPARE(tickRows(url), qint64(2));
        const auto dead = readDeadLetters(*other.value(), kCrypto);
        QVERIFY(dead.size() >=
                2); // the warm-up, then ours at least once (a retry may write it again)
        QCOMPARE(dead[0].header("source_offset"), std::string("999"));
        for (size_t i = 1; i < dead.size(); ++i)
            QCOMPARE(dead[i].header("source_offset"), std::string("0"));
        QVERIFY(run.stop().ok());
        dlq.value().reset();
    }

    // Defect 8: SQLite kept writing into a deleted file and lost everything silently.
    void sqliteFileRemovedStopsWithAnError()
    {
        QFETCH_GLOBAL(QString, backend);
        if (backend != QLatin1String("sqlite"))
            QSKIP("SQLite only");
        const DatabaseUrl url = freshUrl();
        WorkerRun run(*m_broker, url, m_dlq.get());
        produce(encoded(range(0, 20)));
        QVERIFY2(run.waitFor([&] { return nextOffset(url) == 20; }),
                 qPrintable(run.result().errorMessage()));
        QVERIFY(QFile::remove(url.sqlitePath));
        produce(encoded(range(20, 40)));
        QVERIFY(run.waitFor([&] { return run.finished(); }, 20000));
        const Status st = run.stop();
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, QStringLiteral("db_file_replaced"));
    }
};

QTEST_GUILESS_MAIN(TestConsumerHardening)
#include "tst_consumer_hardening.moc"
