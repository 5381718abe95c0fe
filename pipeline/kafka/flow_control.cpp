#include "kafka/flow_control.h"

#include <chrono>

namespace ms::kafka {

FlowControl::FlowControl(int64_t maxBytesPerPartition, int64_t maxMessagesPerPartition)
    : m_max(maxBytesPerPartition > 0 ? maxBytesPerPartition : kDefaultMaxBytesPerPartition)
    , m_maxMessages(maxMessagesPerPartition > 0 ? maxMessagesPerPartition : kDefaultMaxMessagesPerPartition)
{
}

bool FlowControl::hasRoomLocked(const Key &k, int64_t bytes, int64_t messages) const
{
    const auto it = m_inFlight.find(k);
    if (it == m_inFlight.end() || it->second.messages == 0)
        return true;  // an empty partition admits anything, so one huge message cannot deadlock
    return it->second.bytes + bytes <= m_max && it->second.messages + messages <= m_maxMessages;
}

bool FlowControl::tryAcquire(const std::string &topic, int32_t partition, int64_t bytes, int64_t messages)
{
    Key k{topic, partition};
    std::lock_guard lock(m_mutex);
    if (!hasRoomLocked(k, bytes, messages))
        return false;
    Usage &u = m_inFlight[std::move(k)];
    u.bytes += bytes;
    u.messages += messages;
    return true;
}

bool FlowControl::acquire(const std::string &topic, int32_t partition, int64_t bytes,
                          const std::atomic_bool &stop, int64_t messages)
{
    Key k{topic, partition};
    std::unique_lock lock(m_mutex);
    bool waited = false;
    while (!hasRoomLocked(k, bytes, messages)) {
        if (stop.load(std::memory_order_relaxed))
            return false;
        if (!waited) {
            waited = true;
            m_throttled.fetch_add(1, std::memory_order_relaxed);
        }
        // Short slices: a stop flag set without wakeAll() is still seen within 20 ms.
        m_cv.wait_for(lock, std::chrono::milliseconds(20));
    }
    if (stop.load(std::memory_order_relaxed))
        return false;
    Usage &u = m_inFlight[std::move(k)];
    u.bytes += bytes;
    u.messages += messages;
    return true;
}

void FlowControl::release(const std::string &topic, int32_t partition, int64_t bytes, int64_t messages)
{
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_inFlight.find(Key{topic, partition});
        if (it == m_inFlight.end())
            return;  // reset meanwhile, or never acquired (an external producer's messages)
        Usage &u = it->second;
        u.bytes = u.bytes > bytes ? u.bytes - bytes : 0;
        u.messages = u.messages > messages ? u.messages - messages : 0;
        if (u.messages == 0)
            u.bytes = 0;
    }
    m_cv.notify_all();
}

void FlowControl::reset(const std::string &topic, int32_t partition)
{
    {
        std::lock_guard lock(m_mutex);
        m_inFlight.erase(Key{topic, partition});
    }
    m_cv.notify_all();
}

void FlowControl::reset()
{
    {
        std::lock_guard lock(m_mutex);
        m_inFlight.clear();
    }
    m_cv.notify_all();
}

void FlowControl::wakeAll()
{
    m_cv.notify_all();
}

int64_t FlowControl::inFlight(const std::string &topic, int32_t partition) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_inFlight.find(Key{topic, partition});
    return it == m_inFlight.end() ? 0 : it->second.bytes;
}

int64_t FlowControl::inFlightMessages(const std::string &topic, int32_t partition) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_inFlight.find(Key{topic, partition});
    return it == m_inFlight.end() ? 0 : it->second.messages;
}

int64_t FlowControl::totalInFlight() const
{
    std::lock_guard lock(m_mutex);
    int64_t sum = 0;
    for (const auto &[k, v] : m_inFlight)
        sum += v.bytes;
    return sum;
}

}  // namespace ms::kafka
