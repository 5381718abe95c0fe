// Does operating the pipeline cost it anything (issue 14)? The real headless binary (simulator →
// embedded Kafka → candles → SQLite), paced, in alternating pairs on copies of one seeded database:
//   plain:    retention off, no metrics server, nobody reading the topic;
//   operated: /metrics scraped every second, a TopicTail (the inspector's reader, in this process
//             on its own thread, against the embedded broker's printed bootstrap address) reading
//             crypto_topic from the beginning and formatting every record like the inspector, and
//             retention deleting the seeded ticks/1 s candles (10 days old, policy 1 day, first
//             pass 3 s after the start, then every 2 s).
// The order inside a pair alternates so a drift of the shared machine falls on both sides.
// Prints produce→commit p50/p99 of every run, the per-pair difference and its median; asserts nothing.
//   bench_operator_load [seconds=10] [rate=2000] [pairs=4] [seed_ticks=200000]
//                       [load=scrape,tail,retention]   (a subset tells which part costs what)
#include "kafka/topic_tail.h"
#include "kafka/tail_format.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

constexpr qint64 kDayMs = 86'400'000;

bool scrapeOnce(quint16 port)
{
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!s.waitForConnected(2000))
        return false;
    s.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    qint64 bytes = 0;
    while (s.state() == QAbstractSocket::ConnectedState && s.waitForReadyRead(2000))
        bytes += s.readAll().size();
    return bytes + s.readAll().size() > 0;
}

// The inspector's reader: from the beginning, every record formatted, until `stop`.
struct Tail
{
    std::atomic_bool stop{false};
    std::atomic<qint64> records{0};
    std::atomic<qint64> bytes{0}; // formatted lines, so the formatting is not optimised away
    QString error;
    std::thread thread;

    void start(const QString &bootstrap)
    {
        thread = std::thread([this, bootstrap] {
            ms::kafka::TailOptions o;
            o.settings.bootstrap = bootstrap;
            o.topic = QStringLiteral("crypto_topic");
            o.start = ms::kafka::TailStart::Beginning;
            auto tail = ms::kafka::TopicTail::open(o, &stop);
            if (!tail) {
                error = tail.errorMessage();
                return;
            }
            while (!stop.load()) {
                auto batch = tail.value()->poll(200, 500, &stop);
                if (!batch) {
                    error = batch.errorMessage();
                    return;
                }
                for (const ms::kafka::TailRecord &r : batch.value())
                    bytes += ms::kafka::tailRecordLine(r).size();
                records += qint64(batch->size());
            }
        });
    }
    void finish()
    {
        stop = true;
        if (thread.joinable())
            thread.join();
    }
};

struct Load
{
    bool scrape = true, tail = true, retention = true;
};

struct Run
{
    QJsonObject summary;
    int exitCode = -1;
    int scrapes = 0;
    qint64 tailRecords = -1, tailBytes = 0;
    qint64 ticksDeleted = 0, candlesDeleted = 0, batches = 0;
    double longestBatchMs = 0;
    QString tailError;
};

Run runOnce(const QString &db, int seconds, int rate, bool operated, const Load &load)
{
    QStringList args{QStringLiteral("--headless"), QStringLiteral("--rate"), QString::number(rate),
                     QStringLiteral("--duration"), QString::number(seconds), QStringLiteral("--db"),
                     QStringLiteral("sqlite://") + db};
    if (operated && load.scrape)
        args << QStringLiteral("--metrics-port") << QStringLiteral("0");
    if (operated && load.retention)
        args << QStringLiteral("--retain-ticks") << QStringLiteral("1")
             << QStringLiteral("--retain-1s-candles") << QStringLiteral("1")
             << QStringLiteral("--retention-first-pass") << QStringLiteral("3")
             << QStringLiteral("--retention-every") << QStringLiteral("2");
    else
        args << QStringLiteral("--retain-ticks") << QStringLiteral("0")
             << QStringLiteral("--retain-1s-candles") << QStringLiteral("0");
    QProcess p;
    p.start(QStringLiteral(MS_APP_PATH), args);
    p.waitForStarted();
    Run run;
    Tail tail;
    QString err;
    quint16 port = 0;
    bool tailStarted = false;
    const QRegularExpression served(QStringLiteral("serving http://127\\.0\\.0\\.1:(\\d+)/metrics"));
    const QRegularExpression running(QStringLiteral("running: Kafka embedded \\(([^)]+)\\)"));
    QElapsedTimer sinceScrape, wall;
    sinceScrape.start();
    wall.start();
    while (!p.waitForFinished(50) && wall.elapsed() < qint64(seconds + 60) * 1000) {
        err += QString::fromUtf8(p.readAllStandardError());
        if (!operated)
            continue;
        if (port == 0) {
            if (const auto m = served.match(err); m.hasMatch())
                port = quint16(m.captured(1).toUInt());
        }
        if (load.tail && !tailStarted) {
            if (const auto m = running.match(err); m.hasMatch()) {
                tail.start(m.captured(1));
                tailStarted = true;
            }
        }
        if (port != 0 && sinceScrape.elapsed() >= 1000) {
            sinceScrape.restart();
            run.scrapes += scrapeOnce(port) ? 1 : 0;
        }
    }
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(5000);
    }
    tail.finish();
    err += QString::fromUtf8(p.readAllStandardError());
    if (tailStarted) {
        run.tailRecords = tail.records.load();
        run.tailBytes = tail.bytes.load();
        run.tailError = tail.error;
    }
    const QRegularExpression deleted(
        QStringLiteral("Retention: (\\d+) ticks and (\\d+) 1 s candles deleted.*, (\\d+) "
                       "batches, longest ([0-9.]+) ms"));
    for (auto it = deleted.globalMatch(err); it.hasNext();) {
        const auto m = it.next();
        run.ticksDeleted += m.captured(1).toLongLong();
        run.candlesDeleted += m.captured(2).toLongLong();
        run.batches += m.captured(3).toLongLong();
        run.longestBatchMs = std::max(run.longestBatchMs, m.captured(4).toDouble());
    }
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).trimmed().split(u'\n');
    run.summary = QJsonDocument::fromJson(lines.last().toUtf8()).object();
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return run;
}

// Old history for retention to delete: the simulator as fast as it goes, event times 10 days ago,
// another seed than the runs' default 42 (the same seed makes the same trade ids: every tick of a
// run would be a duplicate of the seeded history and nothing would be stored).
bool seedDatabase(const QString &db, qint64 ticks)
{
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - 10 * kDayMs;
    QProcess p;
    p.start(QStringLiteral(MS_APP_PATH),
            {QStringLiteral("--headless"), QStringLiteral("--rate"), QStringLiteral("0"),
             QStringLiteral("--max-ticks"), QString::number(ticks), QStringLiteral("--seed"),
             QStringLiteral("7"), QStringLiteral("--start-time"),
             QString::number(start), QStringLiteral("--retain-ticks"), QStringLiteral("0"),
             QStringLiteral("--retain-1s-candles"), QStringLiteral("0"), QStringLiteral("--db"),
             QStringLiteral("sqlite://") + db});
    if (!p.waitForFinished(600'000)) {
        p.kill();
        p.waitForFinished(5000);
        return false;
    }
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).trimmed().split(u'\n');
    const QJsonObject s = QJsonDocument::fromJson(lines.last().toUtf8()).object();
    std::printf("seeded %lld ticks 10 days old (%lld stored, exit %d)\n",
                static_cast<long long>(ticks),
                static_cast<long long>(s.value(QLatin1String("stored")).toInteger()), p.exitCode());
    return p.exitCode() == 0;
}

bool copyDatabase(const QString &from, const QString &to)
{
    for (const char *suffix : {"", "-wal", "-shm"}) {
        const QString f = from + QLatin1String(suffix);
        if (QFile::exists(f) && !QFile::copy(f, to + QLatin1String(suffix)))
            return false;
    }
    return true;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    if (v.empty())
        return 0.0;
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // librdkafka's lines about the embedded broker going away with its process at each run's end.
    QLoggingCategory::setFilterRules(QStringLiteral("ms.kafka=false"));
    const QStringList a = app.arguments();
    const int seconds = a.size() > 1 ? a[1].toInt() : 10;
    const int rate = a.size() > 2 ? a[2].toInt() : 2000;
    const int pairs = a.size() > 3 ? a[3].toInt() : 4;
    const qint64 seedTicks = a.size() > 4 ? a[4].toLongLong() : 200'000;
    Load load;
    if (a.size() > 5) {
        const QStringList parts = a[5].split(u',');
        load = {parts.contains(QLatin1String("scrape")), parts.contains(QLatin1String("tail")),
                parts.contains(QLatin1String("retention"))};
    }
    QTemporaryDir dir;
    std::printf("operated = %s%s%s\n", load.scrape ? "scrape every 1 s; " : "",
                load.tail ? "tail of crypto_topic from the beginning; " : "",
                load.retention ? "retention deleting the seeded rows" : "");
    std::printf("operator load: %d s per run at %d ticks/s, SQLite, embedded Kafka, %d pair(s)\n",
                seconds, rate, pairs);
    const QString seed = dir.filePath(QStringLiteral("seed.db"));
    if (!seedDatabase(seed, seedTicks)) {
        std::fprintf(stderr, "seeding failed\n");
        return 1;
    }
    std::vector<double> p99Plain, p99Operated, p99Diff, p50Diff;
    for (int i = 0; i < pairs; ++i) {
        double p50[2] = {0, 0}, p99[2] = {0, 0};
        const bool operatedFirst = i % 2 == 1;
        for (int k = 0; k < 2; ++k) {
            const bool operated = (k == 0) == operatedFirst;
            const QString db = dir.filePath(QStringLiteral("run-%1-%2.db").arg(i).arg(operated));
            if (!copyDatabase(seed, db)) {
                std::fprintf(stderr, "copying the seed failed\n");
                return 1;
            }
            const Run run = runOnce(db, seconds, rate, operated, load);
            p50[operated] = run.summary.value(QLatin1String("latency_p50_ms")).toDouble();
            p99[operated] = run.summary.value(QLatin1String("latency_p99_ms")).toDouble();
            std::printf("  pair %d %-9s stored %7lld  p50 %6.2f ms  p99 %6.2f ms", i + 1,
                        operated ? "operated:" : "plain:",
                        static_cast<long long>(run.summary.value(QLatin1String("stored")).toInteger()),
                        p50[operated], p99[operated]);
            if (operated && load.scrape)
                std::printf("  %d scrapes", run.scrapes);
            if (operated && load.tail)
                std::printf("  tail read %lld records / %lld KB%s%s",
                            static_cast<long long>(run.tailRecords),
                            static_cast<long long>(run.tailBytes / 1024),
                            run.tailError.isEmpty() ? "" : ", tail error: ",
                            qPrintable(run.tailError));
            if (operated && load.retention)
                std::printf("  retention deleted %lld ticks + %lld 1 s candles (%lld batches, "
                            "longest %.1f ms)",
                            static_cast<long long>(run.ticksDeleted),
                            static_cast<long long>(run.candlesDeleted),
                            static_cast<long long>(run.batches), run.longestBatchMs);
            if (run.exitCode != 0)
                std::printf("  [exit %d]", run.exitCode);
            std::printf("\n");
        }
        p99Plain.push_back(p99[0]);
        p99Operated.push_back(p99[1]);
        p99Diff.push_back(p99[1] - p99[0]);
        p50Diff.push_back(p50[1] - p50[0]);
        std::printf("  pair %d difference (operated - plain): p50 %+.2f ms, p99 %+.2f ms\n", i + 1,
                    p50[1] - p50[0], p99[1] - p99[0]);
    }
    std::printf("median p99: plain %.2f ms, operated %.2f ms; median per-pair difference p50 %+.2f "
                "ms, p99 %+.2f ms (target: p99 within 1 ms; this 2-core machine is shared)\n",
                median(p99Plain), median(p99Operated), median(p50Diff), median(p99Diff));
    return 0;
}
