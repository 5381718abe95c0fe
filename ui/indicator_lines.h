#pragma once
// SMA and EMA lines computed from the candles the chart shows (whatever interval it aggregated
// to), so they reach the latest bar, forming candle included, and their periods are the user's.
// A gap in the candles (more than kGapBuckets buckets without one, e.g. between two runs) ends
// a line and restarts the average after it: a gap is drawn as a gap, never bridged. Pure maths.
#include "market_data_store.h"

#include <QPointF>
#include <QString>
#include <vector>

namespace ms::ui {

inline constexpr int kGapBuckets = 3;

enum class IndicatorKind { Sma, Ema };

struct IndicatorLine
{
    std::vector<std::vector<QPointF>> segments; // x = bucket middle (ms), y = value
    size_t candlesUsed = 0; // candles in the longest unbroken run (for "needs N candles")
    bool empty() const { return segments.empty(); }
};

// `candles`: sorted, bucket width widthMs. Points only for candles whose middle is in [t0, t1]
// (plus the nearest one outside each edge so a line reaches the borders).
IndicatorLine indicatorLine(IndicatorKind kind, int period, const std::vector<CandlePoint> &candles,
                            qint64 widthMs, qint64 t0, qint64 t1);

// The price line where memory holds candles but no ticks (stored history after a relaunch, or
// pages loaded from the database): each candle's close at its bucket's middle, for the candles
// that start before `untilMs` (the first tick held) and reach into [t0, t1] (plus the nearest one
// before t0). Broken at gaps like the indicators.
std::vector<std::vector<QPointF>> closeLine(const std::vector<CandlePoint> &candles, qint64 widthMs,
                                            qint64 t0, qint64 t1, qint64 untilMs);

} // namespace ms::ui
