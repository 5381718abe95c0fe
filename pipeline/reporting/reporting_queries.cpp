#include "reporting/reporting_queries.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ms::reporting {

namespace {

std::optional<double> optDouble(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toDouble();
}

// Both daily queries select the same columns of v_daily_summary, in this order:
// symbol_key, symbol, "date", open, high, low, close, volume, vwap, trades.
QList<DailySummary> readDailyRows(QSqlQuery &q)
{
    QList<DailySummary> out;
    while (q.next()) {
        DailySummary r;
        r.symbolKey = q.value(0).toString();
        r.symbol = q.value(1).toString();
        const QVariant d = q.value(2);
        r.date = d.metaType().id() == QMetaType::QDate ? d.toDate()
                                                        : QDate::fromString(d.toString().left(10), Qt::ISODate);
        r.open = q.value(3).toDouble();
        r.high = q.value(4).toDouble();
        r.low = q.value(5).toDouble();
        r.close = q.value(6).toDouble();
        r.volume = q.value(7).toDouble();
        r.vwap = optDouble(q.value(8));
        r.trades = q.value(9).toLongLong();
        out.append(std::move(r));
    }
    return out;
}

}  // namespace

QDateTime toUtcDateTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    if (value.metaType().id() == QMetaType::QDateTime)
        return value.toDateTime().toUTC();
    QString s = value.toString().trimmed();
    if (s.endsWith(u'Z'))
        s.chop(1);
    QDateTime dt = QDateTime::fromString(s.replace(u' ', u'T'), Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(s, Qt::ISODate);
    dt.setTimeSpec(Qt::UTC);
    return dt;
}

Result<QList<LatestQuote>> queryLatestQuotes(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT symbol_key, symbol, asset_class, currency, last_time, last_price, change_24h_pct, high_24h, "
            "low_24h, volume_24h, vwap_24h, trades_24h FROM v_latest_quote ORDER BY symbol_key")))
        return makeError(QStringLiteral("cannot read v_latest_quote: %1").arg(q.lastError().text()),
                         QStringLiteral("db_query"));
    QList<LatestQuote> out;
    while (q.next()) {
        LatestQuote r;
        r.symbolKey = q.value(0).toString();
        r.symbol = q.value(1).toString();
        r.assetClass = q.value(2).toString();
        r.currency = q.value(3).toString();
        r.lastTime = toUtcDateTime(q.value(4));
        r.lastPrice = q.value(5).toDouble();
        r.changePct24h = optDouble(q.value(6));
        r.high24h = q.value(7).toDouble();
        r.low24h = q.value(8).toDouble();
        r.volume24h = q.value(9).toDouble();
        r.vwap24h = optDouble(q.value(10));
        r.trades24h = q.value(11).toLongLong();
        out.append(std::move(r));
    }
    return out;
}

Result<QList<DailySummary>> queryDailySummary(QSqlDatabase &db, const QString &symbolKey, int maxDays)
{
    // The newest maxDays distinct dates, then ascending for charts.
    QString sql = QStringLiteral(
        "SELECT symbol_key, symbol, \"date\", open, high, low, close, volume, vwap, trades FROM v_daily_summary "
        "WHERE date_key >= (SELECT coalesce(min(d.date_key), 0) FROM (SELECT DISTINCT date_key FROM v_daily_summary "
        "%1 ORDER BY date_key DESC LIMIT %2) d) %3 ORDER BY date_key, symbol_key");
    const QString filter = symbolKey.isEmpty() ? QString() : QStringLiteral("WHERE symbol_key = :k1");
    const QString andFilter = symbolKey.isEmpty() ? QString() : QStringLiteral("AND symbol_key = :k2");
    sql = sql.arg(filter).arg(qMax(1, maxDays)).arg(andFilter);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(sql);
    if (!symbolKey.isEmpty()) {
        q.bindValue(QStringLiteral(":k1"), symbolKey);
        q.bindValue(QStringLiteral(":k2"), symbolKey);
    }
    if (!q.exec())
        return makeError(QStringLiteral("cannot read v_daily_summary: %1").arg(q.lastError().text()),
                         QStringLiteral("db_query"));
    return readDailyRows(q);
}

Result<QList<DailySummary>> queryDailyRange(QSqlDatabase &db, const QString &symbolKey, int days)
{
    const bool sqlite = db.driverName() == QLatin1String("QSQLITE");
    QStringList where;
    if (days > 0) {
        // The newest 1-minute candle by the (interval_s, bucket_start) index, then a date range on the view.
        where.append(sqlite ? QStringLiteral("\"date\" > date((SELECT max(bucket_start) FROM candles WHERE interval_s = 60), "
                                             "'-%1 days')").arg(days)
                            : QStringLiteral("\"date\" > (SELECT (max(bucket_start) AT TIME ZONE 'UTC')::date FROM candles "
                                             "WHERE interval_s = 60) - %1").arg(days));
    }
    if (!symbolKey.isEmpty())
        where.append(QStringLiteral("symbol_key = ?"));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT symbol_key, symbol, \"date\", open, high, low, close, volume, vwap, trades "
                             "FROM v_daily_summary %1 ORDER BY \"date\", symbol_key")
                  .arg(where.isEmpty() ? QString() : QStringLiteral("WHERE ") + where.join(QStringLiteral(" AND "))));
    if (!symbolKey.isEmpty())
        q.addBindValue(symbolKey);
    if (!q.exec())
        return makeError(QStringLiteral("cannot read v_daily_summary: %1").arg(q.lastError().text()),
                         QStringLiteral("db_query"));
    return readDailyRows(q);
}

Kpis computeKpis(const QList<LatestQuote> &quotes, const QString &symbolKey)
{
    Kpis k;
    double changeSum = 0;
    int changeCount = 0;
    for (const LatestQuote &q : quotes) {
        if (!symbolKey.isEmpty() && q.symbolKey != symbolKey)
            continue;
        ++k.symbols;
        k.volume += q.volume24h;
        k.trades += q.trades24h;
        if (q.changePct24h) {
            changeSum += *q.changePct24h;
            ++changeCount;
        }
        if (!symbolKey.isEmpty()) {
            k.lastPrice = q.lastPrice;
            k.vwap = q.vwap24h;
        }
    }
    if (changeCount > 0)
        k.changePct = changeSum / changeCount;
    return k;
}

}  // namespace ms::reporting
