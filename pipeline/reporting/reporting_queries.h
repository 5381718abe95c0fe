#pragma once
// The reporting queries behind the in-app Power BI view (and the tests): plain structs from the
// star views of migration 020, on PostgreSQL or SQLite. Callers own the connection and its thread.
#include "model/result.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

class QSqlDatabase;
class QVariant;

namespace ms::reporting {

struct LatestQuote  // one row of v_latest_quote
{
    QString symbolKey, symbol, assetClass, currency;
    QDateTime lastTime;  // UTC
    double lastPrice = 0;
    std::optional<double> changePct24h;  // percent units: 2.5 = +2.5 %
    double high24h = 0, low24h = 0, volume24h = 0;
    std::optional<double> vwap24h;       // absent when the 24 h volume is 0
    qint64 trades24h = 0;
};

struct DailySummary  // one row of v_daily_summary
{
    QString symbolKey, symbol;
    QDate date;
    double open = 0, high = 0, low = 0, close = 0, volume = 0;
    std::optional<double> vwap;
    qint64 trades = 0;
};

// The KPI cards: for one symbol, its figures; for all symbols (empty key), sums and the mean change;
// a price (last, VWAP) is only meaningful for one symbol and is absent for "all".
struct Kpis
{
    int symbols = 0;
    std::optional<double> lastPrice;
    std::optional<double> changePct;
    double volume = 0;
    std::optional<double> vwap;
    qint64 trades = 0;
};

// Ordered by symbol_key.
Result<QList<LatestQuote>> queryLatestQuotes(QSqlDatabase &db);
// The last `maxDays` days (by date, ascending) for one symbol key, or all symbols when empty.
Result<QList<DailySummary>> queryDailySummary(QSqlDatabase &db, const QString &symbolKey, int maxDays = 90);
// The days of the last `days` calendar days up to the newest stored day (days <= 0: every stored day),
// ascending by date then symbol key; one symbol key, or all symbols when empty. The window is relative
// to the data, not to today: replayed and historical data show their own last week.
Result<QList<DailySummary>> queryDailyRange(QSqlDatabase &db, const QString &symbolKey, int days);
// Pure: the KPI figures from v_latest_quote rows.
Kpis computeKpis(const QList<LatestQuote> &quotes, const QString &symbolKey);

// A timestamp column as UTC, whether the driver gives a QDateTime (QPSQL) or SQLite's text.
QDateTime toUtcDateTime(const QVariant &value);

}  // namespace ms::reporting
