#pragma once
// Keeps a QCandlestickSeries showing a list of candles with as little set churn as possible.
// QCandlestickSeries keeps a graphics item per set, and re-creating them all costs more than the
// rest of a chart frame. Candle groups are epoch-aligned (Decimator::candles), so while the view
// follows the live edge the list only changes at its ends: show() drops the sets that slid out,
// updates the ones whose values changed (usually the forming candle) and appends the ones that
// slid in. Anything else (a new interval, a jump, a zoom) rebuilds the series.
//
// A candle is drawn in the middle of its bucket [start, start + width): under the volume bars of
// the same buckets, and where the crosshair looks it up.
#include "market_data_store.h"

#include <vector>

class QCandlestickSeries;

namespace ms::ui {

class CandleSeriesSync
{
public:
    explicit CandleSeriesSync(QCandlestickSeries *series) : m_series(series) {}

    // `widthMs`: each candle's bucket width (a merged group's, when candles are merged).
    void show(std::vector<CandlePoint> candles, qint64 widthMs);
    void clear();
    // What the series holds, oldest first, and their bucket width.
    const std::vector<CandlePoint> &shown() const { return m_shown; }
    qint64 widthMs() const { return m_widthMs; }

private:
    void rebuild(std::vector<CandlePoint> candles, qint64 widthMs);
    double centre(const CandlePoint &c) const { return double(c.bucketStartMs) + double(m_widthMs) / 2; }

    QCandlestickSeries *m_series;
    std::vector<CandlePoint> m_shown;
    qint64 m_widthMs = 0;
};

}  // namespace ms::ui
