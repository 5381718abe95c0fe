#pragma once
// The Power BI tab's charts, filled from reporting rows. Every chart's x axis is the day index of the
// shown range (0 = first day) with one label per k days (at most `maxLabels`), placed on the day's
// value: no repeated or half-day labels whatever the range, and bars and lines line up.
#include "reporting/dashboard.h"

#include <QColor>
#include <QList>

class QChart;
class QPalette;

namespace ms::powerbi {

// Daily candles (open/high/low/close per day) of one symbol: rising green, falling red (the symbol's
// own colour is on its volume bars and in the overview).
void showDailyCandles(QChart *chart, const QList<reporting::DailySummary> &days, const QString &currency,
                      const QPalette &palette);
// Daily volume bars of one symbol (its own unit in the axis title).
void showDailyVolume(QChart *chart, const QList<reporting::DailySummary> &days, const QColor &colour,
                     const QString &unit, const QPalette &palette);
// % change from the start of the range, one line per symbol in the symbol's colour.
void showPercentTrend(QChart *chart, const QList<reporting::TrendLine> &lines, const QPalette &palette);
// Colours, fonts and background of a chart from the widget palette (light or dark theme).
void styleChart(QChart *chart, const QPalette &palette);

// For tests: points (or candles, or bars) drawn, and the axes attached to the first series.
int chartPointCount(const QChart *chart);
QStringList chartAxisLabels(const QChart *chart, Qt::Orientation orientation);

}  // namespace ms::powerbi
