#pragma once
// The metrics clock: a small thread that calls tick() every period until stopped. The pipeline's
// tick copies the producer's counters into the registry and lets the registry close its recent
// latency window (MetricsRegistry::tick), so no reader of the metrics changes them.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ms {

class MetricsClock
{
public:
    MetricsClock() = default;
    ~MetricsClock() { stop(); }
    MetricsClock(const MetricsClock &) = delete;
    MetricsClock &operator=(const MetricsClock &) = delete;

    // Starts ticking (a second start() restarts with the new callback).
    void start(int periodMs, std::function<void()> tick);
    // Returns once the thread has ended; a tick in progress finishes first.
    void stop();

private:
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false; // under m_mutex
};

} // namespace ms
