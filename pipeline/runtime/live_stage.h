#pragma once
// Where consumer threads stage what the GUI shows; the GUI swaps it out on its frame timer
// (Pipeline::takeLiveBatch). The consumers must never wait on the GUI: each kind of item lives in
// a fixed-capacity ring, so a push is O(1) per item under the lock (no front erase, no
// reallocation), and take() only swaps the rings out (O(1)); the copy into a LiveBatch and the
// destruction of the old ring happen after the lock is released. When the GUI falls behind, the
// oldest items are overwritten and counted: the database has them all, the chart refills from it.
#include "runtime/pipeline.h"

#include <QMutex>
#include <atomic>
#include <deque>
#include <span>
#include <vector>

namespace ms {

// A ring of at most `capacity` items; pushing into a full ring overwrites the oldest one.
template <typename T> class DropOldestRing
{
public:
    void setCapacity(size_t capacity)
    {
        m_capacity = std::max<size_t>(1, capacity);
        m_slots.clear();
        m_head = 0;
    }
    size_t capacity() const { return m_capacity; }
    // Returns how many older items were overwritten. O(1) per item, not amortised: a deque grows
    // block by block without moving what it holds (a vector's doubling copied 100k+ ticks under
    // the lock, 15 ms, while it first filled).
    size_t push(std::span<const T> items)
    {
        size_t dropped = 0;
        for (const T &item : items) {
            if (m_slots.size() < m_capacity) {
                m_slots.push_back(item);
            } else {
                m_slots[m_head] = item;
                m_head = (m_head + 1) % m_capacity;
                ++dropped;
            }
        }
        return dropped;
    }
    size_t size() const { return m_slots.size(); }
    // Appends the items to `out`, oldest first.
    void copyTo(std::vector<T> &out) const
    {
        out.reserve(out.size() + m_slots.size());
        for (size_t i = 0; i < m_slots.size(); ++i)
            out.push_back(m_slots[(m_head + i) % m_slots.size()]);
    }
    void swap(DropOldestRing &other) noexcept
    {
        std::swap(m_slots, other.m_slots);
        std::swap(m_head, other.m_head);
        std::swap(m_capacity, other.m_capacity);
    }
    // Empties it (destroys the items: O(n), so LiveStage does it outside the lock).
    void reset()
    {
        m_slots.clear();
        m_head = 0;
    }

private:
    std::deque<T> m_slots;
    size_t m_head = 0; // the oldest item once the storage is full
    size_t m_capacity = 1;
};

class LiveStage
{
public:
    LiveStage();
    void setEnabled(bool on, size_t maxTicks);
    bool enabled() const { return m_enabled.load(std::memory_order_relaxed); }
    void add(std::span<const Tick> ticks, std::span<const Candle> candles,
             std::span<const IndicatorSnapshot> indicators);
    LiveBatch take();
    void clear();

    static constexpr size_t kMaxCandles = 100000;
    static constexpr size_t kMaxIndicators = 20000;

private:
    struct Rings
    {
        DropOldestRing<Tick> ticks;
        DropOldestRing<Candle> candles;
        DropOldestRing<IndicatorSnapshot> indicators;
        qint64 droppedTicks = 0, droppedCandles = 0, droppedIndicators = 0;
        void swap(Rings &o) noexcept;
        void reset(size_t maxTicks);
    };

    std::atomic_bool m_enabled{false};
    QMutex m_mutex;
    size_t m_maxTicks = 200000;
    Rings m_live; // what the consumers fill
};

} // namespace ms
