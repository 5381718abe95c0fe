#pragma once
// Health figures over time, derived from successive MetricsSnapshots: counters become rates
// (per second), gauges (lag, latency) are sampled. At most one sample per second, bounded history.
// Pure logic, unit-tested without widgets.
#include "runtime/metrics.h"
#include "time_series_buffer.h"

#include <QString>

#include <map>

namespace ms::ui {

class HealthHistory
{
public:
    explicit HealthHistory(size_t samples = 900, qint64 sampleEveryMs = 1000);

    // Takes a sample when at least sampleEveryMs passed since the last one (by snapshot time, or
    // nowMs when the snapshot has none). Returns whether it did.
    bool add(const MetricsSnapshot &snapshot, qint64 nowMs);
    void clear();

    const TimeSeriesBuffer &producedRate() const { return m_produced; }
    const TimeSeriesBuffer &consumedRate() const { return m_consumed; }
    const TimeSeriesBuffer &storedRate() const { return m_stored; }
    const TimeSeriesBuffer &latencyP50() const { return m_p50; }
    const TimeSeriesBuffer &latencyP99() const { return m_p99; }
    const TimeSeriesBuffer &rejected() const { return m_rejected; }          // cumulative count
    const TimeSeriesBuffer &deadLettered() const { return m_deadLettered; }  // cumulative count
    const std::map<QString, TimeSeriesBuffer> &lagByTopic() const { return m_lag; }
    const MetricsSnapshot &latest() const { return m_last; }
    qint64 lastSampleMs() const { return m_lastMs; }

private:
    size_t m_samples;
    qint64 m_every;
    qint64 m_lastMs = 0;
    bool m_haveLast = false;
    MetricsSnapshot m_last;
    TimeSeriesBuffer m_produced, m_consumed, m_stored, m_p50, m_p99, m_rejected, m_deadLettered;
    std::map<QString, TimeSeriesBuffer> m_lag;
};

}  // namespace ms::ui
