#pragma once
// Which candles a plot of a given width can show, and where their bodies go on screen. Pure maths,
// no widgets, unit-tested directly.
//
// A candle needs about kMinCandlePx pixels to read as a candle. When the visible span holds more
// candles of the chosen interval than fit, the chart shows a coarser interval instead: the finest
// round interval (1/2/5/10/15/30 s, min, h, …) that fits, taken as it is when it is stored, or
// computed from the coarsest stored interval that divides it (epoch-aligned groups of it).
// Bodies are laid out on whole pixel columns so that neighbours never overlap, however the span
// and the width divide.
#include "market_data_store.h"

#include <QString>
#include <vector>

namespace ms::ui {

inline constexpr double kMinCandlePx = 2.0;

struct CandleIntervalChoice
{
    int sourceSec = 60; // the stored interval the candles are built from
    int shownSec = 60;  // the interval of each candle drawn (a multiple of sourceSec)
    bool operator==(const CandleIntervalChoice &) const = default;
};

// `requestedSec`: the user's interval; `storedSec`: the intervals that have candles (any order).
// The shown interval is never finer than requested, and holds at most
// plotWidthPx / kMinCandlePx candles over spanMs.
CandleIntervalChoice chooseCandleInterval(qint64 spanMs, double plotWidthPx, int requestedSec,
                                          const std::vector<int> &storedSec);

// The round intervals a computed one is chosen from (1 s, 2 s, 5 s, …, 1 h, 2 h, …, 1 day, 1 week).
const std::vector<int> &niceIntervalsSec();

// "1 s", "5 min", "4 h", "1 d".
QString intervalLabel(int seconds);

// One candle's pixel columns: its body covers [left, right) and its wick the column `wick`.
struct CandleColumn
{
    int left = 0, right = 0, wick = 0;
    size_t index = 0; // into the candles laid out
};

// Columns for candles of bucket width widthMs (sorted, disjoint buckets) on a plot whose x range
// [t0, t1] maps to [plotLeft, plotLeft + plotWidth). Candles entirely outside are skipped, the
// rest clipped to the plot. Guarantees: right > left, and out[i].right <= out[i + 1].left.
std::vector<CandleColumn> candleColumns(const std::vector<CandlePoint> &candles, qint64 widthMs,
                                        qint64 t0, qint64 t1, double plotLeft, double plotWidth);

} // namespace ms::ui
