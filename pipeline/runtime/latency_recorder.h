#pragma once
// Produce → database-commit latency, recorded per stored tick. A fixed log-linear histogram
// (1 µs .. ~70 s, ~3% relative resolution): recording is one atomic increment, memory is constant
// however long the run, and percentiles come out of the counts. Two histograms: the whole run, and
// a recent window that the metrics clock rotates every few seconds for the live chart. Plus the
// same latency in Prometheus buckets (LatencyBuckets), exact at their bounds.
#include <QtGlobal>

#include <array>
#include <atomic>
#include <vector>

namespace ms {

class LatencyHistogram
{
public:
    static constexpr int kSubBuckets = 32;   // per power of two
    static constexpr int kPowers = 27;       // 2^26 µs ≈ 67 s
    static constexpr int kBuckets = kSubBuckets * kPowers;

    void record(qint64 micros, qint64 count = 1);
    double percentileMs(double p) const;  // 0 when empty
    qint64 count() const;
    void reset();
    // Adds every count of `other` (used to snapshot the recent window).
    void mergeFrom(const LatencyHistogram &other);

private:
    static int bucketFor(qint64 micros);
    static double bucketMidMicros(int bucket);
    std::array<std::atomic<qint64>, kBuckets> m_counts{};
};

// The histogram Prometheus scrapes: upper bounds in seconds (base units); +Inf is the count.
inline constexpr std::array<qint64, 15> kLatencyBucketsMicros{500,    1000,    2500,    5000,    10000,
                                                              25000,  50000,   100000,  250000,  500000,
                                                              1000000, 2500000, 5000000, 10000000, 30000000};

class LatencyBuckets
{
public:
    void record(qint64 micros, qint64 count = 1);
    std::vector<qint64> cumulative() const;  // one per kLatencyBucketsMicros bound
    double sumSeconds() const;
    qint64 count() const { return m_count.load(std::memory_order_relaxed); }
    void reset();

private:
    std::array<std::atomic<qint64>, kLatencyBucketsMicros.size()> m_counts{};  // per bound, not cumulative
    std::atomic<qint64> m_sumMicros{0};
    std::atomic<qint64> m_count{0};
};

}  // namespace ms
