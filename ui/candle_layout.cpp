#include "candle_layout.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>
#include <limits>

namespace ms::ui {

const std::vector<int> &niceIntervalsSec()
{
    static const std::vector<int> ladder{1,     2,     5,     10,    15,     30,    60,
                                         120,   300,   600,   900,   1800,   3600,  7200,
                                         14400, 21600, 43200, 86400, 172800, 604800};
    return ladder;
}

CandleIntervalChoice chooseCandleInterval(qint64 spanMs, double plotWidthPx, int requestedSec,
                                          const std::vector<int> &storedSec)
{
    requestedSec = std::max(1, requestedSec);
    const double maxCandles = std::max(1.0, std::floor(plotWidthPx / kMinCandlePx));
    // The finest interval whose candles over the span fit (+1: a span rarely starts on a bucket).
    const double neededSec =
        double(std::max<qint64>(1, spanMs)) / 1000.0 / std::max(1.0, maxCandles - 1);
    if (double(requestedSec) >= neededSec)
        return {requestedSec, requestedSec};
    std::vector<int> stored = storedSec;
    std::sort(stored.begin(), stored.end());
    // The coarsest stored interval that divides `shown` (0: none): the fewest candles to merge.
    auto sourceFor = [&stored](int shown) {
        int source = 0;
        for (int s : stored)
            if (s <= shown && shown % s == 0)
                source = s;
        return source;
    };
    // The finest round interval that fits and can be built from what is stored (itself, when it
    // is stored: 1 d of 1 s candles shows the stored 5 min ones; 1 h of them, 10 s built from 1 s).
    for (int nice : niceIntervalsSec()) {
        if (double(nice) >= neededSec && nice >= requestedSec) {
            if (const int source = sourceFor(nice))
                return {source, nice};
        }
    }
    // More than a week per candle, or nothing stored that divides a round interval.
    const int week = niceIntervalsSec().back();
    int shown = int(std::min(1e9, std::ceil(neededSec / week) * week));
    int source = sourceFor(shown);
    if (source == 0) {
        source = requestedSec;
        shown = int(std::min(1e9, std::ceil(neededSec / source))) * source;
    }
    return {source, shown};
}

QString intervalLabel(int seconds)
{
    auto tr = [](const char *s) { return QCoreApplication::translate("ms::ui::ChartPanel", s); };
    if (seconds % 604800 == 0)
        return tr("%1 wk").arg(seconds / 604800);
    if (seconds % 86400 == 0)
        return tr("%1 d").arg(seconds / 86400);
    if (seconds % 3600 == 0)
        return tr("%1 h").arg(seconds / 3600);
    if (seconds % 60 == 0)
        return tr("%1 min").arg(seconds / 60);
    return tr("%1 s").arg(seconds);
}

std::vector<CandleColumn> candleColumns(const std::vector<CandlePoint> &candles, qint64 widthMs,
                                        qint64 t0, qint64 t1, double plotLeft, double plotWidth)
{
    std::vector<CandleColumn> out;
    if (t1 <= t0 || plotWidth <= 0 || widthMs <= 0)
        return out;
    const double scale = plotWidth / double(t1 - t0);
    const int plotL = int(std::lround(plotLeft));
    const int plotR = int(std::lround(plotLeft + plotWidth));
    auto column = [&](qint64 t) {
        const double x = plotLeft + double(t - t0) * scale;
        return int(std::lround(std::clamp(x, plotLeft - 1e6, plotLeft + plotWidth + 1e6)));
    };
    int previousRight = std::numeric_limits<int>::min();
    for (size_t i = 0; i < candles.size(); ++i) {
        const int a = column(candles[i].bucketStartMs);
        const int b = column(candles[i].bucketStartMs + widthMs);
        const int slot = b - a;
        // A gap of ~15 % on each side, at least one pixel once the slot has room for it.
        const int inset = slot >= 3 ? std::max(1, int(std::lround(slot * 0.15))) : 0;
        int left = std::max(a + inset, plotL);
        int right = std::min(std::max(b - inset - (slot == 2 ? 1 : 0), a + 1), plotR);
        left = std::max(left, previousRight); // rounding never lets two bodies share a column
        if (right <= left)
            continue;
        out.push_back({left, right, (left + right - 1) / 2, i});
        previousRight = right;
    }
    return out;
}

} // namespace ms::ui
