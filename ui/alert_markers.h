#pragma once
// Price alert markers on the price chart: a small triangle at each stored trigger of the shown
// symbol (time, price), with the rule as tooltip. ChartPanel calls place() from its layout pass.
#include <QRectF>
#include <QString>
#include <vector>

class QChart;
class QGraphicsPolygonItem;

namespace ms::ui {

struct AlertMark
{
    QString symbol;
    qint64 tsMs = 0;
    double price = 0;
    QString rule;
};

class AlertMarkers
{
public:
    explicit AlertMarkers(QChart *chart); // the items are children of the chart (freed with it)
    ~AlertMarkers();

    void setMarks(std::vector<AlertMark> marks);
    // Shows the marks of `symbol` that fall inside [t0, t1] x [lo, hi] of `plot`, hides the rest.
    void place(const QString &symbol, const QRectF &plot, qint64 t0, qint64 t1, double lo,
               double hi);
    int visibleCount() const; // tests

private:
    QChart *m_chart;
    std::vector<AlertMark> m_marks;
    std::vector<QGraphicsPolygonItem *> m_items; // reused; as many as the most marks shown at once
};

} // namespace ms::ui
