#include "indicator_lines.h"

#include <algorithm>

namespace ms::ui {

IndicatorLine indicatorLine(IndicatorKind kind, int period, const std::vector<CandlePoint> &candles,
                            qint64 widthMs, qint64 t0, qint64 t1)
{
    IndicatorLine out;
    period = std::max(1, period);
    if (candles.empty() || widthMs <= 0)
        return out;
    const double alpha = 2.0 / (period + 1.0);
    double sum = 0; // SMA: closes of the last `period` candles of the run
    double ema = 0; // EMA: seeded with the SMA of the run's first `period` candles
    size_t run = 0; // candles in the current unbroken run
    std::vector<QPointF> *segment = nullptr;
    bool pastEnd = false;
    for (size_t i = 0; i < candles.size() && !pastEnd; ++i) {
        const CandlePoint &c = candles[i];
        if (i > 0 &&
            c.bucketStartMs - candles[i - 1].bucketStartMs > qint64(kGapBuckets) * widthMs) {
            run = 0; // a gap: the average starts again after it, the line breaks
            sum = 0;
            segment = nullptr;
        }
        ++run;
        sum += c.close;
        if (run > size_t(period))
            sum -= candles[i - size_t(period)].close;
        out.candlesUsed = std::max(out.candlesUsed, run);
        if (run < size_t(period))
            continue;
        double value = sum / period;
        if (kind == IndicatorKind::Ema) {
            ema = run == size_t(period) ? value : alpha * c.close + (1 - alpha) * ema;
            value = ema;
        }
        const double x = double(c.bucketStartMs) + double(widthMs) / 2;
        if (x < double(t0)) {
            // Only the last one before the view is kept, to reach the left border.
            if (i + 1 < candles.size() &&
                double(candles[i + 1].bucketStartMs) + double(widthMs) / 2 < double(t0))
                continue;
        }
        if (x > double(t1))
            pastEnd = true; // this one reaches the right border; nothing after it
        if (!segment) {
            out.segments.emplace_back();
            segment = &out.segments.back();
        }
        segment->emplace_back(x, value);
    }
    return out;
}

std::vector<std::vector<QPointF>> closeLine(const std::vector<CandlePoint> &candles, qint64 widthMs,
                                            qint64 t0, qint64 t1, qint64 untilMs)
{
    std::vector<std::vector<QPointF>> out;
    if (widthMs <= 0)
        return out;
    const CandlePoint *previous = nullptr;
    for (size_t i = 0; i < candles.size(); ++i) {
        const CandlePoint &c = candles[i];
        if (c.bucketStartMs >= untilMs || c.bucketStartMs > t1)
            break;
        // Only the last one before the view, to reach the left border.
        const bool beforeView = c.bucketStartMs + widthMs <= t0;
        if (beforeView && i + 1 < candles.size() && candles[i + 1].bucketStartMs + widthMs <= t0) {
            previous = &c;
            continue;
        }
        if (out.empty() || !previous ||
            c.bucketStartMs - previous->bucketStartMs > qint64(kGapBuckets) * widthMs)
            out.emplace_back();
        out.back().emplace_back(double(c.bucketStartMs) + double(widthMs) / 2, c.close);
        previous = &c;
    }
    return out;
}

} // namespace ms::ui
