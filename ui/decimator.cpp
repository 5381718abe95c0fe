#include "decimator.h"

#include <algorithm>
#include <limits>

namespace ms::ui {

std::vector<QPointF> Decimator::minMax(const TimeSeriesBuffer &buffer, const DecimationRange &range,
                                       DecimationStats *stats)
{
    std::vector<QPointF> out;
    if (stats)
        *stats = DecimationStats{};
    if (buffer.empty() || range.t1 < range.t0)
        return out;
    const int columns = std::max(1, range.columns);
    const size_t begin = buffer.lowerBound(range.t0);
    const size_t end = buffer.upperBound(range.t1);
    out.reserve(size_t(columns) * 2 + 2);

    if (begin > 0) {
        const TimePoint &p = buffer.at(begin - 1);
        out.emplace_back(double(p.t), p.v);
    }

    const double span = double(range.t1 - range.t0) + 1.0;
    const double perColumn = span / columns;
    int column = -1;
    TimePoint lo{}, hi{};
    double vmin = std::numeric_limits<double>::infinity();
    double vmax = -std::numeric_limits<double>::infinity();
    auto flush = [&] {
        if (column < 0)
            return;
        if (lo.t == hi.t && lo.v == hi.v) {
            out.emplace_back(double(lo.t), lo.v);
        } else if (lo.t <= hi.t) {
            out.emplace_back(double(lo.t), lo.v);
            out.emplace_back(double(hi.t), hi.v);
        } else {
            out.emplace_back(double(hi.t), hi.v);
            out.emplace_back(double(lo.t), lo.v);
        }
    };
    // Walk the ring as contiguous runs (no modulo per point: this loop sees up to 1M points).
    const TimeSeriesBuffer::Runs runs = buffer.runs();
    auto visit = [&](const TimePoint &p) {
        const int c = std::min(columns - 1, int(double(p.t - range.t0) / perColumn));
        if (c != column) {
            flush();
            column = c;
            lo = hi = p;
        } else {
            if (p.v < lo.v)
                lo = p;
            if (p.v > hi.v)
                hi = p;
        }
        vmin = std::min(vmin, p.v);
        vmax = std::max(vmax, p.v);
    };
    for (size_t i = begin; i < std::min(end, runs.na); ++i)
        visit(runs.a[i]);
    for (size_t i = std::max(begin, runs.na); i < end; ++i)
        visit(runs.b[i - runs.na]);
    flush();

    if (end < buffer.size()) {
        const TimePoint &p = buffer.at(end);
        out.emplace_back(double(p.t), p.v);
    }
    if (stats) {
        stats->inputPoints = end - begin;
        if (end > begin) {
            stats->minValue = vmin;
            stats->maxValue = vmax;
        }
    }
    return out;
}

std::vector<CandlePoint> Decimator::candles(const std::deque<CandlePoint> &all, qint64 t0, qint64 t1, int maxCount)
{
    std::vector<CandlePoint> out;
    auto first = std::lower_bound(all.begin(), all.end(), t0,
                                  [](const CandlePoint &c, qint64 t) { return c.bucketStartMs < t; });
    auto last = std::upper_bound(first, all.end(), t1,
                                 [](qint64 t, const CandlePoint &c) { return t < c.bucketStartMs; });
    const size_t n = size_t(last - first);
    if (n == 0)
        return out;
    const size_t group = maxCount > 0 ? (n + size_t(maxCount) - 1) / size_t(maxCount) : 1;
    out.reserve(n / group + 1);
    for (auto it = first; it != last;) {
        CandlePoint merged = *it;
        size_t taken = 1;
        for (++it; it != last && taken < group; ++it, ++taken) {
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
