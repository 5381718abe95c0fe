#include "powerbi/powerbi_charts.h"

#include "symbol_palette.h"

#include <QBarSet>
#include <QBarSeries>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QCategoryAxis>
#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QPalette>
#include <QValueAxis>

#include <cmath>

namespace ms::powerbi {

using namespace ms::reporting;

namespace {

// One day label per ~80 px of chart width (a short date is ~50 px wide), at least 3.
int maxDayLabels(const QChart *chart)
{
    const qreal w = chart->size().width();
    return w > 0 ? qMax(3, int(w / 80)) : 8;
}

void clearChart(QChart *chart)
{
    chart->removeAllSeries();
    const QList<QAbstractAxis *> axes = chart->axes();
    for (QAbstractAxis *a : axes) {
        chart->removeAxis(a);
        delete a;
    }
}

// Dates of the range, ascending and distinct.
QList<QDate> distinctDates(const QList<QDate> &dates)
{
    QList<QDate> out = dates;
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

QCategoryAxis *dayAxis(const QList<QDate> &dates, const QPalette &palette, int maxLabels)
{
    auto *axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    const int n = int(dates.size());
    const int step = qMax(1, int(std::ceil(double(n) / maxLabels)));
    const bool years = n > 0 && dates.first().year() != dates.last().year();
    for (int i = 0; i < n; i += step)
        axis->append(QLocale().toString(dates.at(i), years ? QStringLiteral("d MMM yy") : QStringLiteral("d MMM")), i);
    axis->setRange(-0.5, qMax(0.5, n - 0.5));
    axis->setStartValue(-0.5);
    axis->setGridLineVisible(false);
    axis->setLabelsColor(palette.color(QPalette::Text));
    axis->setTitleText(QObject::tr("UTC day"));
    axis->setTitleBrush(palette.color(QPalette::Text));
    return axis;
}

QValueAxis *valueAxis(double lo, double hi, const QString &title, const QPalette &palette, bool fromZero = false)
{
    auto *axis = new QValueAxis;
    if (fromZero)
        lo = qMin(0.0, lo);
    const double pad = hi > lo ? (hi - lo) * 0.08 : qMax(1e-6, std::abs(hi) * 0.01);
    axis->setRange(fromZero && lo >= 0 ? 0.0 : lo - pad, hi + pad);
    axis->applyNiceNumbers();
    axis->setLabelFormat(QStringLiteral("%.6g"));
    axis->setTitleText(title);
    axis->setTitleBrush(palette.color(QPalette::Text));
    axis->setLabelsColor(palette.color(QPalette::Text));
    QColor grid = palette.color(QPalette::Text);
    grid.setAlphaF(0.15);
    axis->setGridLineColor(grid);
    return axis;
}

// Bar and candlestick series accept no QCategoryAxis ("Unexpected axis type"): they are attached to an
// invisible value axis over the same day-index range, and the labelled day axis is drawn beside it.
void attachDayAxes(QChart *chart, QAbstractSeries *series, QCategoryAxis *days)
{
    auto *hidden = new QValueAxis;
    hidden->setRange(days->min(), days->max());
    hidden->setVisible(false);
    chart->addAxis(days, Qt::AlignBottom);
    chart->addAxis(hidden, Qt::AlignBottom);
    series->attachAxis(hidden);
}

}  // namespace

void styleChart(QChart *chart, const QPalette &palette)
{
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setTitleBrush(palette.color(QPalette::Text));
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
}

void showDailyCandles(QChart *chart, const QList<DailySummary> &days, const QString &currency, const QPalette &palette)
{
    clearChart(chart);
    styleChart(chart, palette);
    QList<QDate> dates;
    for (const DailySummary &d : days)
        dates.append(d.date);
    dates = distinctDates(dates);
    auto *series = new QCandlestickSeries;
    series->setName(QObject::tr("Daily candles"));
    series->setIncreasingColor(QColor(0x2e, 0xa0, 0x43));
    series->setDecreasingColor(QColor(0xd6, 0x3a, 0x3a));
    QColor wick = palette.color(QPalette::Text);
    wick.setAlphaF(0.7);
    series->setPen(QPen(wick, 1.0));
    series->setBodyWidth(0.6);
    series->setMinimumColumnWidth(3);
    series->setMaximumColumnWidth(40);
    double lo = 0, hi = 0;
    bool first = true;
    for (const DailySummary &d : days) {
        const int x = int(dates.indexOf(d.date));
        series->append(new QCandlestickSet(d.open, d.high, d.low, d.close, x));
        lo = first ? d.low : qMin(lo, d.low);
        hi = first ? d.high : qMax(hi, d.high);
        first = false;
    }
    chart->addSeries(series);
    QCategoryAxis *x = dayAxis(dates, palette, maxDayLabels(chart));
    QValueAxis *y = valueAxis(lo, hi, QObject::tr("Price (%1)").arg(currency), palette);
    attachDayAxes(chart, series, x);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    chart->legend()->hide();
}

void showDailyVolume(QChart *chart, const QList<DailySummary> &days, const QColor &colour, const QString &unit,
                     const QPalette &palette)
{
    clearChart(chart);
    styleChart(chart, palette);
    QList<QDate> dates;
    for (const DailySummary &d : days)
        dates.append(d.date);
    dates = distinctDates(dates);
    auto *set = new QBarSet(QObject::tr("Volume"));
    set->setColor(colour);
    set->setBorderColor(colour.darker(115));
    QList<qreal> values(dates.size(), 0.0);
    double hi = 0;
    for (const DailySummary &d : days) {
        values[dates.indexOf(d.date)] += d.volume;  // one symbol: one row per day
        hi = qMax(hi, d.volume);
    }
    set->append(values);
    auto *series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.7);
    chart->addSeries(series);
    QCategoryAxis *x = dayAxis(dates, palette, maxDayLabels(chart));
    QValueAxis *y = valueAxis(0, hi, QObject::tr("Volume (%1)").arg(unit), palette, true);
    attachDayAxes(chart, series, x);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    chart->legend()->hide();
}

void showPercentTrend(QChart *chart, const QList<TrendLine> &lines, const QPalette &palette)
{
    clearChart(chart);
    styleChart(chart, palette);
    QList<QDate> dates;
    for (const TrendLine &l : lines) {
        for (const TrendPoint &p : l.points)
            dates.append(p.date);
    }
    dates = distinctDates(dates);
    QCategoryAxis *x = dayAxis(dates, palette, maxDayLabels(chart));
    double lo = 0, hi = 0;
    for (const TrendLine &l : lines) {
        for (const TrendPoint &p : l.points) {
            lo = qMin(lo, p.changePct);
            hi = qMax(hi, p.changePct);
        }
    }
    QValueAxis *y = valueAxis(lo, hi, QObject::tr("Change (%)"), palette);
    y->setLabelFormat(QStringLiteral("%+.1f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (const TrendLine &l : lines) {
        auto *series = new QLineSeries;
        series->setName(l.symbol);
        QPen pen(ui::symbolColor(l.symbol), 2.2);
        series->setPen(pen);
        series->setPointsVisible(l.points.size() < 40);
        for (const TrendPoint &p : l.points)
            series->append(double(dates.indexOf(p.date)), p.changePct);
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    chart->legend()->setVisible(true);
    chart->legend()->setAlignment(Qt::AlignRight);
}

int chartPointCount(const QChart *chart)
{
    int n = 0;
    const QList<QAbstractSeries *> all = chart->series();
    for (QAbstractSeries *s : all) {
        if (auto *line = qobject_cast<QLineSeries *>(s))
            n += int(line->count());
        else if (auto *candles = qobject_cast<QCandlestickSeries *>(s))
            n += int(candles->count());
        else if (auto *bars = qobject_cast<QBarSeries *>(s))
            n += bars->barSets().isEmpty() ? 0 : int(bars->barSets().first()->count());
    }
    return n;
}

QStringList chartAxisLabels(const QChart *chart, Qt::Orientation orientation)
{
    const QList<QAbstractAxis *> axes = chart->axes(orientation);
    if (axes.isEmpty())
        return {};
    if (auto *cat = qobject_cast<QCategoryAxis *>(axes.first()))
        return cat->categoriesLabels();
    if (auto *v = qobject_cast<QValueAxis *>(axes.first())) {
        QStringList out;
        for (int i = 0; i < v->tickCount(); ++i)
            out.append(QString::number(v->min() + (v->max() - v->min()) * i / qMax(1, v->tickCount() - 1)));
        return out;
    }
    return {};
}

}  // namespace ms::powerbi
