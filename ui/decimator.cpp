#include "decimator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ms::ui {

qint64 Decimator::bucketKey(qint64 t, qint64 bucketMs)
{
    const qint64 q = t / bucketMs;
    return (t % bucketMs != 0 && t < 0) ? q - 1 : q;  // floor, also before the epoch
}

qint64 Decimator::bucketMs(qint64 spanMs, int columns)
{
    const double perColumn = double(std::max<qint64>(1, spanMs)) / double(std::max(1, columns));
    if (perColumn <= 1)
        return 1;
    int step = int(std::ceil(4.0 * std::log2(perColumn)));
    qint64 width = qint64(std::ceil(std::exp2(step / 4.0)));
    while (double(width) < perColumn)  // guards the rounding of log2/exp2
        width = qint64(std::ceil(std::exp2(++step / 4.0)));
    return width;
}

void Decimator::scanBuckets(const TimeSeriesBuffer &buffer, size_t begin, size_t end, qint64 bucketMs,
                            std::vector<MinMaxBucket> &out)
{
    if (begin >= end)
        return;
    MinMaxBucket current;
    qint64 bucketEnd = std::numeric_limits<qint64>::min();  // first time past the current bucket
    bool open = false;
    // One comparison per point while inside a bucket: a division per point would dominate a 1M scan.
    auto visit = [&](const TimePoint &p) {
        if (p.t >= bucketEnd || !open) {
            if (open)
                out.push_back(current);
            current.key = bucketKey(p.t, bucketMs);
            current.lo = current.hi = p;
            bucketEnd = (current.key + 1) * bucketMs;
            open = true;
            return;
        }
        if (p.v < current.lo.v)
            current.lo = p;
        if (p.v > current.hi.v)
            current.hi = p;
    };
    const TimeSeriesBuffer::Runs runs = buffer.runs();
    for (size_t i = begin; i < std::min(end, runs.na); ++i)
        visit(runs.a[i]);
    for (size_t i = std::max(begin, runs.na); i < end; ++i)
        visit(runs.b[i - runs.na]);
    if (open)
        out.push_back(current);
}

std::vector<QPointF> Decimator::emitBuckets(const TimeSeriesBuffer &buffer, qint64 t0, qint64 t1,
                                            const std::vector<MinMaxBucket> &buckets, DecimationStats *stats)
{
    std::vector<QPointF> out;
    if (stats)
        *stats = DecimationStats{};
    if (buffer.empty() || t1 < t0)
        return out;
    const size_t begin = buffer.lowerBound(t0);
    const size_t end = buffer.upperBound(t1);
    out.reserve(buckets.size() * 2 + 2);
    if (begin > 0) {
        const TimePoint &p = buffer.at(begin - 1);
        out.emplace_back(double(p.t), p.v);
    }
    double vmin = std::numeric_limits<double>::infinity();
    double vmax = -std::numeric_limits<double>::infinity();
    for (const MinMaxBucket &b : buckets) {
        const bool same = b.lo.t == b.hi.t && b.lo.v == b.hi.v;
        const TimePoint &first = b.lo.t <= b.hi.t ? b.lo : b.hi;
        const TimePoint &second = b.lo.t <= b.hi.t ? b.hi : b.lo;
        out.emplace_back(double(first.t), first.v);
        if (!same)
            out.emplace_back(double(second.t), second.v);
        vmin = std::min(vmin, b.lo.v);
        vmax = std::max(vmax, b.hi.v);
    }
    if (end < buffer.size()) {
        const TimePoint &p = buffer.at(end);
        out.emplace_back(double(p.t), p.v);
    }
    if (stats) {
        stats->inputPoints = end - begin;
        if (!buckets.empty()) {
            stats->minValue = vmin;
            stats->maxValue = vmax;
        }
    }
    return out;
}

std::vector<QPointF> Decimator::minMaxAligned(const TimeSeriesBuffer &buffer, qint64 t0, qint64 t1, qint64 bucketMs,
                                              DecimationStats *stats)
{
    std::vector<MinMaxBucket> buckets;
    if (!buffer.empty() && t1 >= t0)
        scanBuckets(buffer, buffer.lowerBound(t0), buffer.upperBound(t1), std::max<qint64>(1, bucketMs), buckets);
    return emitBuckets(buffer, t0, t1, buckets, stats);
}

std::vector<QPointF> Decimator::volumeOutline(const std::vector<CandlePoint> &bars, double barMs, double *maxVolume)
{
    std::vector<QPointF> out;
    *maxVolume = 0;
    const double width = barMs;
    out.reserve(bars.size() * 2 + 4);
    for (size_t i = 0; i < bars.size(); ++i) {
        const double x0 = double(bars[i].bucketStartMs), x1 = x0 + width;
        if (i == 0 || double(bars[i - 1].bucketStartMs) + width < x0)
            out.emplace_back(x0, 0);  // first bar, or after a hole in the data
        out.emplace_back(x0, bars[i].volume);
        out.emplace_back(x1, bars[i].volume);
        if (i + 1 == bars.size() || x1 < double(bars[i + 1].bucketStartMs))
            out.emplace_back(x1, 0);
        *maxVolume = std::max(*maxVolume, bars[i].volume);
    }
    return out;
}

std::vector<CandlePoint> Decimator::candles(const std::deque<CandlePoint> &all, qint64 t0, qint64 t1, qint64 intervalMs,
                                            int maxCount, qint64 *groupMs)
{
    std::vector<CandlePoint> out;
    intervalMs = std::max<qint64>(1, intervalMs);
    // The group size follows from the span alone (not from how many candles happen to be in it),
    // and groups are aligned to the epoch: while the view follows the live edge the same candles
    // stay merged together, so the chart changes only at its ends.
    const qint64 slots = std::max<qint64>(0, t1 - t0) / intervalMs + 1;
    const qint64 group = maxCount > 0 ? std::max<qint64>(1, (slots + maxCount - 1) / maxCount) : 1;
    const qint64 width = group * intervalMs;
    if (groupMs)
        *groupMs = width;
    auto first = std::lower_bound(all.begin(), all.end(), t0,
                                  [](const CandlePoint &c, qint64 t) { return c.bucketStartMs < t; });
    auto last = std::upper_bound(first, all.end(), t1,
                                 [](qint64 t, const CandlePoint &c) { return t < c.bucketStartMs; });
    if (first == last)
        return out;
    out.reserve(size_t(last - first) / size_t(group) + 2);
    for (auto it = first; it != last;) {
        const qint64 key = bucketKey(it->bucketStartMs, width);
        CandlePoint merged = *it;
        if (group > 1)
            merged.bucketStartMs = key * width;
        for (++it; it != last && bucketKey(it->bucketStartMs, width) == key; ++it) {
            merged.high = std::max(merged.high, it->high);
            merged.low = std::min(merged.low, it->low);
            merged.close = it->close;
            merged.volume += it->volume;
            merged.final = it->final;
        }
        out.push_back(merged);
    }
    return out;
}

std::vector<CandlePoint> Decimator::aggregate(const std::deque<CandlePoint> &all, qint64 t0, qint64 t1, qint64 sourceMs,
                                              qint64 shownMs)
{
    std::vector<CandlePoint> out;
    sourceMs = std::max<qint64>(1, sourceMs);
    shownMs = std::max(sourceMs, shownMs);
    const qint64 from = bucketKey(t0, shownMs) * shownMs;  // the bucket holding t0 starts here
    auto first = std::lower_bound(all.begin(), all.end(), from,
                                  [](const CandlePoint &c, qint64 t) { return c.bucketStartMs < t; });
    auto last = std::upper_bound(first, all.end(), t1,
                                 [](qint64 t, const CandlePoint &c) { return t < c.bucketStartMs; });
    for (auto it = first; it != last;) {
        const qint64 key = bucketKey(it->bucketStartMs, shownMs);
        CandlePoint merged = *it;
        merged.bucketStartMs = key * shownMs;
        for (++it; it != last && bucketKey(it->bucketStartMs, shownMs) == key; ++it) {
            merged.high = std::max(merged.high, it->high);
            merged.low = std::min(merged.low, it->low);
            merged.close = it->close;
            merged.volume += it->volume;
            merged.final = it->final;
        }
        out.push_back(merged);
    }
    return out;
}

}  // namespace ms::ui
