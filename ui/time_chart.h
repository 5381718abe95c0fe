#pragma once
// A small chart of a few named series over time (the health panel's building block): datetime
// axis, auto-scaled value axis from zero, legend below. draw() redraws all series at once.
#include "time_series_buffer.h"

#include <QChartView>

#include <utility>
#include <vector>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace ms::ui {

class TimeChart : public QChartView
{
    Q_OBJECT
public:
    explicit TimeChart(const QString &title, const QString &unit, QWidget *parent = nullptr);

    // Index of the series with this name, created on first use.
    int series(const QString &name);
    // Shows [t0, t1] of these named series (others keep their points) and scales the value axis
    // to what is visible. Points are decimated to the plot's width first; all series are emptied
    // before the axes move and refilled after, so Qt Charts lays each series out once, not three
    // times (it rebuilds and strokes a series' whole path on every point or range change).
    void draw(const std::vector<std::pair<QString, const TimeSeriesBuffer *>> &data, qint64 t0, qint64 t1);
    qsizetype pointCount(const QString &name) const;

private:
    QList<QLineSeries *> m_series;
    QDateTimeAxis *m_time;
    QValueAxis *m_value;
    QString m_unit;
    double m_top = 0;  // value axis maximum shown
};

}  // namespace ms::ui
