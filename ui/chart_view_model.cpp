#include "chart_view_model.h"

#include <algorithm>

namespace ms::ui {

double ChartFrame::x(qint64 timeMs) const
{
    const qint64 span = std::max<qint64>(1, window.t1 - window.t0);
    return pricePlot.left() + double(timeMs - window.t0) / double(span) * pricePlot.width();
}

double ChartFrame::priceY(double price) const
{
    const double span = prices.hi > prices.lo ? prices.hi - prices.lo : 1;
    return pricePlot.bottom() - (price - prices.lo) / span * pricePlot.height();
}

void ChartViewModel::setRangePreset(qint64 spanMs)
{
    m_spanMs = std::max<qint64>(0, spanMs);
    m_follow = true;
    m_dirty = true;
}

void ChartViewModel::setFollowing(bool on)
{
    m_follow = on;
    if (!on)
        m_endMs = m_shown.t1;
    m_dirty = true;
}

void ChartViewModel::pan(double fractionOfSpan, qint64 latestMs)
{
    const qint64 span = std::max(kMinSpanMs, m_shown.t1 - m_shown.t0);
    if (m_spanMs == 0)
        m_spanMs = span; // leaving "All": keep what is on screen
    m_endMs = m_shown.t1 + qint64(fractionOfSpan * double(span));
    m_follow = fractionOfSpan > 0 && m_endMs >= latestMs;
    if (m_follow)
        m_endMs = 0;
    m_dirty = true;
}

void ChartViewModel::zoom(double factor, double anchorFraction)
{
    const qint64 span = std::max(kMinSpanMs, m_shown.t1 - m_shown.t0);
    const qint64 newSpan =
        std::clamp<qint64>(qint64(double(span) * factor), kMinSpanMs, kMaxSpanMs);
    const double anchorT = double(m_shown.t0) + anchorFraction * double(span);
    m_spanMs = newSpan;
    if (!(m_follow && anchorFraction > 0.95)) {
        m_follow = false;
        m_endMs = qint64(anchorT + (1.0 - anchorFraction) * double(newSpan));
    }
    m_dirty = true;
}

void ChartViewModel::goTo(qint64 timeMs)
{
    if (m_spanMs == 0)
        m_spanMs = 60 * 60 * 1000;
    m_follow = false;
    m_endMs = timeMs + m_spanMs / 2;
    m_dirty = true;
}

TimeWindow ChartViewModel::place(qint64 firstMs, qint64 lastMs)
{
    TimeWindow w;
    if (m_spanMs == 0) {
        w = {std::min(firstMs, lastMs), lastMs};
    } else {
        w.t1 = m_follow ? lastMs : m_endMs;
        w.t0 = w.t1 - m_spanMs;
    }
    if (w.t1 - w.t0 < kMinSpanMs)
        w.t0 = w.t1 - kMinSpanMs;
    m_shown = w;
    return w;
}

void ChartViewModel::padRight(qint64 padMs)
{
    if (m_follow && padMs > 0)
        m_shown.t1 += padMs;
}

bool ChartViewModel::consumeRedraw(bool dataChanged)
{
    if (!dataChanged && !m_dirty)
        return false;
    if (!m_dirty && !m_follow && m_spanMs != 0)
        return false;
    m_dirty = false;
    return true;
}

std::optional<ValueRange> ChartViewModel::fitValues(double lo, double hi)
{
    const std::optional<ValueRange> next = nextValueRange(m_valueRange, lo, hi);
    if (!next || next == m_valueRange)
        return std::nullopt;
    m_valueRange = next;
    return next;
}

} // namespace ms::ui
