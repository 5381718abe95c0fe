#pragma once
// Min/max-per-pixel-column decimation: of all points that fall into one bucket of time (about a
// pixel column), only the lowest and the highest survive (in time order), so a line drawn from the
// result looks like one drawn from every point, at a cost bounded by the width of the chart, not
// the history. Buckets are aligned to the epoch so that MinMaxCache can keep the complete ones
// from frame to frame. Also: candle merging and the volume outline. Pure logic: no Qt Charts.
#include "market_data_store.h"
#include "time_series_buffer.h"

#include <QPointF>

#include <vector>

namespace ms::ui {

// One bucket of the time-aligned decimation: its first lowest and first highest point.
struct MinMaxBucket
{
    qint64 key = 0;  // floor(t / bucketMs)
    TimePoint lo, hi;
};

struct DecimationStats
{
    size_t inputPoints = 0;  // points inside [t0, t1]
    double minValue = 0;     // over the visible points (for the value axis)
    double maxValue = 0;
};

class Decimator
{
public:
    // Points for a line series over [t0, t1] (inclusive): per bucket (bucket k holds the points with
    // floor(t / bucketMs) == k) the min and the max, in time order, one point when they are the
    // same; plus the nearest point outside each edge so the line reaches the borders. Output x is
    // milliseconds since the epoch as double (QDateTimeAxis). Output size <= 2 * buckets + 2.
    // Aligned to the epoch rather than to t0: as the view follows the live edge a complete bucket
    // never changes, which is what MinMaxCache builds on. This full scan is its reference.
    static std::vector<QPointF> minMaxAligned(const TimeSeriesBuffer &buffer, qint64 t0, qint64 t1, qint64 bucketMs,
                                              DecimationStats *stats = nullptr);
    // A bucket width for a span drawn on this many pixel columns: the smallest step of a 2^(1/4)
    // ladder that is at least span/columns, so it stays put while the span changes a little
    // (a new width throws the cache away) and there are never more buckets than columns (+2).
    static qint64 bucketMs(qint64 spanMs, int columns);

    // Building blocks shared with MinMaxCache.
    static qint64 bucketKey(qint64 t, qint64 bucketMs);
    // Appends the buckets of points [begin, end) of the buffer (time order).
    static void scanBuckets(const TimeSeriesBuffer &buffer, size_t begin, size_t end, qint64 bucketMs,
                            std::vector<MinMaxBucket> &out);
    // Turns buckets into line points (lo and hi in time order, one point when they are the same)
    // with the neighbours outside [t0, t1] at both ends; fills stats from the buckets.
    static std::vector<QPointF> emitBuckets(const TimeSeriesBuffer &buffer, qint64 t0, qint64 t1,
                                            const std::vector<MinMaxBucket> &buckets, DecimationStats *stats);

    // Volume bars as one closed step outline for an area series: bars of barMs side by side, down
    // to zero at holes and ends.
    // Sets *maxVolume to the tallest bar (0 when none).
    static std::vector<QPointF> volumeOutline(const std::vector<CandlePoint> &bars, double barMs, double *maxVolume);

    // Candles (of intervalMs) whose bucket starts inside [t0, t1], merged so that at most
    // maxCount + 1 remain: groups of k intervals aligned to the epoch, k from the span (open of the
    // first, close of the last, extremes and volume summed; a merged candle starts at its group's
    // start). *groupMs gets the width of one group (k * intervalMs).
    static std::vector<CandlePoint> candles(const std::deque<CandlePoint> &all, qint64 t0, qint64 t1, qint64 intervalMs,
                                            int maxCount, qint64 *groupMs = nullptr);
    // Candles of sourceMs merged into epoch-aligned buckets of shownMs (a multiple of it): every
    // bucket [k * shownMs, (k + 1) * shownMs) that overlaps [t0, t1] and holds a candle. One
    // output candle per bucket, starting at the bucket's start.
    static std::vector<CandlePoint> aggregate(const std::deque<CandlePoint> &all, qint64 t0, qint64 t1, qint64 sourceMs,
                                              qint64 shownMs);
};

}  // namespace ms::ui
