#pragma once
// Incremental min/max decimation of one TimeSeriesBuffer: the result of
// Decimator::minMaxAligned(buffer, t0, t1, bucketMs), computed without rescanning the history.
//
// Why it can be cached: the buffer only grows at the newest end (times never go backwards) and
// drops points at the oldest end. So a bucket strictly between the one holding the oldest point
// and the one holding the newest point can never change, and a bucket strictly inside the view
// is not clipped by it. Those are kept from frame to frame; only the buckets at the two edges of
// the view (and of the data) are recomputed, plus whatever new range the view slid into. Following
// the live edge, a frame reads the few points of the newest buckets instead of the whole history.
//
// One cache per line (buffer). The cached buckets are bounded by the view's bucket count.
#include "decimator.h"

#include <deque>

namespace ms::ui {

class MinMaxCache
{
public:
    // Equals Decimator::minMaxAligned(buffer, t0, t1, bucketMs, stats).
    std::vector<QPointF> decimate(const TimeSeriesBuffer &buffer, qint64 t0, qint64 t1, qint64 bucketMs,
                                  DecimationStats *stats = nullptr);
    void clear();

    // Points the last decimate() read from the buffer (for tests and the benchmark).
    size_t lastScannedPoints() const { return m_scanned; }
    size_t cachedBuckets() const { return m_buckets.size(); }

private:
    // Appends the buckets of the points with time in [from, to] to out.
    void scan(const TimeSeriesBuffer &buffer, qint64 from, qint64 to, std::vector<MinMaxBucket> &out);
    // Makes m_buckets hold exactly the complete buckets with keys in [lo, hi].
    void cover(const TimeSeriesBuffer &buffer, qint64 lo, qint64 hi);

    quint64 m_generation = 0;
    qint64 m_bucketMs = 0;
    qint64 m_fromKey = 0, m_toKey = -1;  // keys covered by m_buckets (empty buckets are not stored)
    std::deque<MinMaxBucket> m_buckets;
    size_t m_scanned = 0;
    std::vector<MinMaxBucket> m_scratch;
};

}  // namespace ms::ui
