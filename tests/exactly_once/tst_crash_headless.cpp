// Crash test of the headless app (issue 3): a fixed tick set (late ticks included) is produced by
// this test into an embedded broker that lives in the TEST process (so the log outlives the child);
// consumer-only `marketstream --headless` children are SIGKILLed at random points and restarted, and
// the database server is restarted once under a running child. At the end:
//   - the tick tables hold exactly the input (every tick once, same price and time);
//   - the candles equal a builder that saw the input once without interruption;
//   - the candles equal the SQL recomputation from the stored ticks (date_bin), to the cent, with
//     the ticks the builder dropped as late excluded (late_ticks, which must hold exactly those).
#include "candle_recompute.h"
#include "candle_test_util.h"
#include "codec/tick_codec.h"
#include "exactly_once_input.h"
#include "kafka/embedded_broker.h"
#include "kafka/producer.h"
#include "pg_server.h"
#include "storage/database.h"
#include "storage/tick_store.h"
#include "test_util.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <memory>

using namespace ms;
using namespace ms::test;

namespace {

constexpr int kTicks = 24000;        // + late copies; well under the mock's 100k per partition
constexpr int kRatePerSec = 2500;    // ~10 s of production, so kills land mid-stream
constexpr int kKills = 3;
constexpr int kIdleExitSec = 25;     // > the group's stall after a SIGKILL (~10 s session timeout)

struct Child
{
    std::unique_ptr<QProcess> process;
    QByteArray out, err;
    QString tail() const
    {
        return QStringLiteral("exit=%1\nstdout: %2\nstderr: %3")
            .arg(process->exitCode())
            .arg(QString::fromUtf8(out.right(1000)), QString::fromUtf8(err.right(3000)));
    }
};

}  // namespace

class TestCrashHeadless : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killedConsumersLoseAndDuplicateNothing();
    void embeddedModeRestartsReplayTheSameInput();
    void cleanupTestCase();

private:
    std::unique_ptr<Child> launch(const QStringList &args);
    std::unique_ptr<Child> launchConsumer();
    void pump();  // produces the input at kRatePerSec, from the event loop of the waits
    qint64 storedRows(const QString &database = QStringLiteral("crash")) const;

    PgServer m_pg;
    QString m_dbUrl;
    std::unique_ptr<kafka::EmbeddedBroker> m_broker;
    std::unique_ptr<kafka::Producer> m_producer;
    std::vector<Tick> m_input;
    size_t m_sent = 0;
    QElapsedTimer m_clock;
    std::atomic_bool m_stop{false};
};

void TestCrashHeadless::initTestCase()
{
    // The binary is a build dependency of this test and these options exist: either missing is a
    // regression, never a reason to skip.
    QVERIFY2(QFile::exists(QStringLiteral(MS_APP_PATH)), MS_APP_PATH " is missing");
    QProcess help;
    help.start(QStringLiteral(MS_APP_PATH), {QStringLiteral("--help")});
    QVERIFY(help.waitForFinished(20000));
    const QByteArray text = help.readAllStandardOutput() + help.readAllStandardError();
    QVERIFY2(text.contains("--headless") && text.contains("--idle-exit"), text.constData());

    QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
    QVERIFY2(m_pg.createDatabase(QStringLiteral("crash")), qPrintable(m_pg.errorString()));
    m_dbUrl = m_pg.url(QStringLiteral("crash"));
    auto broker = kafka::EmbeddedBroker::start({kafka::TopicSpec{QStringLiteral("crypto_topic"), 3},
                                                kafka::TopicSpec{QStringLiteral("stock_topic"), 3}}, 1);
    QVERIFY2(broker.ok(), qPrintable(broker.errorMessage()));
    m_broker = std::move(broker).value();
    auto producer = kafka::Producer::create(kafka::KafkaSettings{m_broker->bootstrapServers(), {}});
    QVERIFY2(producer.ok(), qPrintable(producer.errorMessage()));
    m_producer = std::move(producer).value();
    QVERIFY(m_producer->prepareTopics({QStringLiteral("crypto_topic"), QStringLiteral("stock_topic")}).ok());

    std::mt19937_64 rng(777);
    m_input = makeInput(rng, kTicks);
}

void TestCrashHeadless::cleanupTestCase()
{
    m_producer.reset();
    m_broker.reset();
}

std::unique_ptr<Child> TestCrashHeadless::launchConsumer()
{
    return launch({QStringLiteral("--headless"), QStringLiteral("--source"), QStringLiteral("none"),
                   QStringLiteral("--kafka"), m_broker->bootstrapServers(), QStringLiteral("--db"), m_dbUrl,
                   QStringLiteral("--idle-exit"), QString::number(kIdleExitSec)});
}

std::unique_ptr<Child> TestCrashHeadless::launch(const QStringList &args)
{
    auto c = std::make_unique<Child>();
    c->process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *k : {"KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "POSTGRES_HOST", "KAFKA_CONSUMER_GROUP"})
        env.remove(QString::fromLatin1(k));
    c->process->setProcessEnvironment(env);
    c->process->setWorkingDirectory(QDir::tempPath());  // no stray .env
    Child *raw = c.get();
    connect(raw->process.get(), &QProcess::readyReadStandardOutput, this, [raw] { raw->out += raw->process->readAllStandardOutput(); });
    connect(raw->process.get(), &QProcess::readyReadStandardError, this, [raw] { raw->err += raw->process->readAllStandardError(); });
    ms::test::dieWithTest(*c->process);
    c->process->start(QStringLiteral(MS_APP_PATH), args);
    return c;
}

void TestCrashHeadless::pump()
{
    const size_t due = std::min(m_input.size(), size_t(m_clock.elapsed() * kRatePerSec / 1000));
    std::string json;
    for (; m_sent < due; ++m_sent) {
        const Tick &t = m_input[m_sent];
        json.clear();
        encodeTick(t, json);
        const std::string topic = t.asset == AssetClass::Crypto ? "crypto_topic" : "stock_topic";
        if (!m_producer->produce(topic, t.symbol, json, m_stop).ok())
            qFatal("produce failed");
    }
}

qint64 TestCrashHeadless::storedRows(const QString &database) const
{
    const QString n = m_pg.psql(QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)"),
                                database);
    return n.isEmpty() ? 0 : n.toLongLong();
}

void TestCrashHeadless::killedConsumersLoseAndDuplicateNothing()
{
    const qint64 total = qint64(m_input.size());
    std::mt19937_64 rng(4242);
    m_clock.start();
    auto child = launchConsumer();
    QVERIFY(child->process->waitForStarted(10000));

    // kKills SIGKILLs, each after the current child stored a random number of new rows (so every
    // child makes progress first), and one database restart under a running child.
    for (int k = 0; k <= kKills; ++k) {
        const qint64 at = std::min(total, storedRows() + std::uniform_int_distribution<qint64>(500, total / 8)(rng));
        QVERIFY2(waitUntil([&] { pump(); return storedRows() >= at || child->process->state() != QProcess::Running; }, 120000),
                 qPrintable(QStringLiteral("stuck below %1 rows (stored %2)\n").arg(at).arg(storedRows()) + child->tail()));
        QVERIFY2(child->process->state() == QProcess::Running, qPrintable(child->tail()));
        if (k == 1) {  // the database restarts under the running consumer: it must wait and resume
            QVERIFY2(m_pg.restart(), qPrintable(m_pg.errorString()));
            continue;
        }
        child->process->kill();  // SIGKILL: no flush, no commit, no goodbye to the group
        QVERIFY(child->process->waitForFinished(10000));
        qInfo("killed at %lld stored rows (%zu produced)", storedRows(), m_sent);
        child = launchConsumer();
        QVERIFY(child->process->waitForStarted(10000));
    }
    QVERIFY(waitUntil([&] { pump(); return m_sent == m_input.size(); }, 60000));
    QCOMPARE(m_producer->flush(10000), 0);
    QVERIFY2(waitUntil([&] { return storedRows() >= total || child->process->state() != QProcess::Running; }, 150000),
             qPrintable(child->tail()));
    QVERIFY2(waitUntil([&] { return child->process->state() == QProcess::NotRunning; }, 60000), qPrintable(child->tail()));
    QVERIFY2(child->process->exitStatus() == QProcess::NormalExit && child->process->exitCode() == 0, qPrintable(child->tail()));
    const QJsonObject summary = QJsonDocument::fromJson(child->out.trimmed().split('\n').last()).object();
    QVERIFY2(summary.contains(QLatin1String("stored")), qPrintable(child->tail()));

    // 1. The tick tables hold exactly the input.
    auto storeR = TickStore::open(*DatabaseUrl::parse(m_dbUrl), QStringLiteral("check"));
    QVERIFY2(storeR.ok(), qPrintable(storeR.errorMessage()));
    auto adminR = openDatabase(*DatabaseUrl::parse(m_dbUrl), QStringLiteral("admin"));
    QVERIFY(adminR.ok());
    QSqlDatabase db = adminR.value();
    QCOMPARE(storedRows(), total);
    std::map<std::string, const Tick *> byId;
    for (const Tick &t : m_input)
        byId[t.symbol + "/" + t.id] = &t;
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("SELECT symbol, trade_id, price, volume, (extract(epoch FROM \"timestamp\") * 1000)::bigint "
                                  "FROM crypto_data UNION ALL SELECT symbol, trade_id, price, volume, "
                                  "(extract(epoch FROM \"timestamp\") * 1000)::bigint FROM stock_data")));
    qint64 matched = 0;
    while (q.next()) {
        auto it = byId.find(q.value(0).toString().toStdString() + "/" + q.value(1).toString().toStdString());
        QVERIFY2(it != byId.end(), qPrintable(q.value(1).toString()));
        QCOMPARE(q.value(2).toDouble(), it->second->price);
        QCOMPARE(q.value(3).toDouble(), it->second->volume);
        QCOMPARE(q.value(4).toLongLong(), it->second->tsMs);
        byId.erase(it);
        ++matched;
    }
    QCOMPARE(matched, total);

    // 2. Candles equal an uninterrupted builder fed the same input (per symbol, the same order).
    CandleBuilder reference;
    Collector expected;
    QVERIFY(q.exec(QStringLiteral("CREATE TABLE expected_late_ticks (LIKE late_ticks INCLUDING DEFAULTS)")));
    QStringList lateRows;
    for (const Tick &t : m_input) {
        const AddOutcome o = reference.add(t);
        for (int i = 0; i < int(reference.config().intervalsSec.size()); ++i)
            if (o.droppedLateMask & (1u << i))
                lateRows << QStringLiteral("('simulator','%1','%2',%3,'crypto','USD',now(),1,0,now())")
                                .arg(QString::fromStdString(t.symbol), QString::fromStdString(t.id))
                                .arg(reference.config().intervalsSec[size_t(i)]);
    }
    expected.take(reference);
    QVERIFY(!lateRows.isEmpty());
    QVERIFY2(q.exec(QStringLiteral("INSERT INTO expected_late_ticks (source, symbol, trade_id, interval_s, asset_class, currency, "
                                   "\"timestamp\", price, volume, watermark) VALUES ")
                    + lateRows.join(QLatin1Char(','))),
             qPrintable(q.lastError().text()));
    auto stored = storeR.value()->loadCandles(0);
    QVERIFY(stored.ok());
    QCOMPARE(stored->size(), expected.latest.size());
    for (const Candle &c : stored.value()) {
        auto it = expected.latest.find(keyOf(c));
        QVERIFY2(it != expected.latest.end(), qPrintable(QStringLiteral("unexpected ") + describe(c)));
        QVERIFY2(sameCandle(c, it->second), qPrintable(describe(c) + QStringLiteral("\n vs ") + describe(it->second)));
    }

    // 3. The app recorded exactly the ticks the reference builder dropped as late (the input has
    // them by construction: copies ~30 s old), and the candles equal the SQL recomputation from the
    // stored ticks without those, to the cent.
    const qint64 recorded = scalar(db, QStringLiteral("SELECT count(*) FROM late_ticks"));
    QCOMPARE(recorded, qint64(lateRows.size()));
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM (SELECT source, symbol, trade_id, interval_s FROM late_ticks "
                                       "EXCEPT SELECT source, symbol, trade_id, interval_s FROM expected_late_ticks) x")), 0);
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM (SELECT source, symbol, trade_id, interval_s FROM expected_late_ticks "
                                       "EXCEPT SELECT source, symbol, trade_id, interval_s FROM late_ticks) x")), 0);
    const QStringList diff = candleMismatches(db, QStringLiteral("late_ticks"));
    QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
}

void TestCrashHeadless::embeddedModeRestartsReplayTheSameInput()
{
    // The embedded broker dies with the process: each launch replays the same deterministic
    // simulator input (seed + start time) into a fresh broker. The tick tables must hold it once,
    // and the candles must still equal the recomputation (replayed ticks must not be merged twice
    // into the candles restored from the database).
    const QString dbName = QStringLiteral("embedded");
    QVERIFY2(m_pg.createDatabase(dbName), qPrintable(m_pg.errorString()));
    const QString url = m_pg.url(dbName);
    const qint64 total = 20000;
    const QStringList args{QStringLiteral("--headless"), QStringLiteral("--source"), QStringLiteral("simulator"),
                           QStringLiteral("--seed"), QStringLiteral("9"), QStringLiteral("--start-time"),
                           QStringLiteral("1700000000000"), QStringLiteral("--max-ticks"), QString::number(total),
                           QStringLiteral("--rate"), QStringLiteral("4000"), QStringLiteral("--partitions"),
                           QStringLiteral("3"), QStringLiteral("--db"), url};
    std::mt19937_64 rng(99);
    for (const qint64 base : {total / 4, total / 2}) {
        const qint64 at = base + std::uniform_int_distribution<qint64>(0, total / 10)(rng);
        auto child = launch(args);
        QVERIFY(child->process->waitForStarted(10000));
        QVERIFY2(waitUntil([&] { return storedRows(dbName) >= at || child->process->state() != QProcess::Running; }, 90000),
                 qPrintable(child->tail()));
        QVERIFY2(child->process->state() == QProcess::Running, qPrintable(child->tail()));
        child->process->kill();
        QVERIFY(child->process->waitForFinished(10000));
        qInfo("embedded: killed at %lld stored rows", storedRows(dbName));
    }
    auto last = launch(args);
    QVERIFY(last->process->waitForStarted(10000));
    QVERIFY2(waitUntil([&] { return last->process->state() == QProcess::NotRunning; }, 120000), qPrintable(last->tail()));
    QVERIFY2(last->process->exitStatus() == QProcess::NormalExit && last->process->exitCode() == 0, qPrintable(last->tail()));

    auto adminR = openDatabase(*DatabaseUrl::parse(url), QStringLiteral("admin-embedded"));
    QVERIFY(adminR.ok());
    QSqlDatabase db = adminR.value();
    QCOMPARE(storedRows(dbName), total);
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(DISTINCT (source, symbol, trade_id)) FROM (SELECT source, symbol, trade_id "
                                       "FROM crypto_data UNION ALL SELECT source, symbol, trade_id FROM stock_data) x")),
             total);
    const QStringList diff = candleMismatches(db);
    // Regression: a fresh embedded broker has no stored offsets and the deterministic input is sent
    // again from the start; the consumer must rebuild open candles from the replay (ReplayFromStart),
    // not merge the replayed ticks into restored ones a second time.
    QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestCrashHeadless)
#include "tst_crash_headless.moc"
