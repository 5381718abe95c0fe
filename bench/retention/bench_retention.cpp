// Retention cost, printed (never asserted): how fast old ticks are deleted in batches, the longest
// batch (what a pipeline transaction may wait for the lock), and a concurrent writer's commit
// latency (100 ticks per transaction, like the consumers) without and with retention running.
// On PostgreSQL also what dropping a day partition of the same rows would cost instead.
// Usage: bench_retention [old ticks, default 1000000] [batch rows, default 2000]
#include "pg_server.h"
#include "storage/database.h"
#include "storage/retention.h"
#include "storage/sql_time.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

using namespace ms;

namespace {

constexpr qint64 kDayMs = 86'400'000;

bool fill(QSqlDatabase &db, bool pg, qint64 rows, qint64 startMs, qint64 stepMs,
          const char *table = "crypto_data")
{
    QSqlQuery q(db);
    const QString sql =
        pg ? QStringLiteral("INSERT INTO %1 (symbol, price, \"timestamp\", source, kind, trade_id) "
                            "SELECT 'S' || (i %% 6), 100 + (i %% 100), to_timestamp((%2 + i * %3) "
                            "/ 1000.0), 'simulator', 'trade', "
                            "'old' || i FROM generate_series(0, %4 - 1) i")
           : QStringLiteral(
                 "INSERT INTO %1 (symbol, price, \"timestamp\", source, kind, trade_id) "
                 "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %4) "
                 "SELECT 'S' || (i % 6), 100 + (i % 100), strftime('%Y-%m-%d %H:%M:%f', (%2 + i * "
                 "%3) / 1000.0, "
                 "'unixepoch'), 'simulator', 'trade', 'old' || i FROM n");
    QString text = sql.arg(QLatin1String(table)).arg(startMs).arg(stepMs).arg(rows);
    if (pg)
        text.replace(QStringLiteral("%%"), QStringLiteral("%"));
    if (!q.exec(text)) {
        std::fprintf(stderr, "fill: %s\n", qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

struct WriterFigures
{
    qint64 commits = 0;
    double p99Ms = 0, maxMs = 0;
};

// A consumer-like writer on its own connection until `stop`: 100 new ticks per transaction.
WriterFigures runWriter(const DatabaseUrl &url, const QString &name, const std::atomic_bool &stop,
                        qint64 &seq)
{
    WriterFigures f;
    std::vector<double> ms;
    {
        auto db = openDatabase(url, name);
        if (!db)
            return f;
        QSqlQuery q(db.value());
        const bool pg = url.isPostgres();
        q.prepare(QStringLiteral(
            "INSERT INTO crypto_data (symbol, price, \"timestamp\", source, kind, trade_id) "
            "VALUES ('W', 1, ?, 'simulator', 'trade', ?)"));
        while (!stop.load()) {
            QElapsedTimer clock;
            clock.start();
            db.value().transaction();
            for (int i = 0; i < 100; ++i, ++seq) {
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                q.addBindValue(pg ? storage_detail::timeParam(now) + QStringLiteral("+00")
                                  : storage_detail::timeParam(now));
                q.addBindValue(QStringLiteral("w%1").arg(seq));
                q.exec();
            }
            db.value().commit();
            ms.push_back(double(clock.nsecsElapsed()) / 1e6);
        }
        q = QSqlQuery();
        db = makeError(QString());
    }
    closeDatabase(name);
    std::sort(ms.begin(), ms.end());
    f.commits = qint64(ms.size());
    if (!ms.empty()) {
        f.p99Ms = ms[std::min(ms.size() - 1, size_t(double(ms.size()) * 0.99))];
        f.maxMs = ms.back();
    }
    return f;
}

void runCase(const char *label, const DatabaseUrl &url, qint64 rows, int batchRows)
{
    const bool pg = url.isPostgres();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto db = openDatabase(url, QStringLiteral("bench-main"));
    if (!db || !applyMigrations(db.value()).ok()) {
        std::fprintf(stderr, "%s: cannot open/migrate\n", label);
        return;
    }
    QElapsedTimer clock;
    clock.start();
    // `rows` ticks spread over the 10 days before the last 3 (all older than the 2-day policy).
    if (!fill(db.value(), pg, rows, now - 13 * kDayMs, 10 * kDayMs / rows))
        return;
    std::printf("%s: %lld old ticks inserted in %.1f s, database %.1f MB\n", label, (long long)rows,
                double(clock.elapsed()) / 1000, double(databaseBytes(db.value()).value()) / 1e6);

    qint64 seq = 0;
    std::atomic_bool stop{false};
    WriterFigures baseline;
    std::thread w1([&] { baseline = runWriter(url, QStringLiteral("bench-w1"), stop, seq); });
    QThread::msleep(3000); // a bench: a fixed window of baseline writes
    stop.store(true);
    w1.join();

    RetentionPolicy policy;
    policy.tickDays = 2;
    policy.oneSecondCandleDays = 0;
    policy.batchRows = batchRows;
    RetentionJob job(db.value(), policy);
    if (const auto note = job.prepare(); note && !note->isEmpty())
        std::printf("  %s\n", qPrintable(note.value()));
    stop.store(false);
    WriterFigures during;
    std::thread w2([&] { during = runWriter(url, QStringLiteral("bench-w2"), stop, seq); });
    clock.restart();
    // The worker's own yield between batches (RetentionWorkerOptions::yieldBetweenBatchesMs).
    const Result<RetentionReport> r = job.runOnce(now, nullptr, [] { QThread::msleep(5); });
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    stop.store(true);
    w2.join();
    if (!r) {
        std::fprintf(stderr, "%s: %s\n", label, qPrintable(r.errorMessage()));
        return;
    }
    std::printf(
        "  retention: %lld ticks deleted in %.2f s wall (%.0f rows/s; %.0f rows/s counting only "
        "the DELETEs), "
        "%d batches of %d, longest batch %.1f ms, %lld pages reclaimed, database now %.1f MB\n",
        (long long)r->ticksDeleted, seconds, double(r->ticksDeleted) / seconds,
        double(r->ticksDeleted) / (double(r->deleteUs) / 1e6), r->batches, batchRows,
        double(r->longestBatchUs) / 1000, (long long)r->pagesReclaimed,
        double(databaseBytes(db.value()).value()) / 1e6);
    std::printf("  writer (100 ticks/transaction): without retention %lld commits, p99 %.2f ms, "
                "max %.2f ms; "
                "with retention %lld commits, p99 %.2f ms, max %.2f ms\n",
                (long long)baseline.commits, baseline.p99Ms, baseline.maxMs,
                (long long)during.commits, during.p99Ms, during.maxMs);
    if (!pg) {
        QSqlQuery q(db.value());
        if (q.exec(QStringLiteral("PRAGMA freelist_count")) && q.next())
            std::printf("  SQLite free pages left after the pass: %lld\n", q.value(0).toLongLong());
        q.finish();
        const Result<RetentionReport> again = job.runOnce(now);
        if (again)
            std::printf(
                "  a second pass without the writer: %lld pages reclaimed, database now %.1f MB\n",
                (long long)again->pagesReclaimed, double(databaseBytes(db.value()).value()) / 1e6);
    }
    if (pg) {
        // The alternative: one table per day, dropped whole.
        QSqlQuery q(db.value());
        q.exec(QStringLiteral("CREATE TABLE day_part (LIKE crypto_data INCLUDING ALL)"));
        fill(db.value(), pg, rows, now - 13 * kDayMs, 10 * kDayMs / rows, "day_part");
        clock.restart();
        q.exec(QStringLiteral("DROP TABLE day_part"));
        std::printf(
            "  partition alternative: DROP of a table holding the same %lld rows took %.1f ms\n",
            (long long)rows, double(clock.nsecsElapsed()) / 1e6);
    }
    job = RetentionJob(QSqlDatabase(), policy);
    db = makeError(QString());
    closeDatabase(QStringLiteral("bench-main"));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 rows = argc > 1 ? std::max(1000LL, QByteArray(argv[1]).toLongLong()) : 1'000'000;
    const int batch = argc > 2 ? std::max(1, QByteArray(argv[2]).toInt()) : 2000;
    QTemporaryDir dir;
    DatabaseUrl sqlite;
    sqlite.sqlitePath = dir.filePath(QStringLiteral("retention.db"));
    runCase("SQLite", sqlite, rows, batch);
    test::PgServer pg;
    if (!pg.start()) {
        std::fprintf(stderr, "PostgreSQL: %s\n", qPrintable(pg.errorString()));
        return 0;
    }
    pg.createDatabase(QStringLiteral("bench"));
    if (auto url = DatabaseUrl::parse(pg.url(QStringLiteral("bench"))))
        runCase("PostgreSQL", url.value(), rows, batch);
    pg.stop();
    return 0;
}
