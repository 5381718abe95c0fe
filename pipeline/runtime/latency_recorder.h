#pragma once
// Produce → database-commit latency, recorded per stored tick. A fixed log-linear histogram
// (1 µs .. ~70 s, ~3% relative resolution): recording is one atomic increment, memory is constant
// however long the run, and percentiles come out of the counts. Two histograms: the whole run, and
// a recent window that the metrics collector rotates every few seconds for the live chart.
#include <QtGlobal>

#include <array>
#include <atomic>

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

}  // namespace ms
