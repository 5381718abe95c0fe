#include "axis_ticks.h"

#include <QDateTime>
#include <QLocale>
#include <algorithm>
#include <cmath>

namespace ms::ui {

QLocale numberLocale()
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale;
}

double niceStep(double lo, double hi, int maxTicks)
{
    const double span = std::abs(hi - lo);
    maxTicks = std::max(2, maxTicks);
    if (!(span > 0) || !std::isfinite(span))
        return 1;
    const double raw = span / double(maxTicks - 1);
    double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (;;) {
        for (double m : {1.0, 2.0, 5.0}) {
            const double step = m * magnitude;
            // Count the multiples of step inside [lo, hi].
            const double first = std::ceil(std::min(lo, hi) / step - 1e-9);
            const double last = std::floor(std::max(lo, hi) / step + 1e-9);
            if (last - first + 1 <= maxTicks)
                return step;
        }
        magnitude *= 10;
    }
}

int decimalsForStep(double step)
{
    if (!(step > 0))
        return 0;
    return std::clamp(int(std::ceil(-std::log10(step) - 1e-9)), 0, 10);
}

std::vector<AxisTick> valueTicks(double lo, double hi, int maxTicks)
{
    std::vector<AxisTick> out;
    if (hi < lo)
        std::swap(lo, hi);
    const double step = niceStep(lo, hi, maxTicks);
    const int decimals = decimalsForStep(step);
    const QLocale locale = numberLocale();
    const qint64 first = qint64(std::ceil(lo / step - 1e-9));
    const qint64 last = qint64(std::floor(hi / step + 1e-9));
    for (qint64 k = first; k <= last && out.size() < 1000; ++k) {
        const double v = double(k) * step;
        out.push_back({v, locale.toString(v == 0 ? 0.0 : v, 'f', decimals)});
    }
    return out;
}

std::vector<AxisTick> compactValueTicks(double lo, double hi, int maxTicks)
{
    std::vector<AxisTick> out = valueTicks(lo, hi, maxTicks);
    const double top = std::max(std::abs(lo), std::abs(hi));
    if (out.size() < 2 || !(top >= 1e4))
        return out;
    const auto [unit, suffix] = top >= 1e9 ? std::pair{1e9, u'B'} : top >= 1e6 ? std::pair{1e6, u'M'} : std::pair{1e3, u'K'};
    const int decimals = decimalsForStep((out[1].value - out[0].value) / unit);
    const QLocale locale = numberLocale();
    for (AxisTick &t : out)
        t.label = t.value == 0 ? QStringLiteral("0") : locale.toString(t.value / unit, 'f', decimals) + suffix;
    return out;
}

qint64 niceTimeStepMs(qint64 t0, qint64 t1, int maxTicks)
{
    static const qint64 s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
    static const qint64 ladder[] = {s,      2 * s,  5 * s,  10 * s, 15 * s, 30 * s, m,     2 * m,
                                    5 * m,  10 * m, 15 * m, 30 * m, h,      2 * h,  3 * h, 6 * h,
                                    12 * h, d,      2 * d,  7 * d,  14 * d, 28 * d};
    const qint64 span = std::max<qint64>(1, t1 - t0);
    maxTicks = std::max(2, maxTicks);
    for (qint64 step : ladder)
        if (span / step + 1 <= maxTicks)
            return step;
    return (span / (maxTicks - 1) / (28 * d) + 1) * 28 * d;
}

std::vector<AxisTick> timeTicks(qint64 t0, qint64 t1, int maxTicks)
{
    std::vector<AxisTick> out;
    if (t1 <= t0)
        return out;
    const qint64 day = 24 * 3600 * 1000LL;
    const qint64 step = niceTimeStepMs(t0, t1, maxTicks);
    // Work in local wall-clock time: a tick at "10:00" is at 10:00 where the user is.
    const qint64 offset = qint64(QDateTime::fromMSecsSinceEpoch(t0).offsetFromUtc()) * 1000;
    const qint64 local0 = t0 + offset, local1 = t1 + offset;
    const qint64 align = step >= day ? day : step; // weeks start on any day: align days only
    qint64 k = local0 / align * align;
    if (k < local0)
        k += align;
    if (step > day) // multi-day steps: whole days from the first midnight in range
        k = (local0 + day - 1) / day * day;
    const QString format = step < 60000 ? QStringLiteral("hh:mm:ss") : QStringLiteral("hh:mm");
    const QLocale locale;
    for (; k <= local1 && out.size() < 500; k += step) {
        const qint64 t = k - offset;
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(t);
        const bool midnight = when.time() == QTime(0, 0);
        const QString label = (midnight || step >= day)
                                  ? locale.toString(when.date(), QStringLiteral("d MMM"))
                                  : when.toString(format);
        out.push_back({double(t), label});
    }
    return out;
}

int priceDecimals(const std::vector<double> &prices)
{
    int decimals = 0;
    for (double p : prices) {
        if (!std::isfinite(p))
            continue;
        while (decimals < 8) {
            const double scaled = std::abs(p) * std::pow(10.0, decimals);
            if (std::abs(scaled - std::round(scaled)) <= std::max(1e-6, scaled * 1e-12))
                break;
            ++decimals;
        }
    }
    return decimals;
}

} // namespace ms::ui
