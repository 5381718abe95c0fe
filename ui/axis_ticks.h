#pragma once
// Axis ticks a trader reads at a glance: values at 1/2/5 x 10^n, times at whole seconds,
// minutes, hours and days (local time), with the date where a range crosses midnight; and the
// decimals of an instrument's prices derived from the prices themselves. Pure maths, no widgets.
#include <QLocale>
#include <QString>
#include <vector>

namespace ms::ui {

struct AxisTick
{
    double value = 0;
    QString label;
    bool operator==(const AxisTick &) const = default;
};

// The user's locale with its thousands separators on (the C locale omits them by default).
QLocale numberLocale();

// The 1/2/5 x 10^n step that puts at most maxTicks ticks on [lo, hi] (and at least 2 when the
// range is not empty).
double niceStep(double lo, double hi, int maxTicks);
// Digits after the decimal point that a step of this size needs (0.05 -> 2, 20 -> 0).
int decimalsForStep(double step);
// Ticks at the multiples of niceStep inside [lo, hi], labelled with the step's decimals and the
// locale's thousands separators.
std::vector<AxisTick> valueTicks(double lo, double hi, int maxTicks);
// The same ticks written short for a volume axis: from 10,000 up in K, M or B chosen by the axis's
// top, with the step's decimals in that unit (250K 500K 750K; 0.5M 1.0M 1.5M). "500,000" was
// wider than the price axis beside it and was cut at the window's edge.
std::vector<AxisTick> compactValueTicks(double lo, double hi, int maxTicks);

// The round time step (1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12 h; 1, 2,
// 7 d) that puts at most maxTicks ticks on [t0, t1] (ms).
qint64 niceTimeStepMs(qint64 t0, qint64 t1, int maxTicks);
// Ticks at the multiples of that step in local time (days start at local midnight). Labels:
// "hh:mm:ss" under a minute, "hh:mm" under a day, the date ("d MMM") at midnight and for day steps.
std::vector<AxisTick> timeTicks(qint64 t0, qint64 t1, int maxTicks);

// The fewest decimals (0..8) that write every one of these prices exactly (to 1e-9 relative):
// 189.35, 189.4 -> 2; 42151.87 -> 2; 0.000123 -> 6.
int priceDecimals(const std::vector<double> &prices);

} // namespace ms::ui
