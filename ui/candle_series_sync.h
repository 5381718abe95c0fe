#pragma once
// Keeps a QCandlestickSeries showing a list of candles with as little set churn as possible.
// QCandlestickSeries keeps a graphics item per set, and re-creating them all costs more than the
// rest of a chart frame. Candle groups are epoch-aligned (Decimator::candles), so while the view
// follows the live edge the list only changes at its ends: show() drops the sets that slid out,
// updates the ones whose values changed (usually the forming candle) and appends the ones that
// slid in. Anything else (a new interval, a jump, a zoom) rebuilds the series.
#include "market_data_store.h"

#include <vector>

class QCandlestickSeries;

namespace ms::ui {

class CandleSeriesSync
{
public:
    explicit CandleSeriesSync(QCandlestickSeries *series) : m_series(series) {}

    void show(std::vector<CandlePoint> candles);
    void clear();
    // What the series holds, oldest first.
    const std::vector<CandlePoint> &shown() const { return m_shown; }

private:
    void rebuild(std::vector<CandlePoint> candles);

    QCandlestickSeries *m_series;
    std::vector<CandlePoint> m_shown;
};

}  // namespace ms::ui
