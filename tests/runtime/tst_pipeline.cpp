// The in-process pipeline on the embedded broker: an external Kafka client (kcat) reads and writes
// its topics; bad messages go to the dead-letter topic with their reason while good ones are stored;
// start/stop are safe to repeat and bounded in time.
#include "codec/tick_codec.h"
#include "runtime/pipeline.h"
#include "test_util.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using ms::test::waitUntil;

namespace {
QString kcat(const QStringList &args, const QByteArray &input = {}, int *exitCode = nullptr)
{
    QProcess p;
    p.start(QStringLiteral("kcat"), args);
    p.waitForStarted();
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(30000);
    if (exitCode)
        *exitCode = p.exitCode();
    return QString::fromUtf8(p.readAllStandardOutput());
}

qint64 sqliteCount(const QString &file, const QString &sql)
{
    qint64 n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                n = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
    return n;
}
}  // namespace

class TstPipeline : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    PipelineConfig baseConfig(const QString &dbName)
    {
        PipelineConfig c;
        c.databaseUrl = QStringLiteral("sqlite://") + m_dir.filePath(dbName);
        c.rate = 500;
        return c;
    }

private Q_SLOTS:
    void kcatReadsTheTopic()
    {
        Pipeline p;
        p.start(baseConfig(QStringLiteral("kcat.db")));
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Running; }, 20000));
        QVERIFY(waitUntil([&] { return p.metrics().produced >= 20; }, 20000));
        const QString bootstrap = p.bootstrapServers();
        QVERIFY(bootstrap.startsWith(QStringLiteral("127.0.0.1:")));
        int rc = -1;
        const QString out = kcat({QStringLiteral("-b"), bootstrap, QStringLiteral("-C"), QStringLiteral("-t"),
                                  QStringLiteral("crypto_topic"), QStringLiteral("-o"), QStringLiteral("beginning"),
                                  QStringLiteral("-e"), QStringLiteral("-c"), QStringLiteral("10"), QStringLiteral("-q")},
                                 {}, &rc);
        QCOMPARE(rc, 0);
        const QStringList lines = out.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 10);
        for (const QString &line : lines) {
            const QByteArray utf8 = line.toUtf8();
            const auto r = decodeTick(std::string_view(utf8.constData(), size_t(utf8.size())), AssetClass::Crypto);
            QVERIFY2(isTick(r), qPrintable(line));
            QCOMPARE(std::get<Tick>(r).source, SourceKind::Simulator);
        }
        p.stop();
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Stopped; }, 5000));
    }

    void badMessagesGoToTheDeadLetterTopic()
    {
        PipelineConfig c = baseConfig(QStringLiteral("dlq.db"));
        c.runProducers = false;  // consumers only: a plain Kafka client produces
        Pipeline p;
        p.start(c);
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Running; }, 20000));
        const QString bootstrap = p.bootstrapServers();
        QByteArray input;
        const QList<QByteArray> good = {
            "BTC|{\"v\":1,\"source\":\"replay\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"currency\":\"USD\",\"price\":43000.5,\"volume\":0.12,\"ts\":1700000000123,\"id\":\"r-1\"}",
            "BTC|{\"symbol\":\"BTC\",\"price\":43000.12,\"timestamp\":1712345678.123}",
            "ETH|{\"v\":1,\"source\":\"replay\",\"kind\":\"trade\",\"symbol\":\"ETH\",\"price\":2300,\"volume\":1,\"ts\":1700000000200,\"id\":\"r-2\"}",
        };
        const QList<QByteArray> bad = {
            "BTC|not json at all",
            "BTC|{\"v\":1,\"source\":\"replay\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":-1,\"ts\":1700000000123,\"id\":\"r-3\"}",
            "ETH|{\"v\":1,\"source\":\"replay\",\"kind\":\"trade\",\"symbol\":\"ETH\",\"price\":\"1\",\"ts\":1700000000123,\"id\":\"r-4\"}",
            "ETH|{\"symbol\":\"ETH\",\"price\":1,\"timestamp\":1712345678123}",
        };
        for (const auto &l : good)
            input += l + '\n';
        for (const auto &l : bad)
            input += l + '\n';
        int rc = -1;
        kcat({QStringLiteral("-b"), bootstrap, QStringLiteral("-P"), QStringLiteral("-t"), QStringLiteral("crypto_topic"),
              QStringLiteral("-K"), QStringLiteral("|")},
             input, &rc);
        QCOMPARE(rc, 0);
        QVERIFY2(waitUntil([&] { const auto m = p.metrics(); return m.stored + m.rejected >= 7; }, 30000),
                 qPrintable(QStringLiteral("stored %1 rejected %2").arg(p.metrics().stored).arg(p.metrics().rejected)));
        const MetricsSnapshot m = p.metrics();
        QCOMPARE(m.stored, 3);
        QCOMPARE(m.rejected, 4);
        QCOMPARE(m.rejectedByReason.value(QStringLiteral("invalid_json")), 1);
        QCOMPARE(m.rejectedByReason.value(QStringLiteral("non_positive_price")), 1);
        QCOMPARE(m.rejectedByReason.value(QStringLiteral("wrong_type")), 1);
        QCOMPARE(m.rejectedByReason.value(QStringLiteral("absurd_timestamp")), 1);
        QVERIFY(waitUntil([&] { return p.metrics().deadLettered == 4; }, 10000));

        // The dead letters: original bytes, with the reason and origin in headers.
        const QString dlq = kcat({QStringLiteral("-b"), bootstrap, QStringLiteral("-C"), QStringLiteral("-t"),
                                  QStringLiteral("crypto_topic.dlq"), QStringLiteral("-o"), QStringLiteral("beginning"),
                                  QStringLiteral("-e"), QStringLiteral("-q"), QStringLiteral("-f"),
                                  QStringLiteral("%k|%h|%s\n")});
        const QStringList lines = dlq.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 4);
        QVERIFY(dlq.contains(QStringLiteral("reason=invalid_json")));
        QVERIFY(dlq.contains(QStringLiteral("reason=non_positive_price")));
        QVERIFY(dlq.contains(QStringLiteral("source_topic=crypto_topic")));
        QVERIFY(dlq.contains(QStringLiteral("|not json at all")));
        p.stop();
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Stopped; }, 5000));
        QCOMPARE(sqliteCount(m_dir.filePath(QStringLiteral("dlq.db")), QStringLiteral("SELECT count(*) FROM crypto_data")), 3);
    }

    void startStopAreIdempotentAndRepeatable()
    {
        Pipeline p;
        const PipelineConfig c = baseConfig(QStringLiteral("repeat.db"));
        for (int i = 0; i < 3; ++i) {
            p.start(c);
            p.start(c);  // twice: harmless
            QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Running; }, 20000));
            p.stop();
            p.stop();    // twice: harmless
            QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Stopped; }, 5000));
        }
        // Stop while starting is safe too.
        p.start(c);
        p.stop();
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Stopped; }, 15000));
    }

    void badDatabaseGivesAClearError()
    {
        PipelineConfig c = baseConfig(QStringLiteral("unused.db"));
        c.databaseUrl = QStringLiteral("postgresql://nobody:hunter22@127.0.0.1:1/x");
        Pipeline p;
        p.start(c);
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Error; }, 30000));
        QVERIFY2(p.stateMessage().contains(QStringLiteral("cannot open the database")), qPrintable(p.stateMessage()));
        QVERIFY(!p.stateMessage().contains(QStringLiteral("hunter22")));
        // And the pipeline is usable again with a good setting.
        p.start(baseConfig(QStringLiteral("good.db")));
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Running; }, 20000));
        p.stop();
        QVERIFY(waitUntil([&] { return p.state() == Pipeline::State::Stopped; }, 5000));
    }
};

QTEST_GUILESS_MAIN(TstPipeline)
#include "tst_pipeline.moc"
