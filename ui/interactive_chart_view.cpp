#include "interactive_chart_view.h"

#include "ui_theme.h"

#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace ms::ui {

InteractiveChartView::InteractiveChartView(QChart *chart, QWidget *parent) : QChartView(chart, parent)
{
    // No antialiasing for the scene: grid and axis lines fall on whole pixels and stay crisp, the
    // candles and lines draw aliased anyway (their items turn it off), and antialiased grid lines
    // were about half of every frame's paint (bench_charts: 3.6 -> 1.6 ms p50 at 1 s / 1h). Items
    // that need smooth edges (alert markers) turn it on in their own paint().
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setRubberBand(QChartView::NoRubberBand);
    setDragMode(QGraphicsView::NoDrag);

    const QColor lineColor = isDarkTheme() ? QColor(200, 208, 220, 150) : QColor(60, 60, 60, 150);
    // Width 0 = cosmetic: the dash stroker would fill every dash as a polygon (slow across a 4K
    // plot), and the line item's boundingRect() stays cheap.
    QPen pen(lineColor, 0, Qt::DashLine);
    m_hLine = new QGraphicsLineItem(chart);
    m_vLine = new QGraphicsLineItem(chart);
    m_hLine->setPen(pen);
    m_vLine->setPen(pen);
    m_labelBox = new QGraphicsRectItem(chart);
    m_labelBox->setBrush(isDarkTheme() ? QColor(20, 24, 32, 230) : QColor(255, 255, 255, 235));
    m_labelBox->setPen(QPen(lineColor));
    m_label = new QGraphicsSimpleTextItem(m_labelBox);
    m_label->setBrush(isDarkTheme() ? QColor(230, 235, 242) : QColor(20, 20, 20));
    for (auto [box, text] : {std::pair{&m_valueTagBox, &m_valueTagText}, {&m_timeTagBox, &m_timeTagText}}) {
        *box = new QGraphicsRectItem(chart);
        (*box)->setBrush(lineColor.darker(isDarkTheme() ? 250 : 100));
        (*box)->setPen(Qt::NoPen);
        *text = new QGraphicsSimpleTextItem(*box);
        (*text)->setBrush(isDarkTheme() ? QColor(235, 240, 246) : QColor(255, 255, 255));
    }
    for (QGraphicsItem *item : {static_cast<QGraphicsItem *>(m_hLine), static_cast<QGraphicsItem *>(m_vLine),
                                static_cast<QGraphicsItem *>(m_labelBox), static_cast<QGraphicsItem *>(m_valueTagBox),
                                static_cast<QGraphicsItem *>(m_timeTagBox)})
        item->setZValue(1000);
    hideCrosshair();
}

void InteractiveChartView::setCaptionProvider(std::function<QString(double, double)> provider)
{
    m_caption = std::move(provider);
}

void InteractiveChartView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragging = true;
        m_lastDragX = event->position().x();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void InteractiveChartView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging) {
        const double dx = event->position().x() - m_lastDragX;
        m_lastDragX = event->position().x();
        const double width = chart()->plotArea().width();
        if (width > 0 && dx != 0)
            Q_EMIT panRequested(-dx / width);
    }
    updateCrosshair(event->position());
    QChartView::mouseMoveEvent(event);
}

void InteractiveChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && m_dragging) {
        m_dragging = false;
        unsetCursor();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void InteractiveChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    Q_EMIT followRequested();
    event->accept();
}

void InteractiveChartView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0)
        return;
    const QRectF plot = chart()->plotArea();
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const QPointF chartPos = chart()->mapFromScene(scenePos);
    const double anchor = plot.width() > 0 ? std::clamp((chartPos.x() - plot.left()) / plot.width(), 0.0, 1.0) : 1.0;
    Q_EMIT zoomRequested(std::pow(0.8, steps), anchor);
    event->accept();
}

void InteractiveChartView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Left: Q_EMIT panRequested(-0.1); break;
    case Qt::Key_Right: Q_EMIT panRequested(0.1); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_Up: Q_EMIT zoomRequested(0.8, 0.5); break;
    case Qt::Key_Minus:
    case Qt::Key_Down: Q_EMIT zoomRequested(1.25, 0.5); break;
    case Qt::Key_End: Q_EMIT followRequested(); break;
    default: QChartView::keyPressEvent(event); return;
    }
    event->accept();
}

void InteractiveChartView::leaveEvent(QEvent *event)
{
    m_lastViewPos.reset();
    hideCrosshair();
    QChartView::leaveEvent(event);
}

void InteractiveChartView::hideCrosshair()
{
    const bool was = m_vLine->isVisible();
    m_hLine->hide();
    m_vLine->hide();
    m_labelBox->hide();
    m_valueTagBox->hide();
    m_timeTagBox->hide();
    if (was && m_crosshair)
        Q_EMIT crosshairMoved(std::nan(""));
}

void InteractiveChartView::refreshCrosshair()
{
    if (m_lastViewPos && m_vLine->isVisible() && m_crosshair)
        updateCrosshair(*m_lastViewPos);
}

void InteractiveChartView::placeTimeTag(double sceneX, double x)
{
    const QString text = m_timeTag ? m_timeTag(x) : QString();
    if (text.isEmpty()) {
        m_timeTagBox->hide();
        return;
    }
    const QRectF plot = chart()->plotArea();
    m_timeTagText->setText(text);
    const QRectF r = m_timeTagText->boundingRect();
    const double w = r.width() + 8;
    const double left = std::clamp(sceneX - w / 2, plot.left(), plot.right() - w);
    m_timeTagBox->setRect(0, 0, w, r.height() + 4);
    m_timeTagBox->setPos(left, plot.bottom() + 2);
    m_timeTagText->setPos(4, 2);
    m_timeTagBox->show();
}

void InteractiveChartView::showLinkedTime(double x)
{
    const QRectF plot = chart()->plotArea();
    if (std::isnan(x) || chart()->series().isEmpty()) {
        m_vLine->hide();
        m_timeTagBox->hide();
        return;
    }
    const QPointF at = chart()->mapToPosition(QPointF(x, 0), chart()->series().first());
    if (at.x() < plot.left() || at.x() > plot.right()) {
        m_vLine->hide();
        m_timeTagBox->hide();
        return;
    }
    m_vLine->setLine(at.x(), plot.top(), at.x(), plot.bottom());
    m_vLine->show();
    placeTimeTag(at.x(), x);
}

void InteractiveChartView::updateCrosshair(const QPointF &viewPos)
{
    m_lastViewPos = viewPos;
    const QRectF plot = chart()->plotArea();
    const QPointF pos = chart()->mapFromScene(mapToScene(viewPos.toPoint()));
    if (!m_crosshair || !plot.contains(pos) || chart()->series().isEmpty()) {
        hideCrosshair();
        return;
    }
    const QPointF value = chart()->mapToValue(pos, chart()->series().first());
    m_hLine->setLine(plot.left(), pos.y(), plot.right(), pos.y());
    m_vLine->setLine(pos.x(), plot.top(), pos.x(), plot.bottom());
    m_hLine->show();
    m_vLine->show();
    Q_EMIT crosshairMoved(value.x());
    if (const QString tag = m_valueTag ? m_valueTag(value.y()) : QString(); !tag.isEmpty()) {
        m_valueTagText->setText(tag);
        const QRectF r = m_valueTagText->boundingRect();
        m_valueTagBox->setRect(0, 0, r.width() + 8, r.height() + 4);
        m_valueTagBox->setPos(plot.right() + 1, pos.y() - (r.height() + 4) / 2);
        m_valueTagText->setPos(4, 2);
        m_valueTagBox->show();
    }
    placeTimeTag(pos.x(), value.x());
    const QString text = m_caption ? m_caption(value.x(), value.y()) : QString();
    if (text.isEmpty()) {
        m_labelBox->hide();
        return;
    }
    m_label->setText(text);
    const QRectF textRect = m_label->boundingRect();
    QRectF box(0, 0, textRect.width() + 12, textRect.height() + 8);
    // Keep the caption inside the plot, on the side away from the cursor.
    double x = pos.x() + 14;
    if (x + box.width() > plot.right())
        x = pos.x() - 14 - box.width();
    double y = plot.top() + 6;
    if (pos.y() < plot.top() + box.height() + 12)
        y = plot.bottom() - box.height() - 6;
    m_labelBox->setRect(box);
    m_labelBox->setPos(x, y);
    m_label->setPos(6, 4);
    m_labelBox->show();
}

}  // namespace ms::ui
