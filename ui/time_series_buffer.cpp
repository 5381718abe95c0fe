#include "time_series_buffer.h"

#include <algorithm>
#include <atomic>
#include <utility>

namespace ms::ui {

quint64 TimeSeriesBuffer::nextGeneration()
{
    static std::atomic<quint64> counter{0};
    return ++counter;
}

TimeSeriesBuffer::TimeSeriesBuffer(size_t capacity) : m_capacity(std::max<size_t>(1, capacity))
{
}

TimeSeriesBuffer::TimeSeriesBuffer(const TimeSeriesBuffer &other)
    : m_data(other.m_data), m_capacity(other.m_capacity), m_head(other.m_head), m_size(other.m_size)
{
}

TimeSeriesBuffer::TimeSeriesBuffer(TimeSeriesBuffer &&other) noexcept
    : m_data(std::move(other.m_data)), m_capacity(other.m_capacity), m_head(other.m_head), m_size(other.m_size),
      m_generation(other.m_generation)
{
    other.m_data.clear();
    other.m_head = other.m_size = 0;
    other.m_generation = nextGeneration();
}

TimeSeriesBuffer &TimeSeriesBuffer::operator=(const TimeSeriesBuffer &other)
{
    if (this != &other) {
        m_data = other.m_data;
        m_capacity = other.m_capacity;
        m_head = other.m_head;
        m_size = other.m_size;
        m_generation = nextGeneration();
    }
    return *this;
}

TimeSeriesBuffer &TimeSeriesBuffer::operator=(TimeSeriesBuffer &&other) noexcept
{
    if (this != &other) {
        m_data = std::move(other.m_data);
        m_capacity = other.m_capacity;
        m_head = std::exchange(other.m_head, 0);
        m_size = std::exchange(other.m_size, 0);
        m_generation = std::exchange(other.m_generation, nextGeneration());
        other.m_data.clear();
    }
    return *this;
}

void TimeSeriesBuffer::setCapacity(size_t capacity)
{
    capacity = std::max<size_t>(1, capacity);
    if (capacity == m_capacity)
        return;
    const size_t keep = std::min(m_size, capacity);
    std::vector<TimePoint> next;
    next.reserve(std::min(capacity, std::max<size_t>(keep, 1024)));
    for (size_t i = m_size - keep; i < m_size; ++i)
        next.push_back(at(i));
    m_data = std::move(next);
    m_capacity = capacity;
    m_head = 0;
    m_size = keep;
    m_generation = nextGeneration();
}

void TimeSeriesBuffer::clear()
{
    m_data.clear();
    m_head = 0;
    m_size = 0;
    m_generation = nextGeneration();
}

void TimeSeriesBuffer::append(qint64 t, double v)
{
    if (m_size > 0 && t < last().t)
        t = last().t;
    if (m_size < m_capacity) {
        // Grows lazily up to the bound: the ring is only laid out once full.
        if (m_data.size() < m_capacity && m_head == 0) {
            m_data.push_back(TimePoint{t, v});
            ++m_size;
            return;
        }
        m_data[(m_head + m_size) % m_capacity] = TimePoint{t, v};
        ++m_size;
        return;
    }
    m_data[m_head] = TimePoint{t, v};
    m_head = (m_head + 1) % m_capacity;
}

void TimeSeriesBuffer::upsertLast(qint64 t, double v)
{
    if (m_size > 0 && last().t == t) {
        m_data[(m_head + m_size - 1) % m_capacity].v = v;
        return;
    }
    append(t, v);
}

size_t TimeSeriesBuffer::lowerBound(qint64 t) const
{
    size_t lo = 0, hi = m_size;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (at(mid).t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t TimeSeriesBuffer::upperBound(qint64 t) const
{
    size_t lo = 0, hi = m_size;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (at(mid).t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

TimeSeriesBuffer::Runs TimeSeriesBuffer::runs() const
{
    Runs r;
    if (m_size == 0)
        return r;
    const size_t firstLen = std::min(m_size, m_data.size() - m_head);
    r.a = m_data.data() + m_head;
    r.na = firstLen;
    if (firstLen < m_size) {
        r.b = m_data.data();
        r.nb = m_size - firstLen;
    }
    return r;
}

}  // namespace ms::ui
