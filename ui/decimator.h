#pragma once
// Min/max-per-pixel-column decimation: of all points that fall into one pixel column, only the
// lowest and the highest survive (in time order), so a line drawn from the result looks exactly
// like one drawn from every point, at a cost bounded by the width of the chart, not the history.
// Pure logic: no Qt Charts.
#include "market_data_store.h"
#include "time_series_buffer.h"

#include <QPointF>

#include <vector>

namespace ms::ui {

struct DecimationRange
{
    qint64 t0 = 0;      // visible time range, inclusive
    qint64 t1 = 0;
    int columns = 800;  // pixel columns of the plot area
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
    // Points for a line series: per column min and max (time order kept; one point when they are
    // equal) plus the nearest point outside each edge so the line reaches the borders.
    // Output x is milliseconds since the epoch as double (QDateTimeAxis). Output size <= 2*columns+2.
    static std::vector<QPointF> minMax(const TimeSeriesBuffer &buffer, const DecimationRange &range,
                                       DecimationStats *stats = nullptr);

    // Candles whose bucket starts inside [t0, t1], merged in groups of k consecutive candles so at
    // most maxCount remain (open of the first, close of the last, extremes and volume summed).
    static std::vector<CandlePoint> candles(const std::deque<CandlePoint> &all, qint64 t0, qint64 t1,
                                            int maxCount);
};

}  // namespace ms::ui
