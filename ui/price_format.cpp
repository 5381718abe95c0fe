#include "price_format.h"

#include <QLocale>
#include <QObject>
#include <algorithm>
#include <cmath>

namespace ms::ui {

namespace {
QLocale numberLocale() // the user's locale, always with thousands separators
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale;
}
} // namespace

int decimalsNeeded(double price)
{
    if (!std::isfinite(price))
        return 0;
    const double a = std::fabs(price);
    double scaled = a;
    for (int d = 0; d < kMaxPriceDecimals; ++d) {
        // A price is a double (189.91 is 189.909999999… in binary): allow the representation error
        // of the scaled value, far below one unit of the last digit.
        if (std::fabs(scaled - std::round(scaled)) <= std::max(1e-9, scaled * 1e-10))
            return d;
        scaled *= 10;
    }
    return kMaxPriceDecimals;
}

int defaultDecimals(double price)
{
    const double a = std::fabs(price);
    if (a >= 1 || a == 0 || !std::isfinite(a))
        return 2;
    if (a >= 0.01)
        return 4;
    return kMaxPriceDecimals;
}

double tickSizeForDecimals(int decimals)
{
    return std::pow(10.0, -std::clamp(decimals, 0, kMaxPriceDecimals));
}

void PriceDecimals::observe(double price)
{
    if (!std::isfinite(price) || price <= 0)
        return;
    m_decimals = std::max(m_decimals, decimalsNeeded(price));
}

QString formatPrice(double price, int decimals)
{
    if (!std::isfinite(price))
        return QStringLiteral("—");
    return numberLocale().toString(price, 'f', std::clamp(decimals, 0, kMaxPriceDecimals));
}

QString formatChangePercent(const std::optional<double> &percent)
{
    if (!percent || !std::isfinite(*percent))
        return QStringLiteral("—");
    const double rounded =
        std::round(*percent * 100) / 100; // "-0.00%" reads as a fall that is not there
    const QString digits = numberLocale().toString(rounded == 0 ? 0.0 : rounded, 'f', 2);
    return (rounded > 0 ? QStringLiteral("+") : QString()) + digits + u'%';
}

QString formatVolume(double volume, VolumeUnit unit, const QString &coin)
{
    const QLocale locale = numberLocale();
    const double a = std::fabs(volume);
    QString number;
    if (a >= 1e9)
        number = locale.toString(volume / 1e9, 'f', 2) + u'B';
    else if (a >= 1e6)
        number = locale.toString(volume / 1e6, 'f', 2) + u'M';
    else if (unit == VolumeUnit::Shares || a >= 1000)
        number = locale.toString(std::round(volume), 'f', 0);
    else if (a >= 1)
        number = locale.toString(volume, 'f', 2);
    else
        number = locale.toString(volume, 'f', 4);
    if (unit == VolumeUnit::Shares)
        return number + QObject::tr(" shares");
    return coin.isEmpty() ? number : number + u' ' + coin;
}

} // namespace ms::ui
