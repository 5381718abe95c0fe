#include "sources/backoff.h"

#include <algorithm>
#include <cmath>

namespace ms {

Backoff::Backoff(BackoffPolicy policy, quint32 seed) : m_policy(policy), m_rng(seed)
{
    m_policy.initialMs = std::max<qint64>(1, m_policy.initialMs);
    m_policy.maxMs = std::max(m_policy.initialMs, m_policy.maxMs);
    m_policy.factor = std::max(1.0, m_policy.factor);
    m_policy.jitter = std::clamp(m_policy.jitter, 0.0, 1.0);
}

qint64 Backoff::peekBaseMs() const
{
    const double base = double(m_policy.initialMs) * std::pow(m_policy.factor, std::min(m_attempts, 62));
    return qint64(std::min(base, double(m_policy.maxMs)));
}

qint64 Backoff::nextDelayMs()
{
    const double base = double(peekBaseMs());
    ++m_attempts;
    if (m_policy.jitter <= 0)
        return qint64(base);
    std::uniform_real_distribution<double> dist(1.0 - m_policy.jitter, 1.0 + m_policy.jitter);
    return std::max<qint64>(1, qint64(base * dist(m_rng)));
}

}  // namespace ms
