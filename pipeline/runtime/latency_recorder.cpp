#include "runtime/latency_recorder.h"

#include <bit>
#include <cmath>

namespace ms {

int LatencyHistogram::bucketFor(qint64 micros)
{
    if (micros < kSubBuckets)
        return int(std::max<qint64>(micros, 0));
    const int power = std::bit_width(quint64(micros)) - 1;  // floor(log2)
    const int shift = power - 5;                           // 32 sub-buckets = 5 bits
    const int sub = int((quint64(micros) >> shift) & (kSubBuckets - 1));
    const int bucket = (power - 4) * kSubBuckets + sub;
    return std::min(bucket, kBuckets - 1);
}

double LatencyHistogram::bucketMidMicros(int bucket)
{
    if (bucket < kSubBuckets)
        return bucket;
    const int power = bucket / kSubBuckets + 4;
    const int sub = bucket % kSubBuckets;
    const int shift = power - 5;
    const double low = double((quint64(kSubBuckets) | quint64(sub)) << shift);
    return low + double(quint64(1) << shift) / 2.0;
}

void LatencyHistogram::record(qint64 micros, qint64 count)
{
    m_counts[size_t(bucketFor(micros))].fetch_add(count, std::memory_order_relaxed);
}

qint64 LatencyHistogram::count() const
{
    qint64 n = 0;
    for (const auto &c : m_counts)
        n += c.load(std::memory_order_relaxed);
    return n;
}

double LatencyHistogram::percentileMs(double p) const
{
    const qint64 total = count();
    if (total == 0)
        return 0;
    const qint64 rank = std::max<qint64>(1, qint64(std::ceil(p / 100.0 * double(total))));
    qint64 seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
        seen += m_counts[size_t(i)].load(std::memory_order_relaxed);
        if (seen >= rank)
            return bucketMidMicros(i) / 1000.0;
    }
    return bucketMidMicros(kBuckets - 1) / 1000.0;
}

void LatencyHistogram::reset()
{
    for (auto &c : m_counts)
        c.store(0, std::memory_order_relaxed);
}

void LatencyHistogram::mergeFrom(const LatencyHistogram &other)
{
    for (int i = 0; i < kBuckets; ++i)
        m_counts[size_t(i)].fetch_add(other.m_counts[size_t(i)].load(std::memory_order_relaxed),
                                      std::memory_order_relaxed);
}

void LatencyBuckets::record(qint64 micros, qint64 count)
{
    micros = std::max<qint64>(micros, 0);  // a clock step back is not a negative latency
    for (size_t i = 0; i < kLatencyBucketsMicros.size(); ++i) {
        if (micros <= kLatencyBucketsMicros[i]) {
            m_counts[i].fetch_add(count, std::memory_order_relaxed);
            break;
        }
    }
    m_sumMicros.fetch_add(micros * count, std::memory_order_relaxed);
    m_count.fetch_add(count, std::memory_order_relaxed);
}

std::vector<qint64> LatencyBuckets::cumulative() const
{
    std::vector<qint64> out(kLatencyBucketsMicros.size());
    qint64 seen = 0;
    for (size_t i = 0; i < out.size(); ++i) {
        seen += m_counts[i].load(std::memory_order_relaxed);
        out[i] = seen;
    }
    return out;
}

double LatencyBuckets::sumSeconds() const
{
    return double(m_sumMicros.load(std::memory_order_relaxed)) / 1e6;
}

void LatencyBuckets::reset()
{
    for (auto &c : m_counts)
        c.store(0, std::memory_order_relaxed);
    m_sumMicros.store(0, std::memory_order_relaxed);
    m_count.store(0, std::memory_order_relaxed);
}

}  // namespace ms
