#include "storage/retention.h"

#include "storage/native_handles.h"
#include "storage/sql_time.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <algorithm>
#include <numeric>

namespace ms {

namespace {

constexpr qint64 kDayMs = 86'400'000;
constexpr qint64 kWeekSec = 7 * 86'400;

bool isPostgres(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QPSQL");
}

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load();
}

Error queryError(const QSqlQuery &q, const QString &what)
{
    const QSqlError e = q.lastError();
    const QString native = e.nativeErrorCode();
    // SQLite 5/6 = BUSY/LOCKED; PostgreSQL 40001/40P01/55P03/57014 = serialization, deadlock, lock
    // or statement timeout: the next pass tries again.
    const bool busy = native == u"5" || native == u"6" || native.startsWith(u"40") ||
                      native == u"55P03" || native == u"57014";
    return makeError(QStringLiteral("Retention: %1: %2").arg(what, e.text().simplified()),
                     busy ? QStringLiteral("db_busy") : QStringLiteral("db_rejected"));
}

// The time literal each backend compares with its column ("…+00" so PostgreSQL's timestamptz does
// not depend on the session time zone).
QString timeLiteral(bool postgres, qint64 ms)
{
    return postgres ? storage_detail::timeParam(ms) + QStringLiteral("+00")
                    : storage_detail::timeParam(ms);
}

// The symbols of a tick table, by a loose index scan over (symbol, "timestamp"): one index probe
// per symbol instead of reading every row (both backends run this recursive form).
Result<QStringList> symbolsOf(QSqlDatabase &db, const QString &table)
{
    QSqlQuery q(db);
    const QString sql =
        QStringLiteral("WITH RECURSIVE s(sym) AS (SELECT min(symbol) FROM %1 UNION ALL "
                       "SELECT (SELECT min(symbol) FROM %1 WHERE symbol > s.sym) FROM s WHERE "
                       "s.sym IS NOT NULL) "
                       "SELECT sym FROM s WHERE sym IS NOT NULL")
            .arg(table);
    if (!q.exec(sql))
        return queryError(q, QStringLiteral("listing the symbols of ") + table);
    QStringList out;
    while (q.next())
        out.append(q.value(0).toString());
    return out;
}

// Runs one prepared batch; returns the rows it deleted, timing it into the report.
Result<qint64> timedBatch(QSqlQuery &q, RetentionReport &report, const QString &what)
{
    QElapsedTimer clock;
    clock.start();
    if (!q.exec())
        return queryError(q, what);
    const qint64 us = clock.nsecsElapsed() / 1000;
    report.deleteUs += us;
    report.longestBatchUs = std::max(report.longestBatchUs, us);
    ++report.batches;
    return qint64(q.numRowsAffected());
}

} // namespace

qint64 retentionTickCutoffMs(const RetentionPolicy &policy, qint64 nowMs)
{
    if (policy.tickDays <= 0)
        return -1;
    qint64 alignSec = 1;
    for (int iv : policy.candleIntervalsSec) {
        if (iv <= 0)
            continue;
        alignSec = std::lcm(alignSec, qint64(iv));
        if (alignSec > kWeekSec) { // e.g. 7s and 11m: no shared boundary within a week
            alignSec = 86'400;
            break;
        }
    }
    const qint64 alignMs = alignSec * 1000;
    const qint64 raw = nowMs - qint64(policy.tickDays) * kDayMs;
    if (raw <= 0)
        return 0;
    return raw / alignMs * alignMs;
}

qint64 retentionCandleCutoffMs(const RetentionPolicy &policy, qint64 nowMs)
{
    if (policy.oneSecondCandleDays <= 0)
        return -1;
    const qint64 raw = nowMs - qint64(policy.oneSecondCandleDays) * kDayMs;
    return raw <= 0 ? 0 : raw / 1000 * 1000;
}

Result<qint64> databaseBytes(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (isPostgres(db)) {
        if (!q.exec(QStringLiteral("SELECT pg_database_size(current_database())")) || !q.next())
            return queryError(q, QStringLiteral("pg_database_size"));
        return q.value(0).toLongLong();
    }
    const QString path = db.databaseName();
    if (path != QLatin1String(":memory:") && QFileInfo::exists(path)) {
        // What the user sees on disk: the file and its write-ahead log.
        const QFileInfo wal(path + QStringLiteral("-wal"));
        return QFileInfo(path).size() + (wal.exists() ? wal.size() : 0);
    }
    if (!q.exec(QStringLiteral(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")) ||
        !q.next())
        return queryError(q, QStringLiteral("page_count"));
    return q.value(0).toLongLong();
}

RetentionJob::RetentionJob(QSqlDatabase db, RetentionPolicy policy)
    : m_db(std::move(db)), m_policy(std::move(policy)), m_postgres(isPostgres(m_db))
{
    m_policy.batchRows = std::max(1, m_policy.batchRows);
    m_policy.vacuumPagesPerStep = std::max(1, m_policy.vacuumPagesPerStep);
}

Result<QString> RetentionJob::prepare(qint64 convertMaxBytes)
{
    if (m_postgres)
        return QString();
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA auto_vacuum")) || !q.next())
        return queryError(q, QStringLiteral("reading auto_vacuum"));
    if (q.value(0).toInt() == 2) // INCREMENTAL
        return QString();
    q.finish();
    sqlite3 *h = storage_detail::sqliteHandle(m_db);
    if (!h)
        return makeError(QStringLiteral("Retention: no SQLite handle"),
                         QStringLiteral("db_rejected"));
    if (Status s = storage_detail::sqliteExec(h, "PRAGMA auto_vacuum=INCREMENTAL",
                                              QStringLiteral("Retention: auto_vacuum"));
        !s)
        return s.error();
    const Result<qint64> size = databaseBytes(m_db);
    if (!size)
        return size.error();
    if (size.value() > convertMaxBytes) {
        return QStringLiteral("the SQLite file (%1 MB) predates incremental vacuum: space freed by "
                              "retention is reused "
                              "but the file does not shrink; to convert it, run `sqlite3 FILE "
                              "VACUUM` once with the app "
                              "closed")
            .arg(size.value() >> 20);
    }
    QElapsedTimer clock;
    clock.start();
    // Takes the write lock for its duration: done at start, on a file small enough for seconds.
    if (Status s =
            storage_detail::sqliteExec(h, "VACUUM", QStringLiteral("Retention: one-time VACUUM"));
        !s)
        return s.error();
    return QStringLiteral("converted the SQLite file (%1 MB) to incremental vacuum in %2 ms")
        .arg(size.value() >> 20)
        .arg(clock.elapsed());
}

Result<qint64> RetentionJob::newestStoredMs()
{
    if (m_policy.candleIntervalsSec.isEmpty())
        return qint64(-1);
    const int finest = *std::min_element(m_policy.candleIntervalsSec.begin(), m_policy.candleIntervalsSec.end());
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(m_postgres ? QStringLiteral("SELECT (extract(epoch FROM max(bucket_start)) * 1000)::bigint FROM candles "
                                          "WHERE interval_s = ?")
                         : QStringLiteral("SELECT CAST(round((julianday(max(bucket_start)) - 2440587.5) * 86400000) AS INTEGER) "
                                          "FROM candles WHERE interval_s = ?"));
    q.addBindValue(finest);
    if (!q.exec() || !q.next())
        return makeError(QStringLiteral("Retention cannot read the newest candle: %1").arg(q.lastError().text()),
                         QStringLiteral("db_query"));
    if (q.value(0).isNull())
        return qint64(-1);
    return q.value(0).toLongLong() + qint64(finest) * 1000;
}

Result<RetentionReport> RetentionJob::runOnce(qint64 nowMs, const std::atomic_bool *cancel,
                                              const std::function<void()> &betweenBatches)
{
    RetentionReport report;
    report.tickCutoffMs = retentionTickCutoffMs(m_policy, nowMs);
    report.candleCutoffMs = retentionCandleCutoffMs(m_policy, nowMs);
    if (report.tickCutoffMs >= 0) {
        for (const QString table : {QStringLiteral("crypto_data"), QStringLiteral("stock_data")}) {
            if (Status s = deleteTicks(table, report.tickCutoffMs, report, cancel, betweenBatches);
                !s)
                return s.error();
        }
    }
    if (report.candleCutoffMs >= 0 && m_policy.candleIntervalsSec.contains(1)) {
        if (Status s =
                deleteOneSecondCandles(report.candleCutoffMs, report, cancel, betweenBatches);
            !s)
            return s.error();
    }
    if (!m_postgres && !cancelled(cancel)) {
        if (Status s = vacuum(report, cancel, betweenBatches); !s)
            return s.error();
    }
    report.cancelled = cancelled(cancel);
    return report;
}

Status RetentionJob::deleteTicks(const QString &table, qint64 cutoffMs, RetentionReport &report,
                                 const std::atomic_bool *cancel,
                                 const std::function<void()> &between)
{
    const Result<QStringList> symbols = symbolsOf(m_db, table);
    if (!symbols)
        return symbols.error();
    // By the (symbol, "timestamp") index, one bounded batch at a time; rowid/ctid name the rows so
    // the DELETE itself touches nothing else.
    const QString sql =
        m_postgres
            ? QStringLiteral(
                  "DELETE FROM %1 WHERE ctid = ANY(ARRAY(SELECT ctid FROM %1 WHERE symbol = ? "
                  "AND \"timestamp\" < ?::timestamptz LIMIT %2))")
            : QStringLiteral("DELETE FROM %1 WHERE rowid IN (SELECT rowid FROM %1 WHERE symbol = ? "
                             "AND \"timestamp\" < ? "
                             "LIMIT %2)");
    QSqlQuery q(m_db);
    if (!q.prepare(sql.arg(table).arg(m_policy.batchRows)))
        return queryError(q, QStringLiteral("preparing the delete of ") + table);
    const QString cutoff = timeLiteral(m_postgres, cutoffMs);
    for (const QString &symbol : symbols.value()) {
        while (!cancelled(cancel)) {
            q.addBindValue(symbol);
            q.addBindValue(cutoff);
            const Result<qint64> n =
                timedBatch(q, report, QStringLiteral("deleting from ") + table);
            if (!n)
                return n.error();
            report.ticksDeleted += n.value();
            if (between)
                between();
            if (n.value() < m_policy.batchRows)
                break;
        }
    }
    return {};
}

Status RetentionJob::deleteOneSecondCandles(qint64 cutoffMs, RetentionReport &report,
                                            const std::atomic_bool *cancel,
                                            const std::function<void()> &between)
{
    // By candles_interval_bucket (interval_s, bucket_start).
    const QString sql = m_postgres
                            ? QStringLiteral("DELETE FROM candles WHERE ctid = ANY(ARRAY(SELECT "
                                             "ctid FROM candles WHERE interval_s = 1 "
                                             "AND bucket_start < ?::timestamptz LIMIT %1))")
                            : QStringLiteral("DELETE FROM candles WHERE rowid IN (SELECT rowid "
                                             "FROM candles WHERE interval_s = 1 "
                                             "AND bucket_start < ? LIMIT %1)");
    QSqlQuery q(m_db);
    if (!q.prepare(sql.arg(m_policy.batchRows)))
        return queryError(q, QStringLiteral("preparing the delete of 1 s candles"));
    const QString cutoff = timeLiteral(m_postgres, cutoffMs);
    while (!cancelled(cancel)) {
        q.addBindValue(cutoff);
        const Result<qint64> n = timedBatch(q, report, QStringLiteral("deleting 1 s candles"));
        if (!n)
            return n.error();
        report.candlesDeleted += n.value();
        if (between)
            between();
        if (n.value() < m_policy.batchRows)
            break;
    }
    return {};
}

Status RetentionJob::vacuum(RetentionReport &report, const std::atomic_bool *cancel,
                            const std::function<void()> &between)
{
    sqlite3 *h = storage_detail::sqliteHandle(m_db);
    if (!h)
        return makeError(QStringLiteral("Retention: no SQLite handle"),
                         QStringLiteral("db_rejected"));
    auto pragmaValue = [&](const char *sql) -> qint64 {
        sqlite3_stmt *st = nullptr;
        qint64 v = -1;
        if (sqlite3_prepare_v2(h, sql, -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    };
    if (pragmaValue("PRAGMA auto_vacuum") != 2)
        return {}; // prepare() said why; the free pages are reused instead
    const QByteArray step =
        "PRAGMA incremental_vacuum(" + QByteArray::number(m_policy.vacuumPagesPerStep) + ')';
    qint64 free = pragmaValue("PRAGMA freelist_count");
    while (free > 0 && !cancelled(cancel)) {
        QElapsedTimer clock;
        clock.start();
        // sqlite3_exec steps the pragma to its end (a single step would free one page only).
        if (Status s = storage_detail::sqliteExec(h, step.constData(),
                                                  QStringLiteral("Retention: incremental_vacuum"));
            !s)
            return s;
        const qint64 us = clock.nsecsElapsed() / 1000;
        report.longestBatchUs = std::max(report.longestBatchUs, us);
        ++report.batches;
        const qint64 after = pragmaValue("PRAGMA freelist_count");
        report.pagesReclaimed += std::max<qint64>(0, free - after);
        if (after >= free)
            break; // nothing more it can give back
        free = after;
        if (between)
            between();
    }
    // WAL: the file shrinks when the log is checkpointed. PASSIVE never waits for readers or
    // writers.
    return storage_detail::sqliteExec(h, "PRAGMA wal_checkpoint(PASSIVE)",
                                      QStringLiteral("Retention: checkpoint"));
}

} // namespace ms
