#include "reporting/dashboard.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace ms::reporting {

int rangeDays(DashboardRange range)
{
    switch (range) {
    case DashboardRange::Days7: return 7;
    case DashboardRange::Days30: return 30;
    case DashboardRange::All: return 0;
    }
    return 0;
}

QList<TrendLine> percentChangeTrend(const QList<DailySummary> &daily)
{
    QMap<QString, QList<const DailySummary *>> bySymbol;
    for (const DailySummary &d : daily)
        bySymbol[d.symbolKey].append(&d);
    QList<TrendLine> out;
    for (auto it = bySymbol.begin(); it != bySymbol.end(); ++it) {
        QList<const DailySummary *> &days = it.value();
        std::sort(days.begin(), days.end(), [](const DailySummary *a, const DailySummary *b) { return a->date < b->date; });
        const double base = days.first()->close;
        if (!(base > 0))
            continue;
        TrendLine line{it.key(), days.first()->symbol, {}};
        for (const DailySummary *d : std::as_const(days))
            line.points.append({d->date, (d->close / base - 1.0) * 100.0});
        out.append(std::move(line));
    }
    return out;
}

Movers topMovers(const QList<LatestQuote> &quotes, int perSide)
{
    QList<LatestQuote> withChange;
    for (const LatestQuote &q : quotes) {
        if (q.changePct24h)
            withChange.append(q);
    }
    std::stable_sort(withChange.begin(), withChange.end(),
                     [](const LatestQuote &a, const LatestQuote &b) { return *a.changePct24h > *b.changePct24h; });
    Movers m;
    for (const LatestQuote &q : std::as_const(withChange)) {
        if (*q.changePct24h > 0 && m.gainers.size() < perSide)
            m.gainers.append(q);
    }
    for (auto it = withChange.crbegin(); it != withChange.crend(); ++it) {
        if (*it->changePct24h < 0 && m.losers.size() < perSide)
            m.losers.append(*it);
    }
    return m;
}

QMap<QString, int> symbolsPerAssetClass(const QList<LatestQuote> &quotes)
{
    QMap<QString, int> out;
    for (const LatestQuote &q : quotes)
        ++out[q.assetClass];
    return out;
}

QString formatQuantity(double quantity, const QString &assetClass, const QString &symbol, const QLocale &locale)
{
    if (assetClass == QLatin1String("stock")) {
        const double shares = std::round(quantity);
        return locale.toString(shares, 'f', 0) + (shares == 1 ? QStringLiteral(" share") : QStringLiteral(" shares"));
    }
    // Coins: enough decimals for the amount (8 below 1, 4 up to 1,000, 2 above), no trailing zeros.
    const int decimals = std::abs(quantity) < 1 ? 8 : std::abs(quantity) < 1000 ? 4 : 2;
    QString text = locale.toString(quantity, 'f', decimals);
    const QString point = locale.decimalPoint();
    if (text.contains(point)) {
        while (text.endsWith(u'0'))
            text.chop(1);
        if (text.endsWith(point))
            text.chop(point.size());
    }
    return text + u' ' + symbol;
}

QString formatPrice(double price, const QLocale &locale)
{
    return locale.toString(price, 'f', std::abs(price) < 1 ? 6 : 2);
}

QString formatChangePct(const std::optional<double> &pct, const QLocale &locale)
{
    if (!pct)
        return QStringLiteral("–");
    const QString digits = locale.toString(std::abs(*pct), 'f', 2);
    const double shown = std::round(std::abs(*pct) * 100) / 100;
    const QString sign = shown == 0 ? QString() : *pct > 0 ? QStringLiteral("+") : QStringLiteral("−");
    return sign + digits + QStringLiteral(" %");
}

}  // namespace ms::reporting
