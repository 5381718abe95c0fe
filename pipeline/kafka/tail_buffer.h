#pragma once
// The bounded hand-over between a tail's reader thread and whoever shows the messages (the
// inspector panel swaps it out on a ~30 fps timer). When the reader outruns the reader's reader,
// the oldest records go and are counted, so memory stays bounded and the tail never blocks.
#include "kafka/topic_tail.h"

#include <QtGlobal>
#include <deque>
#include <mutex>
#include <vector>

namespace ms::kafka {

class TailBuffer
{
public:
    explicit TailBuffer(size_t capacity) : m_capacity(capacity ? capacity : 1) {}

    void push(std::vector<TailRecord> &&records)
    {
        std::lock_guard lock(m_mutex);
        for (TailRecord &r : records) {
            if (m_records.size() >= m_capacity) {
                m_records.pop_front();
                ++m_dropped;
            }
            m_records.push_back(std::move(r));
        }
    }
    // Everything buffered, oldest first; the buffer is empty afterwards.
    std::deque<TailRecord> takeAll()
    {
        std::deque<TailRecord> out;
        std::lock_guard lock(m_mutex);
        out.swap(m_records);
        return out;
    }
    // Records dropped because nobody took them in time, since the start.
    qint64 dropped() const
    {
        std::lock_guard lock(m_mutex);
        return m_dropped;
    }
    size_t capacity() const { return m_capacity; }

private:
    const size_t m_capacity;
    mutable std::mutex m_mutex;
    std::deque<TailRecord> m_records;
    qint64 m_dropped = 0;
};

} // namespace ms::kafka
