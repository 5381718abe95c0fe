#pragma once
// The figures of the in-app Power BI tab that are more than one view column, as pure functions (the
// parity tests compare them with the DAX measures' SQL definitions):
//   % change from the start of the shown range (one line per symbol, comparable on one axis),
//   top movers (24 h), symbols per asset class, volumes in the instrument's own unit.
// Never a sum of quantities across instruments: coins and shares do not add up.
#include "reporting/reporting_queries.h"

#include <QList>
#include <QMap>
#include <QString>

namespace ms::reporting {

enum class DashboardRange { Days7, Days30, All };
// Calendar days up to the newest stored day; 0 for All.
int rangeDays(DashboardRange range);

struct TrendPoint
{
    QDate date;
    double changePct = 0;  // (close / first close in range - 1) * 100
};
struct TrendLine
{
    QString symbolKey, symbol;
    QList<TrendPoint> points;  // ascending dates
};
// One line per symbol from v_daily_summary rows (any order); a symbol whose first close is not > 0
// is left out (no base to compare with).
QList<TrendLine> percentChangeTrend(const QList<DailySummary> &daily);

struct Movers
{
    QList<LatestQuote> gainers;  // change_24h_pct > 0, largest first
    QList<LatestQuote> losers;   // change_24h_pct < 0, most negative first
};
Movers topMovers(const QList<LatestQuote> &quotes, int perSide);

// asset_class → number of symbols ("crypto" → 3).
QMap<QString, int> symbolsPerAssetClass(const QList<LatestQuote> &quotes);

// "0.5214 BTC", "1,250 shares": the unit of the instrument, digits that fit it (whole shares; coins
// up to 8 decimals, trailing zeros dropped), in the given locale.
QString formatQuantity(double quantity, const QString &assetClass, const QString &symbol, const QLocale &locale);
// Prices: 2 decimals from 1 up, 6 below (SHIB-like prices keep their digits).
QString formatPrice(double price, const QLocale &locale);
// "+2.35 %" / "−1.20 %" (a real minus sign), "–" when absent.
QString formatChangePct(const std::optional<double> &pct, const QLocale &locale);

}  // namespace ms::reporting
