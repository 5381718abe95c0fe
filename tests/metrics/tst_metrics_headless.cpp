// A real headless run (consumer only, against a broker this test owns) scraped over HTTP while it
// runs: the counters at the end equal the summary line, the figures mean what their names say
// (stored = new rows, duplicates apart, candle writes are not candle rows, a consumer-only run
// produces nothing), and every metric the Grafana dashboard queries is one the app exports.
#include "headless_process.h"
#include "kafka/embedded_broker.h"
#include "kafka/producer.h"
#include "prometheus_check.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>

using namespace ms;
using namespace ms::test;

namespace {

constexpr qint64 kBaseTs = 1709285400000; // 2024-03-01 09:30:00 UTC
constexpr int kFirstPhase = 100;          // new ticks, stored before the rest is produced
constexpr int kNewTicks = 200;            // distinct ticks in all
constexpr int kDuplicates = 50;           // ticks of the first phase sent again
const QList<QByteArray> kBadMessages{"hello kafka", "[1,2,3]", R"({"v":1,"source":"x"})"};

QByteArray tick(int i)
{
    return QStringLiteral(
               R"({"v":1,"source":"simulator","kind":"trade","symbol":"BTC","currency":"USD",)"
               R"("price":%1,"volume":0.25,"ts":%2,"id":"t-%3"})")
        .arg(43000.0 + i)
        .arg(kBaseTs + qint64(i) * 10)
        .arg(i)
        .toUtf8();
}

qint64 sqliteCount(const QString &file, const QString &sql)
{
    qint64 n = -1;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("count"));
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                n = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("count"));
    return n;
}

double sumOf(const QMap<QString, double> &v, const QString &prefix)
{
    double sum = 0;
    for (auto it = v.cbegin(); it != v.cend(); ++it)
        if (it.key() == prefix || it.key().startsWith(prefix + u'{'))
            sum += it.value();
    return sum;
}

} // namespace

class TstMetricsHeadless : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<kafka::EmbeddedBroker> m_broker;
    std::unique_ptr<kafka::Producer> m_producer;
    QString m_dbFile;
    QByteArray m_lastScrape; // once every message was accounted for and the lag reported 0
    QMap<QString, double> m_values;
    QJsonObject m_summary;

    bool produce(int from, int to, bool duplicatesAndBad)
    {
        const std::atomic_bool stop{false};
        for (int i = from; i < to; ++i)
            if (!m_producer->produce("crypto_topic", "BTC", tick(i).toStdString(), stop).ok())
                return false;
        if (duplicatesAndBad) {
            for (int i = 0; i < kDuplicates; ++i)
                if (!m_producer->produce("crypto_topic", "BTC", tick(i).toStdString(), stop).ok())
                    return false;
            for (const QByteArray &bad : kBadMessages)
                if (!m_producer->produce("crypto_topic", "BTC", bad.toStdString(), stop).ok())
                    return false;
        }
        return m_producer->flush(10000) == 0;
    }

    QMap<QString, double> scrapeValues(quint16 port, QByteArray *text)
    {
        const HttpReply r = scrape(port);
        if (r.status != 200)
            return {};
        QString error;
        const QJsonArray families = referenceParse(r.body, &error);
        if (families.isEmpty())
            qWarning("reference parser: %s", qPrintable(error));
        *text = r.body;
        return sampleValues(families);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto broker =
            kafka::EmbeddedBroker::start({kafka::TopicSpec{QStringLiteral("crypto_topic"), 3},
                                          kafka::TopicSpec{QStringLiteral("stock_topic"), 3}},
                                         1, true);
        QVERIFY2(broker.ok(), qPrintable(broker.errorMessage()));
        m_broker = std::move(broker).value();
        auto producer = kafka::Producer::create({m_broker->bootstrapServers(), {}}, nullptr);
        QVERIFY2(producer.ok(), qPrintable(producer.errorMessage()));
        m_producer = std::move(producer).value();
        QVERIFY(produce(0, kFirstPhase, false));

        m_dbFile = m_dir.filePath(QStringLiteral("metrics.db"));
        QProcess app;
        dieWithTest(app);
        app.setWorkingDirectory(m_dir.path());
        app.start(QStringLiteral(MS_APP_PATH),
                  {QStringLiteral("--headless"), QStringLiteral("--source"), QStringLiteral("none"),
                   QStringLiteral("--kafka"), m_broker->bootstrapServers(),
                   QStringLiteral("--group"), QStringLiteral("metrics-test"),
                   QStringLiteral("--idle-exit"), QStringLiteral("4"), QStringLiteral("--db"),
                   QStringLiteral("sqlite://") + m_dbFile, QStringLiteral("--metrics-port"),
                   QStringLiteral("0")});
        QVERIFY(app.waitForStarted());
        // The server logs where it listens (port 0: any free port).
        QByteArray err;
        const quint16 port = waitForMetricsPort(app, &err);
        QVERIFY2(port != 0, err.constData());

        auto accounted = [](const QMap<QString, double> &v) {
            return v.value(QStringLiteral("marketstream_stored_total")) +
                   v.value(QStringLiteral("marketstream_duplicates_total")) +
                   sumOf(v, QStringLiteral("marketstream_rejected_total"));
        };
        // Phase 1 stored, then the rest: candles of phase 1 are written again by later batches.
        QByteArray text;
        QVERIFY2(
            waitUntil([&] { return accounted(scrapeValues(port, &text)) >= kFirstPhase; }, 60000),
            text.constData());
        QVERIFY(produce(kFirstPhase, kNewTicks, true));
        const double all = kNewTicks + kDuplicates + kBadMessages.size();
        QVERIFY2(
            waitUntil(
                [&] {
                    m_values = scrapeValues(port, &m_lastScrape);
                    return accounted(m_values) >= all &&
                           m_values.contains(QStringLiteral("marketstream_consumer_lag_messages{"
                                                            "partition=0,topic=crypto_topic}")) &&
                           sumOf(m_values, QStringLiteral("marketstream_consumer_lag_messages")) ==
                               0;
                },
                60000),
            m_lastScrape.constData());

        // --idle-exit ends the run; its summary is the last stdout line.
        QVERIFY2(app.waitForFinished(60000), "the run did not end after --idle-exit");
        QCOMPARE(app.exitCode(), 0);
        const QStringList lines =
            QString::fromUtf8(app.readAllStandardOutput()).trimmed().split(u'\n');
        m_summary = QJsonDocument::fromJson(lines.last().toUtf8()).object();
        QVERIFY2(!m_summary.isEmpty(), qPrintable(lines.join(u'\n')));
    }

    void countersEqualTheSummary()
    {
        // Every counter of the summary is marketstream_<key>_total, with the same value.
        static const QSet<QString> notCounters{
            QStringLiteral("latency_p50_ms"), QStringLiteral("latency_p99_ms"),
            QStringLiteral("seconds"),        QStringLiteral("lag_messages"),
            QStringLiteral("lag_seconds"),    QStringLiteral("rejected_by_reason")};
        int compared = 0;
        for (auto it = m_summary.begin(); it != m_summary.end(); ++it) {
            if (notCounters.contains(it.key()))
                continue;
            const QString metric = QStringLiteral("marketstream_%1_total").arg(it.key());
            const double exported = it.key() == QLatin1String("rejected")
                                        ? sumOf(m_values, metric)
                                        : m_values.value(metric, -1);
            QVERIFY2(exported == it.value().toDouble(),
                     qPrintable(QStringLiteral("%1: scrape %2, summary %3")
                                    .arg(metric)
                                    .arg(exported)
                                    .arg(it.value().toDouble())));
            ++compared;
        }
        QVERIFY(compared >= 10);
        const QJsonObject reasons = m_summary.value(QLatin1String("rejected_by_reason")).toObject();
        QVERIFY(!reasons.isEmpty());
        for (auto it = reasons.begin(); it != reasons.end(); ++it)
            QCOMPARE(m_values.value(
                         QStringLiteral("marketstream_rejected_total{reason=%1}").arg(it.key())),
                     it.value().toDouble());
        // Lag: caught up at the end, in messages and in seconds, per partition and in the summary.
        QCOMPARE(m_summary.value(QLatin1String("lag_messages")).toDouble(), 0.0);
        QCOMPARE(m_summary.value(QLatin1String("lag_seconds")).toDouble(), 0.0);
        QCOMPARE(
            m_values.value(
                QStringLiteral("marketstream_consumer_lag_seconds{partition=0,topic=crypto_topic}"),
                -1),
            0.0);
        // The latency histogram holds one sample per committed tick (new rows and duplicates).
        QCOMPARE(
            m_values.value(QStringLiteral("marketstream_produce_to_commit_latency_seconds_count")),
            double(kNewTicks + kDuplicates));
        QCOMPARE(m_values.value(QStringLiteral(
                     "marketstream_produce_to_commit_latency_seconds_bucket{le=+Inf}")),
                 double(kNewTicks + kDuplicates));
    }

    void namesSayWhatTheyCount()
    {
        auto n = [this](const char *key) {
            return m_summary.value(QLatin1String(key)).toInteger(-1);
        };
        // stored: new rows only; the replayed ticks are duplicates, not rows.
        QCOMPARE(n("stored"), qint64(kNewTicks));
        QCOMPARE(n("duplicates"), qint64(kDuplicates));
        QCOMPARE(sqliteCount(m_dbFile, QStringLiteral("SELECT count(*) FROM crypto_data")),
                 qint64(kNewTicks));
        QCOMPARE(n("rejected"), qint64(kBadMessages.size()));
        QCOMPARE(n("dead_lettered"), qint64(kBadMessages.size()));
        QCOMPARE(n("consumed"), qint64(kNewTicks + kDuplicates + kBadMessages.size()));
        // This process produced nothing: its dead letters are not "produced".
        QCOMPARE(n("produced"), qint64(0));
        // candle_writes: upserts. The first phase's candles were written again by later batches,
        // so there are more writes than candle rows.
        const qint64 candleRows =
            sqliteCount(m_dbFile, QStringLiteral("SELECT count(*) FROM candles"));
        QVERIFY(candleRows > 0);
        QVERIFY2(n("candle_writes") > candleRows,
                 qPrintable(QStringLiteral("candle writes %1, candle rows %2")
                                .arg(n("candle_writes"))
                                .arg(candleRows)));
        // One name per figure: the old ambiguous keys are gone.
        QVERIFY(!m_summary.contains(QLatin1String("inserted")));
        QVERIFY(!m_summary.contains(QLatin1String("candles")));
    }

    void scrapeIsStrictlyWellFormed()
    {
        QMap<QString, QString> declared;
        const QStringList problems = strictProblems(m_lastScrape, &declared);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QCOMPARE(m_values.value(QStringLiteral("marketstream_pipeline_state{state=running}")), 1.0);
    }

    void lagGrowsWhileTheDatabaseIsAway()
    {
        // The database locked by this test: the batch waits, and the lag (measured against what is
        // stored, not what is fetched) shows it in messages and in seconds; once unlocked, caught
        // up.
        const QString file = m_dir.filePath(QStringLiteral("lag.db"));
        QProcess app;
        dieWithTest(app);
        app.setWorkingDirectory(m_dir.path());
        app.start(QStringLiteral(MS_APP_PATH),
                  {QStringLiteral("--headless"), QStringLiteral("--source"), QStringLiteral("none"),
                   QStringLiteral("--kafka"), m_broker->bootstrapServers(),
                   QStringLiteral("--group"), QStringLiteral("metrics-lag"),
                   QStringLiteral("--idle-exit"), QStringLiteral("120"), QStringLiteral("--db"),
                   QStringLiteral("sqlite://") + file, QStringLiteral("--metrics-port"),
                   QStringLiteral("0")});
        QVERIFY(app.waitForStarted());
        QByteArray err;
        const quint16 port = waitForMetricsPort(app, &err);
        QVERIFY2(port != 0, err.constData());
        QByteArray text;
        QMap<QString, double> v;
        const double before =
            kNewTicks + kDuplicates + kBadMessages.size() + 20; // the earlier runs' data
        auto accounted = [&v] {
            return v.value(QStringLiteral("marketstream_stored_total")) +
                   v.value(QStringLiteral("marketstream_duplicates_total")) +
                   sumOf(v, QStringLiteral("marketstream_rejected_total"));
        };
        QVERIFY2(waitUntil(
                     [&] {
                         v = scrapeValues(port, &text);
                         return accounted() >= before - 20;
                     },
                     60000),
                 text.constData());

        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QSqlQuery lock(db);
            QVERIFY2(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")),
                     qPrintable(lock.lastError().text()));
            const std::atomic_bool stop{false};
            for (int i = 0; i < 20; ++i)
                QVERIFY(
                    m_producer->produce("crypto_topic", "BTC", tick(2000 + i).toStdString(), stop)
                        .ok());
            QCOMPARE(m_producer->flush(10000), 0);
            QVERIFY2(
                waitUntil(
                    [&] {
                        // After a failed write (the batch fetched, not stored): still behind.
                        v = scrapeValues(port, &text);
                        return v.value(QStringLiteral("marketstream_db_errors_total")) >= 1 &&
                               sumOf(v, QStringLiteral("marketstream_consumer_lag_messages")) >=
                                   20 &&
                               sumOf(v, QStringLiteral("marketstream_consumer_lag_seconds")) > 0;
                    },
                    60000),
                text.constData());
            QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
        QVERIFY2(waitUntil(
                     [&] {
                         v = scrapeValues(port, &text);
                         return accounted() >= before &&
                                sumOf(v, QStringLiteral("marketstream_consumer_lag_messages")) ==
                                    0 &&
                                sumOf(v, QStringLiteral("marketstream_consumer_lag_seconds")) == 0;
                     },
                     60000),
                 text.constData());
        app.terminate();
        QVERIFY(app.waitForFinished(10000));
    }

    void portInUseIsAUsageError()
    {
        // A port that cannot be bound is said at once (exit 2), before the pipeline starts.
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        const HeadlessResult r =
            runApp({QStringLiteral("--headless"), QStringLiteral("--max-ticks"),
                    QStringLiteral("10"), QStringLiteral("--db"),
                    QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("x.db")),
                    QStringLiteral("--metrics-port"), QString::number(taken.serverPort())},
                   60000, m_dir.path());
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.contains(
                QStringLiteral("cannot serve metrics on 127.0.0.1:%1").arg(taken.serverPort())),
            qPrintable(r.err));
        QVERIFY2(!r.err.contains(QStringLiteral("running:")), qPrintable(r.err));
    }

    void dashboardQueriesNameExportedMetrics()
    {
        QFile f(QStringLiteral(MS_SOURCE_DIR "/docker/grafana/dashboards/marketstream.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &perr);
        QVERIFY2(perr.error == QJsonParseError::NoError, qPrintable(perr.errorString()));
        QStringList exprs;
        std::function<void(const QJsonValue &)> walk = [&](const QJsonValue &v) {
            if (v.isObject()) {
                const QJsonObject o = v.toObject();
                for (auto it = o.begin(); it != o.end(); ++it) {
                    if (it.key() == QLatin1String("expr"))
                        exprs << it.value().toString();
                    walk(it.value());
                }
            } else if (v.isArray()) {
                for (const QJsonValue &x : v.toArray())
                    walk(x);
            }
        };
        walk(doc.object());
        QVERIFY(exprs.size() >= 8);
        QMap<QString, QString> declared;
        QVERIFY(strictProblems(m_lastScrape, &declared).isEmpty());
        const QRegularExpression metric(QStringLiteral("\\b(marketstream_[a-zA-Z0-9_]+)"));
        QSet<QString> named;
        for (const QString &e : std::as_const(exprs)) {
            QVERIFY2(e.contains(QLatin1String("marketstream_")), qPrintable(e));
            for (auto m = metric.globalMatch(e); m.hasNext();)
                named.insert(m.next().captured(1));
        }
        for (QString name : std::as_const(named)) {
            const QString asNamed = name;
            for (const char *suffix : {"_bucket", "_sum", "_count"}) {
                const QString base = name.chopped(int(qstrlen(suffix)));
                if (name.endsWith(QLatin1String(suffix)) &&
                    declared.value(base) == QLatin1String("histogram"))
                    name = base;
            }
            QVERIFY2(declared.contains(name),
                     qPrintable(asNamed +
                                QStringLiteral(" is queried by the dashboard but not exported")));
        }
        // The panels the issue asks for.
        const QString all = exprs.join(u'\n');
        for (const char *needed : {"histogram_quantile", "marketstream_consumer_lag_seconds",
                                   "marketstream_rejected_total", "marketstream_source_state",
                                   "marketstream_stored_total"})
            QVERIFY2(all.contains(QLatin1String(needed)), needed);
    }
};

QTEST_GUILESS_MAIN(TstMetricsHeadless)
#include "tst_metrics_headless.moc"
