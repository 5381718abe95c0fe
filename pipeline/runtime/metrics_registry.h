#pragma once
// The live counters behind MetricsSnapshot. Workers write (atomics, or a short mutex for the maps
// and per-source states); snapshot() copies everything for the GUI, the headless summary and the
// Prometheus exporter, and changes nothing: two polls in a row see the same recent figures.
//
// The metrics clock (runtime/metrics_clock.h, driven by the pipeline) calls tick(): that is where
// the recent-latency window rotates, whoever polls and however often.
#include "runtime/latency_recorder.h"
#include "runtime/metrics.h"

#include <QMutex>

#include <atomic>
#include <map>

namespace ms {

// How far behind in time one partition is (see ConsumerLag::lagSeconds). newestProducedMs: the
// newest message this process produced to the partition (0: it produces none there).
double lagSecondsFor(qint64 lagMessages, qint64 newestStoredMs, qint64 newestProducedMs, qint64 nowMs);

class MetricsRegistry
{
public:
    static constexpr qint64 kRecentWindowMs = 5000;

    // Written by the workers: see MetricsSnapshot for what each counts.
    std::atomic<qint64> queued{0}, produced{0}, produceErrors{0}, consumed{0}, stored{0}, duplicates{0}, rejected{0},
        deadLettered{0}, droppedLate{0}, candleWrites{0}, dbErrors{0}, spooled{0};

    // One stored tick's produce → commit latency, into the run's, the recent and the Prometheus histograms.
    void recordLatency(qint64 micros);
    // Ticks the consumers finished with: stored, duplicate or rejected.
    qint64 ticksAccounted() const { return stored.load() + duplicates.load() + rejected.load(); }
    std::atomic<qint64> alertsTriggered{0};  // price alerts: new alerts rows committed
    std::atomic<qint64> feedGaps{0};         // feed_gaps rows stored (new rows only)
    std::atomic<qint64> databaseBytes{-1};   // RetentionWorker: the database's size on disk

    void addRejected(const QString &reason);
    void setSourceStatus(const QString &name, const SourceStatus &status);
    void addSourceTicks(const QString &name, qint64 n);
    // Lag of one consumer instance (replaces what that instance reported before).
    void setLag(int consumerIndex, std::vector<ConsumerLag> lag);
    // The newest message the producer of this process delivered per (topic, partition), Kafka timestamps.
    void setNewestProduced(std::map<std::pair<QString, int>, qint64> newest);
    void setDatabaseState(const QString &state);
    // The metrics clock: the recent window closes (its percentiles are kept for snapshots) once
    // kRecentWindowMs have passed since it opened.
    void tick(qint64 nowMs);
    void reset();

    MetricsSnapshot snapshot() const;

private:
    void rotateRecent();

    LatencyHistogram m_latencyAll;
    LatencyHistogram m_latencyRecent;  // the open window; rotated by tick()
    LatencyBuckets m_latencyBuckets;
    mutable QMutex m_mutex;
    QMap<QString, qint64> m_rejectedByReason;
    std::map<QString, SourceHealth> m_sources;
    std::map<int, std::vector<ConsumerLag>> m_lag;
    std::map<std::pair<QString, int>, qint64> m_newestProduced;
    QString m_dbState = QStringLiteral("ok");
    double m_recentP50 = 0, m_recentP99 = 0;
    qint64 m_windowOpenedMs = -1;  // -1: the first tick opens it
};

}  // namespace ms
