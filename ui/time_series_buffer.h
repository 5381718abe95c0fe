#pragma once
// A bounded, time-ordered history of (time, value) points: a ring buffer that drops the oldest
// point when full. Pure data, no Qt Charts; what the charts draw is decimated from here.
//
// Times never go backwards inside the buffer: a point older than the newest one is stored at the
// newest time (ticks of one symbol arrive nearly ordered; keeping the order is what makes range
// look-ups a binary search).
#include <QtGlobal>

#include <vector>

namespace ms::ui {

struct TimePoint
{
    qint64 t = 0;  // ms since the Unix epoch
    double v = 0;
};

class TimeSeriesBuffer
{
public:
    explicit TimeSeriesBuffer(size_t capacity = 100000);
    // A copy gets its own generation (see generation()); a moved-from buffer is left empty.
    TimeSeriesBuffer(const TimeSeriesBuffer &other);
    TimeSeriesBuffer(TimeSeriesBuffer &&other) noexcept;
    TimeSeriesBuffer &operator=(const TimeSeriesBuffer &other);
    TimeSeriesBuffer &operator=(TimeSeriesBuffer &&other) noexcept;

    size_t capacity() const { return m_capacity; }
    // Shrinks (dropping the oldest) or grows the bound.
    void setCapacity(size_t capacity);

    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    void clear();

    void append(qint64 t, double v);
    // Replaces the newest point's value when it has time t, else appends (candle-like updates).
    void upsertLast(qint64 t, double v);

    // i-th oldest point, 0 <= i < size().
    const TimePoint &at(size_t i) const { return m_data[(m_head + i) % m_capacity]; }
    const TimePoint &first() const { return at(0); }
    const TimePoint &last() const { return at(m_size - 1); }

    // Index of the first point with time >= t (size() when none).
    size_t lowerBound(qint64 t) const;
    // Index of the first point with time > t (size() when none).
    size_t upperBound(qint64 t) const;

    // The buffer as (at most) two contiguous runs, oldest first, for tight loops.
    struct Runs
    {
        const TimePoint *a = nullptr;
        size_t na = 0;
        const TimePoint *b = nullptr;
        size_t nb = 0;
    };
    Runs runs() const;

    // Process-wide unique while the contents only grow at the end and drop at the front; renewed
    // by clear(), setCapacity() and copies. A cache of results derived from the points (the
    // incremental decimator) is valid for as long as the generation is the same.
    quint64 generation() const { return m_generation; }
    // Bytes held for the points (at most about capacity() points' worth).
    size_t heldBytes() const { return m_data.capacity() * sizeof(TimePoint); }

private:
    static quint64 nextGeneration();

    std::vector<TimePoint> m_data;
    size_t m_capacity;
    size_t m_head = 0;  // index of the oldest point
    size_t m_size = 0;
    quint64 m_generation = nextGeneration();
};

}  // namespace ms::ui
