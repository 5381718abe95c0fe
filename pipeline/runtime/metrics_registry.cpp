#include "runtime/metrics_registry.h"

#include "model/time_util.h"

#include <QMutexLocker>

#include <algorithm>

namespace ms {

double lagSecondsFor(qint64 lagMessages, qint64 newestStoredMs, qint64 newestProducedMs, qint64 nowMs)
{
    if (lagMessages == 0)
        return 0;  // caught up
    if (lagMessages < 0 || newestStoredMs <= 0)
        return -1;  // unknown: no watermark yet, or nothing stored to measure from
    // Produced elsewhere: the newest message cannot be newer than now (an upper bound).
    const qint64 newest = newestProducedMs > 0 ? newestProducedMs : nowMs;
    return double(std::max<qint64>(0, newest - newestStoredMs)) / 1000.0;
}

void MetricsRegistry::recordLatency(qint64 micros)
{
    m_latencyAll.record(micros);
    m_latencyRecent.record(micros);
    m_latencyBuckets.record(micros);
}

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

void MetricsRegistry::setLag(int consumerIndex, std::vector<ConsumerLag> lag)
{
    QMutexLocker lock(&m_mutex);
    m_lag[consumerIndex] = std::move(lag);
}

void MetricsRegistry::setNewestProduced(std::map<std::pair<QString, int>, qint64> newest)
{
    QMutexLocker lock(&m_mutex);
    m_newestProduced = std::move(newest);
}

void MetricsRegistry::setDatabaseState(const QString &state)
{
    QMutexLocker lock(&m_mutex);
    m_dbState = state;
}

void MetricsRegistry::tick(qint64 nowMs)
{
    bool rotate = false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_windowOpenedMs < 0) {
            m_windowOpenedMs = nowMs;
        } else if (nowMs - m_windowOpenedMs >= kRecentWindowMs) {
            m_windowOpenedMs = nowMs;
            rotate = true;
        }
    }
    if (rotate)
        rotateRecent();
}

void MetricsRegistry::rotateRecent()
{
    const double p50 = m_latencyRecent.percentileMs(50);
    const double p99 = m_latencyRecent.percentileMs(99);
    const bool any = m_latencyRecent.count() > 0;
    m_latencyRecent.reset();
    QMutexLocker lock(&m_mutex);
    m_recentP50 = any ? p50 : 0;
    m_recentP99 = any ? p99 : 0;
}

void MetricsRegistry::reset()
{
    for (auto *c : {&queued, &produced, &produceErrors, &consumed, &stored, &duplicates, &rejected, &deadLettered,
                    &droppedLate, &candleWrites, &dbErrors, &spooled, &alertsTriggered, &feedGaps})
        c->store(0);
    m_latencyAll.reset();
    m_latencyRecent.reset();
    m_latencyBuckets.reset();
    QMutexLocker lock(&m_mutex);
    m_rejectedByReason.clear();
    m_sources.clear();
    m_lag.clear();
    m_newestProduced.clear();
    m_dbState = QStringLiteral("ok");
    m_recentP50 = m_recentP99 = 0;
    m_windowOpenedMs = -1;
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
    s.candleWrites = candleWrites.load();
    s.dbErrors = dbErrors.load();
    s.spooled = spooled.load();
    s.alertsTriggered = alertsTriggered.load();
    s.feedGaps = feedGaps.load();
    s.databaseBytes = databaseBytes.load();
    s.latencyP50Ms = m_latencyAll.percentileMs(50);
    s.latencyP99Ms = m_latencyAll.percentileMs(99);
    s.latencyBucketCounts = m_latencyBuckets.cumulative();
    s.latencySumSeconds = m_latencyBuckets.sumSeconds();
    // Read after the buckets: +Inf (the count) never falls below the last bound's count.
    s.latencyCount = std::max(m_latencyBuckets.count(), s.latencyBucketCounts.back());
    QMutexLocker lock(&m_mutex);
    s.recentP50Ms = m_recentP50;
    s.recentP99Ms = m_recentP99;
    s.rejectedByReason = m_rejectedByReason;
    for (const auto &[name, h] : m_sources)
        s.sources.push_back(h);
    for (const auto &[idx, lags] : m_lag) {
        for (ConsumerLag l : lags) {
            const auto produced = m_newestProduced.find({l.topic, l.partition});
            l.lagSeconds = lagSecondsFor(l.lagMessages, l.newestStoredMs,
                                         produced == m_newestProduced.end() ? 0 : produced->second, s.timestampMs);
            s.lagByTopic[l.topic] += std::max<qint64>(0, l.lagMessages);
            s.lagMessages += std::max<qint64>(0, l.lagMessages);
            // Per topic and overall: the most behind partition; unknown (-1) only when no partition is known.
            if (auto it = s.lagSecondsByTopic.find(l.topic); it == s.lagSecondsByTopic.end())
                s.lagSecondsByTopic.insert(l.topic, l.lagSeconds);
            else
                it.value() = std::max(it.value(), l.lagSeconds);
            s.partitions.push_back(std::move(l));
        }
    }
    s.lagSeconds = s.partitions.empty() ? 0 : -1;
    for (const ConsumerLag &l : s.partitions)
        s.lagSeconds = std::max(s.lagSeconds, l.lagSeconds);
    s.databaseState = m_dbState;
    return s;
}

}  // namespace ms
