#pragma once
// A small chart of a few named series over time (the health panel's building block): datetime
// axis, auto-scaled value axis from zero, legend below. setSeries() replaces a series' points.
#include "time_series_buffer.h"

#include <QChartView>

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
    void setSeries(const QString &name, const TimeSeriesBuffer &points);
    // Shows [t0, t1] and scales the value axis to what is visible.
    void setTimeRange(qint64 t0, qint64 t1);
    qsizetype pointCount(const QString &name) const;

private:
    QList<QLineSeries *> m_series;
    QDateTimeAxis *m_time;
    QValueAxis *m_value;
    QString m_unit;
};

}  // namespace ms::ui
