#pragma once
// Exponential backoff with jitter, shared by every network source. Pure logic (no timers): the
// caller asks for the next delay and arms its own QTimer.
#include <QtGlobal>

#include <random>

namespace ms {

struct BackoffPolicy
{
    qint64 initialMs = 1000;   // first delay
    qint64 maxMs = 60000;      // cap (before jitter)
    double factor = 2.0;       // growth per failed attempt
    double jitter = 0.2;       // ±20 % uniformly, so many clients do not retry in lockstep
};

class Backoff
{
public:
    explicit Backoff(BackoffPolicy policy = {}, quint32 seed = std::random_device{}());

    // Delay before the next attempt; each call counts one more failed attempt.
    qint64 nextDelayMs();
    // The un-jittered delay the next call would be based on (for messages and tests).
    qint64 peekBaseMs() const;
    // Call after a success: the next failure starts again from initialMs.
    void reset() { m_attempts = 0; }
    int attempts() const { return m_attempts; }
    const BackoffPolicy &policy() const { return m_policy; }

private:
    BackoffPolicy m_policy;
    int m_attempts = 0;
    std::mt19937 m_rng;
};

}  // namespace ms
