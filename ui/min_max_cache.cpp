#include "min_max_cache.h"

#include <algorithm>

namespace ms::ui {

void MinMaxCache::clear()
{
    m_buckets.clear();
    m_fromKey = 0;
    m_toKey = -1;
    m_generation = 0;
    m_bucketMs = 0;
}

void MinMaxCache::scan(const TimeSeriesBuffer &buffer, qint64 from, qint64 to, std::vector<MinMaxBucket> &out)
{
    if (to < from)
        return;
    const size_t begin = buffer.lowerBound(from), end = buffer.upperBound(to);
    if (end <= begin)
        return;
    m_scanned += end - begin;
    Decimator::scanBuckets(buffer, begin, end, m_bucketMs, out);
}

void MinMaxCache::cover(const TimeSeriesBuffer &buffer, qint64 lo, qint64 hi)
{
    const qint64 w = m_bucketMs;
    if (m_fromKey > m_toKey || m_toKey < lo || m_fromKey > hi) {
        // Nothing reusable (first frame, a jump, or a new bucket width): scan the middle once.
        m_buckets.clear();
        m_scratch.clear();
        scan(buffer, lo * w, (hi + 1) * w - 1, m_scratch);
        m_buckets.assign(m_scratch.begin(), m_scratch.end());
        m_fromKey = lo;
        m_toKey = hi;
        return;
    }
    // Forget what slid out of view (this is what bounds the cache) ...
    while (!m_buckets.empty() && m_buckets.front().key < lo)
        m_buckets.pop_front();
    while (!m_buckets.empty() && m_buckets.back().key > hi)
        m_buckets.pop_back();
    m_fromKey = std::max(m_fromKey, lo);
    m_toKey = std::min(m_toKey, hi);
    // ... and add what slid into it: usually a bucket or two at the live edge.
    if (lo < m_fromKey) {
        m_scratch.clear();
        scan(buffer, lo * w, m_fromKey * w - 1, m_scratch);
        m_buckets.insert(m_buckets.begin(), m_scratch.begin(), m_scratch.end());
        m_fromKey = lo;
    }
    if (m_toKey < hi) {
        m_scratch.clear();
        scan(buffer, (m_toKey + 1) * w, (hi + 1) * w - 1, m_scratch);
        m_buckets.insert(m_buckets.end(), m_scratch.begin(), m_scratch.end());
        m_toKey = hi;
    }
}

std::vector<QPointF> MinMaxCache::decimate(const TimeSeriesBuffer &buffer, qint64 t0, qint64 t1, qint64 bucketMs,
                                           DecimationStats *stats)
{
    m_scanned = 0;
    bucketMs = std::max<qint64>(1, bucketMs);
    if (buffer.generation() != m_generation || bucketMs != m_bucketMs) {
        clear();
        m_generation = buffer.generation();
        m_bucketMs = bucketMs;
    }
    std::vector<MinMaxBucket> buckets;
    if (buffer.empty() || t1 < t0)
        return Decimator::emitBuckets(buffer, t0, t1, buckets, stats);

    const qint64 w = bucketMs;
    const qint64 k0 = Decimator::bucketKey(t0, w), k1 = Decimator::bucketKey(t1, w);
    const qint64 kFirst = Decimator::bucketKey(buffer.first().t, w);
    const qint64 kLast = Decimator::bucketKey(buffer.last().t, w);
    // Complete and unclipped: strictly after the view's and the data's first bucket, strictly
    // before the view's and the data's last bucket.
    const qint64 lo = std::max(k0, kFirst) + 1, hi = std::min(k1, kLast) - 1;
    if (lo > hi) {
        // At most a few buckets hold points (view or data shorter than three buckets): no cache.
        m_buckets.clear();
        m_fromKey = 0;
        m_toKey = -1;
        scan(buffer, t0, t1, buckets);
        return Decimator::emitBuckets(buffer, t0, t1, buckets, stats);
    }
    buckets.reserve(size_t(std::min<qint64>(hi - lo + 8, 1 << 16)));
    scan(buffer, t0, lo * w - 1, buckets);  // the leading edge, clipped at t0
    cover(buffer, lo, hi);
    buckets.insert(buckets.end(), m_buckets.begin(), m_buckets.end());
    scan(buffer, (hi + 1) * w, t1, buckets);  // the trailing edge: the forming bucket(s)
    return Decimator::emitBuckets(buffer, t0, t1, buckets, stats);
}

}  // namespace ms::ui
