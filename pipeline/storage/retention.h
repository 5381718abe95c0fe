#pragma once
// The retention policy of the desktop database: raw ticks kept N days, 1 s candles M days, coarser
// candles forever (as are late_ticks, alerts, feed gaps and offsets: never touched here).
//
// Deletes go in small batches (each its own short autocommit statement, by the time index per
// symbol), so the pipeline's write transactions wait at most one batch for the lock; the longest
// batch is measured and reported. SQLite then hands the freed pages back to the file system with
// `PRAGMA incremental_vacuum(N)` in steps (auto_vacuum=INCREMENTAL: set before the first table on
// new files, see openDatabase(); prepare() converts an existing small file once).
//
// Candles stay equal to their recomputation from the remaining ticks for every bucket after the
// tick cutoff: the cutoff is aligned down to a bucket boundary of every candle interval (a bucket
// is either whole or gone from the tick tables), see retentionTickCutoffMs().
#include "model/result.h"

#include <QList>
#include <QSqlDatabase>
#include <atomic>
#include <functional>

namespace ms {

struct RetentionPolicy
{
    int tickDays = 0;            // 0 = raw ticks kept forever
    int oneSecondCandleDays = 0; // 0 = 1 s candles kept forever
    QList<int> candleIntervalsSec{1, 60, 300, 3600};
    int batchRows =
        500; // rows per DELETE statement (bench_retention: 2,000 let a writer wait 1.5 s once)
    int vacuumPagesPerStep = 512; // SQLite pages per incremental_vacuum step (2 MiB at 4 KiB pages)
    bool enabled() const { return tickDays > 0 || oneSecondCandleDays > 0; }
};

struct RetentionReport
{
    qint64 tickCutoffMs = -1;   // ticks before this were deleted (-1: kept forever)
    qint64 candleCutoffMs = -1; // 1 s candles starting before this were deleted
    qint64 ticksDeleted = 0;
    qint64 candlesDeleted = 0;
    qint64 pagesReclaimed = 0; // SQLite pages given back to the file system
    int batches = 0;           // DELETE statements and vacuum steps
    qint64 longestBatchUs = 0; // the longest one: what a pipeline transaction may wait
    qint64 deleteUs = 0;       // time spent deleting (all batches)
    bool cancelled = false;
};

// now − tickDays, aligned down to a bucket start of every interval (their least common multiple
// when it is at most a week, else a UTC day). -1 when ticks are kept forever.
qint64 retentionTickCutoffMs(const RetentionPolicy &policy, qint64 nowMs);
// now − oneSecondCandleDays, on a whole second. -1 when 1 s candles are kept forever.
qint64 retentionCandleCutoffMs(const RetentionPolicy &policy, qint64 nowMs);

// Size of the database on disk: SQLite file + its WAL; PostgreSQL pg_database_size().
Result<qint64> databaseBytes(QSqlDatabase &db);

class RetentionJob
{
public:
    // `db` is an open connection of this thread, used by nothing else.
    RetentionJob(QSqlDatabase db, RetentionPolicy policy);

    // SQLite: makes sure freed pages can be given back (auto_vacuum=INCREMENTAL). A file made
    // before this setting existed is converted with one VACUUM when it is at most
    // `convertMaxBytes` (about a second of exclusive lock, well inside the writers' 5 s busy
    // timeout); a bigger one keeps reusing its free
    // pages and the returned note says how to convert it offline. PostgreSQL: nothing to do.
    Result<QString> prepare(qint64 convertMaxBytes = 64LL << 20);

    // One pass at `nowMs`: deletes what the policy no longer keeps, then (SQLite) reclaims the
    // space. `cancel` is checked between batches; `betweenBatches` (optional) runs after each one
    // (the worker yields there so the pipeline's writer gets the lock first).
    // The newest stored event time (the end of the newest candle of the finest interval; -1 when
    // nothing is stored). Retention counts its days back from min(now, this), so a replayed or
    // backfilled history of last year is not deleted the moment it is stored.
    Result<qint64> newestStoredMs();
    Result<RetentionReport> runOnce(qint64 nowMs, const std::atomic_bool *cancel = nullptr,
                                    const std::function<void()> &betweenBatches = {});

private:
    Status deleteTicks(const QString &table, qint64 cutoffMs, RetentionReport &report,
                       const std::atomic_bool *cancel, const std::function<void()> &between);
    Status deleteOneSecondCandles(qint64 cutoffMs, RetentionReport &report,
                                  const std::atomic_bool *cancel,
                                  const std::function<void()> &between);
    Status vacuum(RetentionReport &report, const std::atomic_bool *cancel,
                  const std::function<void()> &between);

    QSqlDatabase m_db;
    RetentionPolicy m_policy;
    bool m_postgres = false;
};

} // namespace ms
