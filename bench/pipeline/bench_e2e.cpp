// End-to-end benchmark: the real headless binary, simulator → embedded Kafka → decode → candles →
// a real PostgreSQL (started here), then every row verified. Prints figures; asserts nothing.
//   bench_e2e [ticks=1000000] [paced_seconds=20] [paced_rate=2000] [memory_seconds=0] [memory_rate=20000]
//   MS_BENCH_APP=/path/to/marketstream bench_e2e …   (measure another build with the same harness)
// Phase 3 (memory_seconds > 0): a long run at memory_rate with the process's resident memory
// sampled every 5 s (bounded per-symbol state: it should level off, not climb).
#include "pg_server.h"
#include "resident_memory.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cstdio>
#include <vector>

namespace {
// MS_BENCH_APP runs another build of the binary against the same harness (A/B runs of two commits
// alternated on one machine); by default the one built with this benchmark.
QString appPath()
{
    const QString other = qEnvironmentVariable("MS_BENCH_APP");
    return other.isEmpty() ? QStringLiteral(MS_APP_PATH) : other;
}

QJsonObject runHeadless(const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.setStandardErrorFile(QProcess::nullDevice());
    p.start(appPath(), args);
    p.waitForFinished(-1);
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).trimmed().split(u'\n');
    if (p.exitCode() != 0)
        std::fprintf(stderr, "marketstream exited with %d\n", p.exitCode());
    return QJsonDocument::fromJson(lines.last().toUtf8()).object();
}
// Runs the headless binary and samples its resident memory every `everyMs`.
std::vector<double> runSampled(const QStringList &args, int everyMs)
{
    QProcess p;
    p.setStandardOutputFile(QProcess::nullDevice());
    p.setStandardErrorFile(QProcess::nullDevice());
    p.start(appPath(), args);
    p.waitForStarted();
    std::vector<double> samples;
    while (!p.waitForFinished(everyMs)) {
        if (p.state() != QProcess::Running)
            break;
        samples.push_back(ms::test::residentMemoryMb(p.processId()));
    }
    return samples;
}
}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList a = app.arguments();
    const qint64 ticks = a.size() > 1 ? a[1].toLongLong() : 1000000;
    const int pacedSeconds = a.size() > 2 ? a[2].toInt() : 20;
    const int pacedRate = a.size() > 3 ? a[3].toInt() : 2000;
    const int memorySeconds = a.size() > 4 ? a[4].toInt() : 0;
    const int memoryRate = a.size() > 5 ? a[5].toInt() : 20000;

    ms::test::PgServer pg;
    if (!pg.start() || !pg.createDatabase(QStringLiteral("bench"))) {
        std::fprintf(stderr, "cannot start PostgreSQL: %s\n", qPrintable(pg.errorString()));
        return 1;
    }
    const QString url = pg.url(QStringLiteral("bench"));
    const QString countSql = QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)");

    // 1. Throughput: as fast as possible.
    const QJsonObject s = runHeadless({QStringLiteral("--headless"), QStringLiteral("--rate"), QStringLiteral("0"),
                                       QStringLiteral("--max-ticks"), QString::number(ticks), QStringLiteral("--seed"),
                                       QStringLiteral("1"), QStringLiteral("--db"), url});
    const qint64 rows = pg.psql(countSql, QStringLiteral("bench")).toLongLong();
    const qint64 distinct = pg.psql(QStringLiteral("SELECT (SELECT count(DISTINCT (source, symbol, trade_id)) FROM crypto_data)"
                                                   " + (SELECT count(DISTINCT (source, symbol, trade_id)) FROM stock_data)"),
                                    QStringLiteral("bench"))
                                .toLongLong();
    const double secs = s.value(QStringLiteral("seconds")).toDouble();
    std::printf("e2e throughput: %lld ticks in %.2f s = %.0f ticks/s (simulator -> embedded Kafka -> candles -> "
                "PostgreSQL COPY)\n",
                static_cast<long long>(s.value(QStringLiteral("stored")).toInteger()), secs,
                double(s.value(QStringLiteral("stored")).toInteger()) / secs);
    std::printf("  verified: %lld rows in the tick tables, %lld distinct natural keys, expected %lld -> %s\n",
                static_cast<long long>(rows), static_cast<long long>(distinct), static_cast<long long>(ticks),
                rows == ticks && distinct == ticks ? "OK" : "MISMATCH");
    std::printf("  candle writes: %lld, latency under full load p50 %.1f ms p99 %.1f ms\n",
                static_cast<long long>(s.value(QStringLiteral("candle_writes")).toInteger()),
                s.value(QStringLiteral("latency_p50_ms")).toDouble(), s.value(QStringLiteral("latency_p99_ms")).toDouble());

    // 2. Latency: paced, steady state. The bulk load above leaves the server busy for a while
    //    (autovacuum of a million fresh rows, the checkpoint of their WAL): settle that first, as
    //    any operator would after a bulk load, and measure on a database of its own.
    if (pacedSeconds > 0) {
        (void)pg.psql(QStringLiteral("VACUUM ANALYZE"), QStringLiteral("bench"));
        (void)pg.psql(QStringLiteral("CHECKPOINT"), QStringLiteral("bench"));
        if (!pg.createDatabase(QStringLiteral("bench_latency"))) {
            std::fprintf(stderr, "cannot create the latency database: %s\n", qPrintable(pg.errorString()));
            return 1;
        }
        const QJsonObject l = runHeadless({QStringLiteral("--headless"), QStringLiteral("--rate"), QString::number(pacedRate),
                                           QStringLiteral("--duration"), QString::number(pacedSeconds),
                                           QStringLiteral("--seed"), QStringLiteral("2"), QStringLiteral("--db"),
                                           pg.url(QStringLiteral("bench_latency"))});
        std::printf("e2e latency at %d ticks/s for %d s: %lld ticks, produce -> database commit p50 %.2f ms, p99 %.2f ms\n",
                    pacedRate, pacedSeconds, static_cast<long long>(l.value(QStringLiteral("stored")).toInteger()),
                    l.value(QStringLiteral("latency_p50_ms")).toDouble(), l.value(QStringLiteral("latency_p99_ms")).toDouble());
    }
    // 3. Memory over a long run.
    if (memorySeconds > 0) {
        if (!pg.createDatabase(QStringLiteral("bench_memory")))
            return 1;
        const std::vector<double> rss = runSampled({QStringLiteral("--headless"), QStringLiteral("--rate"),
                                                    QString::number(memoryRate), QStringLiteral("--duration"),
                                                    QString::number(memorySeconds), QStringLiteral("--seed"),
                                                    QStringLiteral("3"), QStringLiteral("--db"),
                                                    pg.url(QStringLiteral("bench_memory"))},
                                                   5000);
        std::printf("memory at %d ticks/s for %d s (resident MiB every 5 s):", memoryRate, memorySeconds);
        for (double m : rss)
            std::printf(" %.0f", m);
        if (rss.size() >= 4)
            std::printf("\n  growth over the second half: %+.1f MiB", rss.back() - rss[rss.size() / 2]);
        std::printf("\n");
    }
    return 0;
}
