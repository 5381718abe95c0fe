#pragma once
// A QChartView that turns mouse and keyboard input into navigation requests (the owner decides
// the visible range) and draws a crosshair with a caption the owner provides.
//   mouse: drag = pan, wheel = zoom around the cursor, double-click = follow live
//   keys:  Left/Right = pan, +/Up = zoom in, -/Down = zoom out, End = follow live
#include <QChartView>

#include <functional>
#include <optional>

class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;

namespace ms::ui {

class InteractiveChartView : public QChartView
{
    Q_OBJECT
public:
    explicit InteractiveChartView(QChart *chart, QWidget *parent = nullptr);

    // Caption for the crosshair at chart value (x = ms since epoch, y = value); empty hides it.
    void setCaptionProvider(std::function<QString(double x, double y)> provider);
    void setCrosshairEnabled(bool on) { m_crosshair = on; }
    // Tags on the axes at the crosshair: the value at the right edge, the time at the bottom.
    void setValueTagProvider(std::function<QString(double y)> provider) { m_valueTag = std::move(provider); }
    void setTimeTagProvider(std::function<QString(double x)> provider) { m_timeTag = std::move(provider); }
    // Another view's crosshair is at time x (NaN: none): draws the vertical line (and time tag) here,
    // so one crosshair runs through price and volume.
    void showLinkedTime(double x);
    // The chart moved under a cursor that did not: the crosshair and its caption follow the data.
    void refreshCrosshair();

Q_SIGNALS:
    void panRequested(double fractionOfSpan);                  // > 0 moves towards newer data
    void zoomRequested(double factor, double anchorFraction);  // factor < 1 zooms in
    void followRequested();
    void crosshairMoved(double x);  // time under the cursor, NaN when it left the plot

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    void updateCrosshair(const QPointF &viewPos);
    void hideCrosshair();
    void placeTimeTag(double sceneX, double x);

    std::function<QString(double, double)> m_caption;
    bool m_crosshair = true;
    bool m_dragging = false;
    double m_lastDragX = 0;
    QGraphicsLineItem *m_hLine = nullptr;
    QGraphicsLineItem *m_vLine = nullptr;
    QGraphicsRectItem *m_labelBox = nullptr;
    QGraphicsSimpleTextItem *m_label = nullptr;
    QGraphicsRectItem *m_valueTagBox = nullptr, *m_timeTagBox = nullptr;
    QGraphicsSimpleTextItem *m_valueTagText = nullptr, *m_timeTagText = nullptr;
    std::function<QString(double)> m_valueTag, m_timeTag;
    std::optional<QPointF> m_lastViewPos;  // where the cursor is over this view
};

}  // namespace ms::ui
