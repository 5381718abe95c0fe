#include "alert_markers.h"

#include <QBrush>
#include <QChart>
#include <QGraphicsPolygonItem>
#include <QPainter>
#include <QPen>
#include <QPolygonF>

namespace ms::ui {

namespace {
// The chart view draws aliased (interactive_chart_view.cpp); a 10 px triangle needs smooth edges.
class SmoothPolygonItem : public QGraphicsPolygonItem
{
public:
    using QGraphicsPolygonItem::QGraphicsPolygonItem;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override
    {
        painter->setRenderHint(QPainter::Antialiasing);  // the scene restores the painter after each item
        QGraphicsPolygonItem::paint(painter, option, widget);
    }
};
}  // namespace

AlertMarkers::AlertMarkers(QChart *chart) : m_chart(chart) {}

AlertMarkers::~AlertMarkers() = default; // the items belong to the chart

void AlertMarkers::setMarks(std::vector<AlertMark> marks)
{
    m_marks = std::move(marks);
}

void AlertMarkers::place(const QString &symbol, const QRectF &plot, qint64 t0, qint64 t1, double lo,
                         double hi)
{
    size_t used = 0;
    if (t1 > t0 && hi > lo) {
        for (const AlertMark &m : m_marks) {
            if (m.symbol != symbol || m.tsMs < t0 || m.tsMs > t1 || m.price < lo || m.price > hi)
                continue;
            if (used == m_items.size()) {
                // A downward triangle whose tip sits on the price: visible on lines and candles.
                auto *item = new SmoothPolygonItem(
                    QPolygonF({QPointF(-5, -10), QPointF(5, -10), QPointF(0, 0)}), m_chart);
                item->setBrush(QColor(0xe0, 0xa0, 0x30));
                item->setPen(QPen(Qt::black, 0.5));
                item->setZValue(20);
                m_items.push_back(item);
            }
            QGraphicsPolygonItem *item = m_items[used++];
            const double x = plot.left() + double(m.tsMs - t0) / double(t1 - t0) * plot.width();
            const double y = plot.bottom() - (m.price - lo) / (hi - lo) * plot.height();
            item->setPos(x, y);
            item->setToolTip(QStringLiteral("%1 at %2").arg(m.rule).arg(m.price));
            item->show();
        }
    }
    for (size_t i = used; i < m_items.size(); ++i)
        m_items[i]->hide();
}

int AlertMarkers::visibleCount() const
{
    int n = 0;
    for (const QGraphicsPolygonItem *i : m_items)
        n += i->isVisible() ? 1 : 0;
    return n;
}

} // namespace ms::ui
