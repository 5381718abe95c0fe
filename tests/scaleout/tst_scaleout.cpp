// Scale-out across processes: one headless producer and two headless consumer-only instances in ONE
// consumer group share an embedded broker (started here, in the test process) and one real
// PostgreSQL. One consumer is killed with SIGKILL mid-run and restarted. At the end every tick is
// stored exactly once, every partition's stored offset equals its message count, and the consumers
// together read no more than was produced (no partition was processed by two live members).
#include "kafka/embedded_broker.h"
#include "pg_server.h"
#include "test_util.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <memory>

using namespace ms::test;

namespace {

constexpr qint64 kTicks = 12000;    // well under the mock's 100k messages per partition
constexpr int kRate = 500;          // ticks/s → ~24 s of production, long enough for a rebalance
constexpr int kPartitions = 6;
constexpr int kIdleExitSec = 30;    // > the rebalance stall after a SIGKILL: the dead member holds its partitions until its 10 s session expires, then the join (~3 s); a restarted member joining early waits all of it

struct Instance
{
    QString name;
    std::unique_ptr<QProcess> process;
    QByteArray out;
    QByteArray err;

    QJsonObject summary() const
    {
        const QList<QByteArray> lines = out.trimmed().split('\n');
        return lines.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(lines.last()).object();
    }
    QString describe() const
    {
        return name + QStringLiteral(": exit=") + QString::number(process ? process->exitCode() : -1)
               + QStringLiteral("\nstdout tail: ") + QString::fromUtf8(out.right(1500))
               + QStringLiteral("\nstderr tail: ") + QString::fromUtf8(err.right(3000));
    }
};

}  // namespace

class TstScaleout : public QObject
{
    Q_OBJECT
    PgServer m_pg;
    std::unique_ptr<ms::kafka::EmbeddedBroker> m_broker;
    QString m_dbUrl;

    std::unique_ptr<Instance> launch(const QString &name, const QStringList &args)
    {
        auto inst = std::make_unique<Instance>();
        inst->name = name;
        inst->process = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *k : {"KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "POSTGRES_HOST", "KAFKA_CONSUMER_GROUP"})
            env.remove(QString::fromLatin1(k));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        inst->process->setProcessEnvironment(env);
        inst->process->setWorkingDirectory(QDir::tempPath());  // no stray .env picked up
        Instance *raw = inst.get();
        connect(raw->process.get(), &QProcess::readyReadStandardOutput, this,
                [raw] { raw->out += raw->process->readAllStandardOutput(); });
        connect(raw->process.get(), &QProcess::readyReadStandardError, this,
                [raw] { raw->err += raw->process->readAllStandardError(); });
        ms::test::dieWithTest(*inst->process);
        inst->process->start(QStringLiteral(MS_APP_PATH), QStringList{QStringLiteral("--headless")} + args);
        return inst;
    }

    QStringList consumerArgs() const
    {
        return {QStringLiteral("--source"), QStringLiteral("none"), QStringLiteral("--kafka"), m_broker->bootstrapServers(),
                QStringLiteral("--db"), m_dbUrl, QStringLiteral("--idle-exit"), QString::number(kIdleExitSec)};
    }

    qint64 storedRows() const
    {
        const QString n = m_pg.psql(QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)"),
                                    QStringLiteral("scaleout"));
        return n.isEmpty() ? 0 : n.toLongLong();
    }

    static bool waitFinished(Instance &i, int timeoutMs)
    {
        return waitUntil([&i] { return i.process->state() == QProcess::NotRunning; }, timeoutMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // A build dependency: a missing binary or option is a regression, never a reason to skip.
        QVERIFY2(QFile::exists(QStringLiteral(MS_APP_PATH)), MS_APP_PATH " is missing");
        QProcess help;
        help.start(QStringLiteral(MS_APP_PATH), {QStringLiteral("--help")});
        QVERIFY(help.waitForFinished(20000));
        const QByteArray text = help.readAllStandardOutput() + help.readAllStandardError();
        QVERIFY2(text.contains("--headless") && text.contains("--idle-exit") && text.contains("--no-consumer"),
                 text.constData());

        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY2(m_pg.createDatabase(QStringLiteral("scaleout")), qPrintable(m_pg.errorString()));
        m_dbUrl = m_pg.url(QStringLiteral("scaleout"));
        auto broker = ms::kafka::EmbeddedBroker::start(
            {ms::kafka::TopicSpec{QStringLiteral("crypto_topic"), kPartitions},
             ms::kafka::TopicSpec{QStringLiteral("stock_topic"), kPartitions}}, 3);
        QVERIFY2(broker.ok(), qPrintable(broker.errorMessage()));
        m_broker = std::move(broker.value());
    }

    void twoConsumersOneKilledAndRestarted()
    {
        // Consumers first, so the group is formed (~3 s) while the producer starts.
        auto a = launch(QStringLiteral("consumer-A"), consumerArgs());
        auto b = launch(QStringLiteral("consumer-B"), consumerArgs());
        QVERIFY(a->process->waitForStarted(10000));
        QVERIFY(b->process->waitForStarted(10000));
        auto producer = launch(QStringLiteral("producer"),
            {QStringLiteral("--no-consumer"), QStringLiteral("--source"), QStringLiteral("simulator"),
             QStringLiteral("--seed"), QStringLiteral("2024"), QStringLiteral("--max-ticks"), QString::number(kTicks),
             QStringLiteral("--rate"), QString::number(kRate), QStringLiteral("--kafka"), m_broker->bootstrapServers()});
        QVERIFY(producer->process->waitForStarted(10000));

        // Kill A once the consumers are storing rows (not at a convenient boundary: SIGKILL).
        QVERIFY2(waitUntil([this] { return storedRows() >= kTicks / 8; }, 60000),
                 qPrintable(a->describe() + u'\n' + b->describe() + u'\n' + producer->describe()));
        QVERIFY2(a->process->state() == QProcess::Running, qPrintable(a->describe()));
        a->process->kill();  // SIGKILL
        QVERIFY(a->process->waitForFinished(5000));
        const qint64 rowsAtKill = storedRows();
        QVERIFY(rowsAtKill < kTicks);  // the restart happens mid-run, not after it
        auto a2 = launch(QStringLiteral("consumer-A-restarted"), consumerArgs());
        QVERIFY(a2->process->waitForStarted(10000));

        QVERIFY2(waitFinished(*producer, 120000), qPrintable(producer->describe()));
        QVERIFY2(producer->process->exitCode() == 0, qPrintable(producer->describe()));
        QVERIFY2(waitFinished(*b, 120000), qPrintable(b->describe()));
        QVERIFY2(waitFinished(*a2, 120000), qPrintable(a2->describe()));
        QVERIFY2(b->process->exitCode() == 0, qPrintable(b->describe()));
        QVERIFY2(a2->process->exitCode() == 0, qPrintable(a2->describe()));

        const QJsonObject ps = producer->summary();
        const QJsonObject bs = b->summary();
        const QJsonObject a2s = a2->summary();
        QVERIFY2(!ps.isEmpty() && !bs.isEmpty() && !a2s.isEmpty(),
                 qPrintable(producer->describe() + u'\n' + b->describe() + u'\n' + a2->describe()));
        QCOMPARE(ps.value(QLatin1String("produced")).toInteger(), kTicks);

        // Every tick stored exactly once.
        const qint64 rows = storedRows();
        QVERIFY2(rows == kTicks, qPrintable(QStringLiteral("%1 rows for %2 ticks (rows at kill %3)\noffsets:\n%4\n")
            .arg(rows).arg(kTicks).arg(rowsAtKill)
            .arg(m_pg.psql(QStringLiteral("SELECT topic, partition, next_offset, cluster_id FROM pipeline_offsets ORDER BY 1, 2"),
                           QStringLiteral("scaleout")))
            + QString::fromUtf8(ps.isEmpty() ? QByteArray() : QJsonDocument(ps).toJson(QJsonDocument::Compact)) + u'\n'
            + b->describe() + u'\n' + a2->describe() + u'\n' + a->describe()));
        const QString distinct = m_pg.psql(QStringLiteral(
            "SELECT (SELECT count(DISTINCT (source, symbol, trade_id)) FROM crypto_data)"
            " + (SELECT count(DISTINCT (source, symbol, trade_id)) FROM stock_data)"), QStringLiteral("scaleout"));
        QCOMPARE(distinct.toLongLong(), kTicks);

        // Every partition's stored position is its end: the offsets account for each message once.
        const QString offsets = m_pg.psql(QStringLiteral(
            "SELECT coalesce(sum(next_offset), 0) || ' ' || count(*) FROM pipeline_offsets"
            " WHERE topic IN ('crypto_topic', 'stock_topic')"), QStringLiteral("scaleout"));
        const QStringList parts = offsets.split(u' ');
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts.at(0).toLongLong(), kTicks);
        QVERIFY2(parts.at(1).toInt() <= 2 * kPartitions, qPrintable(offsets));  // one row per partition of one cluster

        // Partitions were shared, not duplicated: both survivors did work, and together they read
        // no more than was produced (two members reading one partition would push this towards 2N)
        // and at least what was left when A died.
        // "stored" = rows new to the database (natural-key duplicates are counted apart).
        const auto inserted = [](const QJsonObject &o) { return o.value(QLatin1String("stored")).toInteger(); };
        const qint64 bStored = inserted(bs);
        const qint64 a2Stored = inserted(a2s);
        const qint64 consumed = bs.value(QLatin1String("consumed")).toInteger() + a2s.value(QLatin1String("consumed")).toInteger();
        QVERIFY2(bStored > 0 && a2Stored > 0, qPrintable(b->describe() + u'\n' + a2->describe()));
        QVERIFY2(consumed <= kTicks, qPrintable(QStringLiteral("consumed %1 > produced %2").arg(consumed).arg(kTicks)));
        QVERIFY2(bStored + a2Stored >= kTicks - rowsAtKill,
                 qPrintable(QStringLiteral("stored %1 + %2 < %3 left at the kill").arg(bStored).arg(a2Stored).arg(kTicks - rowsAtKill)));
        QVERIFY2(bStored + a2Stored <= kTicks, qPrintable(QStringLiteral("inserted %1 + %2 > %3").arg(bStored).arg(a2Stored).arg(kTicks)));
        QCOMPARE(bs.value(QLatin1String("rejected")).toInteger() + a2s.value(QLatin1String("rejected")).toInteger(), 0);
        qInfo("scale-out: %lld ticks, rows at kill %lld, B inserted %lld (dup %lld), A' inserted %lld (dup %lld), consumed %lld",
              kTicks, rowsAtKill, bStored, qint64(bs.value(QLatin1String("duplicates")).toInteger()), a2Stored,
              qint64(a2s.value(QLatin1String("duplicates")).toInteger()), consumed);
    }

    void cleanupTestCase()
    {
        m_broker.reset();
        m_pg.stop();
    }
};

QTEST_GUILESS_MAIN(TstScaleout)
#include "tst_scaleout.moc"
