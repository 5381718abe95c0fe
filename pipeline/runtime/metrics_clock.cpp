#include "runtime/metrics_clock.h"

#include <chrono>

namespace ms {

void MetricsClock::start(int periodMs, std::function<void()> tick)
{
    stop();
    {
        std::lock_guard lock(m_mutex);
        m_stop = false;
    }
    m_thread = std::thread([this, periodMs, tick = std::move(tick)] {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, std::chrono::milliseconds(periodMs),
                                [this] { return m_stop; })) {
            lock.unlock();
            tick();
            lock.lock();
        }
    });
}

void MetricsClock::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace ms
