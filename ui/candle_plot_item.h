#pragma once
// Candlesticks or volume bars painted straight into a chart's plot area, on whole pixel columns
// laid out by candleColumns(). QCandlestickSeries sized its bodies from the smallest gap between
// any two sets and clamped them to 5..50 px, so at wide ranges bodies overlapped or one body
// covered hours; and QAreaSeries has one colour. Here every candle gets its own columns and
// colour, and a frame costs a few hundred fillRects.
#include "candle_layout.h"

#include <QColor>
#include <QGraphicsItem>

namespace ms::ui {

class CandlePlotItem : public QGraphicsItem
{
public:
    enum class Kind { Candles, Volume };
    explicit CandlePlotItem(Kind kind, QGraphicsItem *parent = nullptr);

    void setColors(const QColor &up, const QColor &down, const QColor &wick);
    // What to paint: the candles, their columns, and the plot's rectangle and value range.
    void show(std::vector<CandlePoint> candles, std::vector<CandleColumn> columns,
              const QRectF &plot, double lo, double hi);
    void clear();

    const std::vector<CandlePoint> &candles() const { return m_candles; }
    const std::vector<CandleColumn> &columns() const { return m_columns; }

    QRectF boundingRect() const override { return m_plot; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    double y(double v) const;

    Kind m_kind;
    QColor m_up, m_down, m_wick;
    std::vector<CandlePoint> m_candles;
    std::vector<CandleColumn> m_columns;
    QRectF m_plot;
    double m_lo = 0, m_hi = 1;
};

} // namespace ms::ui

namespace ms::ui {

// Lines painted into a plot area, each a list of segments (x in ms, y in value) drawn unconnected:
// what Qt's line series cannot do without bridging gaps. Also the price line: a QLineSeries
// rebuilds its hover shape with QPainterPathStroker on every replace() (Qt 6.4
// LineChartItem::updateGeometry), ~1.7 ms of a 2,000-point frame here; a polyline costs ~0.3.
class LinePlotItem : public QGraphicsItem
{
public:
    struct Line
    {
        QColor color;
        std::vector<std::vector<QPointF>> segments;
        double width = 1.5;  // cosmetic pen width (px)
    };
    explicit LinePlotItem(QGraphicsItem *parent = nullptr);
    void show(std::vector<Line> lines, const QRectF &plot, qint64 t0, qint64 t1, double lo,
              double hi);
    void clear();
    const std::vector<Line> &lines() const { return m_lines; }
    // Plot position of a value point (for tests: where a line ends on screen).
    QPointF map(const QPointF &value) const;

    QRectF boundingRect() const override { return m_plot; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    std::vector<Line> m_lines;
    QRectF m_plot;
    qint64 m_t0 = 0, m_t1 = 1;
    double m_lo = 0, m_hi = 1;
};

} // namespace ms::ui
