#include "candle_series_sync.h"

#include <QCandlestickSeries>
#include <QCandlestickSet>

namespace ms::ui {

void CandleSeriesSync::clear()
{
    if (m_series->count() > 0)
        m_series->clear();
    m_shown.clear();
}

void CandleSeriesSync::rebuild(std::vector<CandlePoint> candles, qint64 widthMs)
{
    clear();
    m_widthMs = widthMs;
    QList<QCandlestickSet *> sets;
    sets.reserve(qsizetype(candles.size()));
    for (const CandlePoint &c : candles)
        sets << new QCandlestickSet(c.open, c.high, c.low, c.close, centre(c));
    if (!sets.isEmpty())
        m_series->append(sets);
    m_shown = std::move(candles);
}

void CandleSeriesSync::show(std::vector<CandlePoint> candles, qint64 widthMs)
{
    const QList<QCandlestickSet *> sets = m_series->sets();
    if (candles.empty() || sets.size() != qsizetype(m_shown.size()) || widthMs != m_widthMs) {
        rebuild(std::move(candles), widthMs);
        return;
    }
    size_t drop = 0;  // sets that slid out on the left
    while (drop < m_shown.size() && m_shown[drop].bucketStartMs < candles.front().bucketStartMs)
        ++drop;
    const size_t kept = m_shown.size() - drop;
    if (kept > candles.size()) {
        rebuild(std::move(candles), widthMs);
        return;
    }
    for (size_t i = 0; i < kept; ++i) {
        if (m_shown[drop + i].bucketStartMs != candles[i].bucketStartMs) {
            rebuild(std::move(candles), widthMs);
            return;
        }
    }
    if (drop > 0)
        m_series->remove(sets.mid(0, qsizetype(drop)));  // deletes them
    for (size_t i = 0; i < kept; ++i) {
        const CandlePoint &was = m_shown[drop + i], &c = candles[i];
        if (was.open == c.open && was.high == c.high && was.low == c.low && was.close == c.close)
            continue;
        QCandlestickSet *set = sets.at(qsizetype(drop + i));
        set->setHigh(c.high);
        set->setLow(c.low);
        set->setClose(c.close);
        set->setOpen(c.open);
    }
    QList<QCandlestickSet *> added;
    for (size_t i = kept; i < candles.size(); ++i)
        added << new QCandlestickSet(candles[i].open, candles[i].high, candles[i].low, candles[i].close,
                                     centre(candles[i]));
    if (!added.isEmpty())
        m_series->append(added);
    m_shown = std::move(candles);
}

}  // namespace ms::ui
