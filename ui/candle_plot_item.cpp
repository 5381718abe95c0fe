#include "candle_plot_item.h"

#include <QPainter>
#include <cmath>

namespace ms::ui {

CandlePlotItem::CandlePlotItem(Kind kind, QGraphicsItem *parent)
    : QGraphicsItem(parent), m_kind(kind)
{
    // No ItemClipsToShape: paint() clips to the plot rectangle itself (a path clip per item was
    // slower).
}

void CandlePlotItem::setColors(const QColor &up, const QColor &down, const QColor &wick)
{
    m_up = up;
    m_down = down;
    m_wick = wick;
    update();
}

void CandlePlotItem::show(std::vector<CandlePoint> candles, std::vector<CandleColumn> columns,
                          const QRectF &plot, double lo, double hi)
{
    if (plot != m_plot)
        prepareGeometryChange();
    m_candles = std::move(candles);
    m_columns = std::move(columns);
    m_plot = plot;
    m_lo = lo;
    m_hi = hi > lo ? hi : lo + 1;
    update();
}

void CandlePlotItem::clear()
{
    m_candles.clear();
    m_columns.clear();
    update();
}

double CandlePlotItem::y(double v) const
{
    return m_plot.bottom() - (v - m_lo) / (m_hi - m_lo) * m_plot.height();
}

void CandlePlotItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_columns.empty())
        return;
    painter->save();
    painter->setClipRect(m_plot);
    painter->setRenderHint(QPainter::Antialiasing, false);
    const int bottom = int(std::lround(m_plot.bottom()));
    for (const CandleColumn &col : m_columns) {
        const CandlePoint &c = m_candles[col.index];
        const QColor &color = c.close >= c.open ? m_up : m_down;
        if (m_kind == Kind::Volume) {
            const int top = int(std::lround(y(c.volume)));
            if (top < bottom)
                painter->fillRect(QRect(col.left, top, col.right - col.left, bottom - top), color);
            continue;
        }
        const int yHigh = int(std::lround(y(c.high)));
        const int yLow = int(std::lround(y(c.low)));
        painter->fillRect(QRect(col.wick, yHigh, 1, std::max(1, yLow - yHigh + 1)),
                          m_wick.isValid() ? m_wick : color);
        const int yOpen = int(std::lround(y(c.open)));
        const int yClose = int(std::lround(y(c.close)));
        const int top = std::min(yOpen, yClose);
        painter->fillRect(
            QRect(col.left, top, col.right - col.left, std::max(1, std::abs(yOpen - yClose))),
            color);
    }
    painter->restore();
}

} // namespace ms::ui

namespace ms::ui {

LinePlotItem::LinePlotItem(QGraphicsItem *parent) : QGraphicsItem(parent)
{
    // No ItemClipsToShape: paint() clips to the plot rectangle itself (a path clip per item was
    // slower).
}

void LinePlotItem::show(std::vector<Line> lines, const QRectF &plot, qint64 t0, qint64 t1,
                        double lo, double hi)
{
    if (plot != m_plot)
        prepareGeometryChange();
    m_lines = std::move(lines);
    m_plot = plot;
    m_t0 = t0;
    m_t1 = t1 > t0 ? t1 : t0 + 1;
    m_lo = lo;
    m_hi = hi > lo ? hi : lo + 1;
    update();
}

void LinePlotItem::clear()
{
    m_lines.clear();
    update();
}

QPointF LinePlotItem::map(const QPointF &v) const
{
    return {m_plot.left() + (v.x() - double(m_t0)) / double(m_t1 - m_t0) * m_plot.width(),
            m_plot.bottom() - (v.y() - m_lo) / (m_hi - m_lo) * m_plot.height()};
}

void LinePlotItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->save();
    painter->setClipRect(m_plot);
    // Aliased: two antialiased 400-point lines cost ~5 ms of a frame here (bench_charts), aliased
    // ~0.3.
    painter->setRenderHint(QPainter::Antialiasing, false);
    for (const Line &line : m_lines) {
        QPen pen(line.color, line.width);
        pen.setCosmetic(
            true); // the raster engine's fast path: a stroked 1.5 px path cost ~5 ms at 500 points
        painter->setPen(pen);
        for (const auto &segment : line.segments) {
            QPolygonF poly;
            poly.reserve(qsizetype(segment.size()));
            for (const QPointF &p : segment)
                poly << map(p);
            if (poly.size() == 1)
                painter->drawPoint(poly.front());
            else
                painter->drawPolyline(poly);
        }
    }
    painter->restore();
}

} // namespace ms::ui
