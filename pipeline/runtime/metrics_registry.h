#pragma once
// The live counters behind MetricsSnapshot. Workers write (atomics, or a short mutex for the maps
// and per-source states); snapshot() copies everything for the GUI or the headless summary.
#include "runtime/latency_recorder.h"
#include "runtime/metrics.h"

#include <QMutex>

#include <atomic>
#include <map>

namespace ms {

class MetricsRegistry
{
public:
    std::atomic<qint64> queued{0}, produced{0}, produceErrors{0}, consumed{0}, stored{0}, inserted{0}, duplicates{0},
        rejected{0}, deadLettered{0}, droppedLate{0}, candlesWritten{0}, dbErrors{0}, spooled{0};
    std::atomic<qint64> alertsTriggered{0};  // price alerts: new alerts rows committed
    std::atomic<qint64> feedGaps{0};  // feed_gaps rows stored (new rows only)
    std::atomic<qint64> databaseBytes{-1};  // RetentionWorker: the database's size on disk
    LatencyHistogram latencyAll;
    LatencyHistogram latencyRecent;  // rotated by rotateRecent()

    void addRejected(const QString &reason);
    void setSourceStatus(const QString &name, const SourceStatus &status);
    void addSourceTicks(const QString &name, qint64 n);
    // Lag of one consumer instance (replaces what that instance reported before).
    void setLag(int consumerIndex, std::vector<PartitionLag> lag);
    void setDatabaseState(const QString &state);
    // Every few seconds: the recent window starts over (its last percentiles are kept for snapshots).
    void rotateRecent();
    void reset();

    MetricsSnapshot snapshot() const;

private:
    mutable QMutex m_mutex;
    QMap<QString, qint64> m_rejectedByReason;
    std::map<QString, SourceHealth> m_sources;
    std::map<int, std::vector<PartitionLag>> m_lag;
    QString m_dbState = QStringLiteral("ok");
    double m_recentP50 = 0, m_recentP99 = 0;
};

}  // namespace ms
