#include "runtime/metrics_registry.h"

#include "model/time_util.h"

#include <QMutexLocker>

namespace ms {

void MetricsRegistry::addRejected(const QString &reason)
{
    rejected.fetch_add(1, std::memory_order_relaxed);
    QMutexLocker lock(&m_mutex);
    m_rejectedByReason[reason] += 1;
}

void MetricsRegistry::setSourceStatus(const QString &name, const SourceStatus &status)
{
    QMutexLocker lock(&m_mutex);
    auto &h = m_sources[name];
    h.name = name;
    h.status = status;
}

void MetricsRegistry::addSourceTicks(const QString &name, qint64 n)
{
    QMutexLocker lock(&m_mutex);
    auto &h = m_sources[name];
    h.name = name;
    h.ticks += n;
}

void MetricsRegistry::setLag(int consumerIndex, std::vector<PartitionLag> lag)
{
    QMutexLocker lock(&m_mutex);
    m_lag[consumerIndex] = std::move(lag);
}

void MetricsRegistry::setDatabaseState(const QString &state)
{
    QMutexLocker lock(&m_mutex);
    m_dbState = state;
}

void MetricsRegistry::rotateRecent()
{
    const double p50 = latencyRecent.percentileMs(50);
    const double p99 = latencyRecent.percentileMs(99);
    const bool any = latencyRecent.count() > 0;
    latencyRecent.reset();
    QMutexLocker lock(&m_mutex);
    m_recentP50 = any ? p50 : 0;
    m_recentP99 = any ? p99 : 0;
}

void MetricsRegistry::reset()
{
    for (auto *c : {&queued, &produced, &produceErrors, &consumed, &stored, &inserted, &duplicates, &rejected, &deadLettered,
                    &droppedLate, &candlesWritten, &dbErrors, &spooled, &alertsTriggered})
        c->store(0);
    feedGaps.store(0);
    latencyAll.reset();
    latencyRecent.reset();
    QMutexLocker lock(&m_mutex);
    m_rejectedByReason.clear();
    m_sources.clear();
    m_lag.clear();
    m_dbState = QStringLiteral("ok");
    m_recentP50 = m_recentP99 = 0;
}

MetricsSnapshot MetricsRegistry::snapshot() const
{
    MetricsSnapshot s;
    s.timestampMs = nowMs();
    s.queued = queued.load();
    s.produced = produced.load();
    s.produceErrors = produceErrors.load();
    s.consumed = consumed.load();
    s.stored = stored.load();
    s.duplicates = duplicates.load();
    s.rejected = rejected.load();
    s.deadLettered = deadLettered.load();
    s.droppedLate = droppedLate.load();
    s.candlesWritten = candlesWritten.load();
    s.dbErrors = dbErrors.load();
    s.spooled = spooled.load();
    s.alertsTriggered = alertsTriggered.load();
    s.feedGaps = feedGaps.load();
    s.databaseBytes = databaseBytes.load();
    s.latencyP50Ms = latencyAll.percentileMs(50);
    s.latencyP99Ms = latencyAll.percentileMs(99);
    QMutexLocker lock(&m_mutex);
    s.recentP50Ms = m_recentP50;
    s.recentP99Ms = m_recentP99;
    s.rejectedByReason = m_rejectedByReason;
    for (const auto &[name, h] : m_sources)
        s.sources.push_back(h);
    for (const auto &[idx, lags] : m_lag) {
        for (const auto &l : lags) {
            s.partitions.push_back(l);
            if (l.lag >= 0)
                s.lagByTopic[l.topic] += l.lag;
            else
                s.lagByTopic[l.topic] += 0;
        }
    }
    s.databaseState = m_dbState;
    return s;
}

}  // namespace ms
