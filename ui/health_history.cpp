#include "health_history.h"

#include <algorithm>

namespace ms::ui {

HealthHistory::HealthHistory(size_t samples, qint64 sampleEveryMs)
    : m_samples(samples), m_every(sampleEveryMs), m_produced(samples), m_consumed(samples), m_stored(samples),
      m_p50(samples), m_p99(samples), m_rejected(samples), m_deadLettered(samples)
{
}

void HealthHistory::clear()
{
    for (TimeSeriesBuffer *b : {&m_produced, &m_consumed, &m_stored, &m_p50, &m_p99, &m_rejected, &m_deadLettered})
        b->clear();
    m_lag.clear();
    m_haveLast = false;
    m_lastMs = 0;
    m_last = MetricsSnapshot{};
}

bool HealthHistory::add(const MetricsSnapshot &s, qint64 nowMs)
{
    const qint64 t = s.timestampMs > 0 ? s.timestampMs : nowMs;
    if (m_haveLast && t - m_lastMs < m_every)
        return false;
    if (m_haveLast && t > m_lastMs) {
        const double seconds = double(t - m_lastMs) / 1000.0;
        // Counters restart at zero with each run: a drop is a new run, not a negative rate.
        auto rate = [&](qint64 now, qint64 before) { return now >= before ? double(now - before) / seconds : double(now) / seconds; };
        m_produced.append(t, rate(s.produced, m_last.produced));
        m_consumed.append(t, rate(s.consumed, m_last.consumed));
        m_stored.append(t, rate(s.stored, m_last.stored));
    }
    m_p50.append(t, s.recentP50Ms);
    m_p99.append(t, s.recentP99Ms);
    m_rejected.append(t, double(s.rejected));
    m_deadLettered.append(t, double(s.deadLettered));
    for (auto it = s.lagByTopic.cbegin(); it != s.lagByTopic.cend(); ++it) {
        auto [entry, inserted] = m_lag.try_emplace(it.key(), m_samples);
        entry->second.append(t, double(std::max<qint64>(0, it.value())));
    }
    m_last = s;
    m_lastMs = t;
    m_haveLast = true;
    return true;
}

}  // namespace ms::ui
