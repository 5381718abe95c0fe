#include "runtime/retention_worker.h"

#include "runtime/metrics_registry.h"
#include "storage/database.h"

#include <algorithm>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QThread>
#include <QUuid>

Q_LOGGING_CATEGORY(lcRetention, "ms.retention")

namespace ms {

RetentionWorker::RetentionWorker(RetentionWorkerOptions options, MetricsRegistry &metrics)
    : m_options(std::move(options)), m_metrics(metrics)
{
}

Status RetentionWorker::run(const std::atomic_bool &stop)
{
    const QString name =
        QStringLiteral("ms-retention-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    Status result;
    {
        auto opened = openDatabase(m_options.database, name);
        if (!opened)
            return opened.error();
        QSqlDatabase db = opened.value();
        RetentionJob job(db, m_options.policy);
        if (m_options.policy.enabled()) {
            const Result<QString> note = job.prepare();
            if (!note)
                qCWarning(lcRetention).noquote() << note.errorMessage();
            else if (!note->isEmpty())
                qCInfo(lcRetention).noquote() << "Retention:" << note.value();
        }
        QElapsedTimer sinceStart, sinceSize, sincePass;
        sinceStart.start();
        bool measured = false, passed = false;
        while (!stop.load()) {
            if (!measured || sinceSize.elapsed() >= m_options.sizeEveryMs) {
                if (const Result<qint64> bytes = databaseBytes(db))
                    m_metrics.databaseBytes.store(bytes.value());
                measured = true;
                sinceSize.start();
            }
            const bool due = passed ? sincePass.elapsed() >= m_options.passEveryMs
                                    : sinceStart.elapsed() >= m_options.firstPassAfterMs;
            if (due && m_options.policy.enabled()) {
                // Days are counted back from the newest stored data when it is older than now
                // (a replay of last year's file is kept), never from a future event time.
                qint64 now = QDateTime::currentMSecsSinceEpoch();
                if (const Result<qint64> newest = job.newestStoredMs(); newest && newest.value() >= 0)
                    now = std::min(now, newest.value());
                const Result<RetentionReport> r =
                    job.runOnce(now, &stop, [&] {
                        QThread::msleep(qulonglong(std::max(0, m_options.yieldBetweenBatchesMs)));
                    });
                passed = true;
                sincePass.start();
                ++m_passes;
                if (!r) {
                    qCWarning(lcRetention).noquote()
                        << r.errorMessage() << "(retried at the next pass)";
                } else if (r->ticksDeleted || r->candlesDeleted || r->pagesReclaimed) {
                    qCInfo(lcRetention).noquote()
                        << QStringLiteral("Retention: %1 ticks and %2 1 s candles deleted, %3 "
                                          "pages reclaimed, %4 "
                                          "batches, longest %5 ms")
                               .arg(r->ticksDeleted)
                               .arg(r->candlesDeleted)
                               .arg(r->pagesReclaimed)
                               .arg(r->batches)
                               .arg(double(r->longestBatchUs) / 1000.0, 0, 'f', 1);
                }
                if (const Result<qint64> bytes = databaseBytes(db))
                    m_metrics.databaseBytes.store(bytes.value());
                sinceSize.start();
                continue;
            }
            QThread::msleep(100); // the stop flag is seen within this
        }
    }
    closeDatabase(name);
    return result;
}

} // namespace ms
