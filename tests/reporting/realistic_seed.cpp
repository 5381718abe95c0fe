#include "realistic_seed.h"

#include <QSqlError>
#include <QSqlQuery>

namespace ms::test {

namespace {

// asset, symbol, base price, phase, volume per second (coins for crypto, shares for stocks)
const char kSymbols[] =
    "(VALUES ('crypto','BTC',60000.0,0.0,0.02), ('crypto','ETH',3000.0,1.0,0.4), ('crypto','SOL',150.0,2.0,8.0), "
    "('stock','AAPL',190.0,3.0,40.0), ('stock','MSFT',420.0,4.0,20.0), ('stock','TSLA',250.0,5.0,60.0)) "
    "s(asset, sym, base, phase, vol)";

// Price at time expression `t`: cents, +-8 % over ~9 days plus a small daily wave.
QString priceAt(const QString &t)
{
    return QStringLiteral("round((s.base * (1 + 0.08 * sin(extract(epoch FROM %1) / 777600.0 + s.phase) "
                          "+ 0.01 * sin(extract(epoch FROM %1) / 13751.0)))::numeric, 2)::float8").arg(t);
}

}  // namespace

QString seedRealisticData(QSqlDatabase &db, const RealisticSeed &seed)
{
    const QString end = seed.end.toUTC().toString(Qt::ISODate);
    const QString endTs = QStringLiteral("'%1'::timestamptz").arg(end);
    QStringList sql;
    // Ticks: i-th tick at end - tickDays + i * span / ticks, symbols round-robin; crypto and stock tables.
    for (const char *table : {"crypto_data", "stock_data"}) {
        const bool crypto = QLatin1String(table) == QLatin1String("crypto_data");
        sql.append(QStringLiteral(
            "INSERT INTO %1 (symbol, price, \"timestamp\", currency, volume, source, kind, trade_id, date_key) "
            "SELECT s.sym, %2, ts, 'USD', round((s.vol * (0.5 + (i % 7) / 7.0))::numeric, 5)::float8, "
            "'simulator', 'trade', 'g' || i, to_char(ts AT TIME ZONE 'UTC', 'YYYYMMDD')::integer "
            "FROM generate_series(1, %3::bigint) i "
            "CROSS JOIN LATERAL (SELECT %4 - make_interval(days => %5) + (i * make_interval(days => %5) / %3::bigint) AS ts) t "
            "JOIN %6 ON s.sym = (ARRAY['BTC','ETH','SOL','AAPL','MSFT','TSLA'])[1 + i % 6] "
            "WHERE s.asset = '%7'")
                       .arg(QLatin1String(table), priceAt(QStringLiteral("ts")), QString::number(seed.ticks), endTs,
                            QString::number(seed.tickDays), QLatin1String(kSymbols),
                            crypto ? QStringLiteral("crypto") : QStringLiteral("stock")));
    }
    // Candles: (interval, span) pairs; the bucket's open is the price at its start, close at its end.
    const QList<QPair<int, QString>> spans = {
        {1, QStringLiteral("make_interval(hours => %1)").arg(seed.oneSecondCandleHours)},
        {60, QStringLiteral("make_interval(days => %1)").arg(seed.candleDays)},
        {300, QStringLiteral("make_interval(days => %1)").arg(seed.candleDays)},
        {3600, QStringLiteral("make_interval(days => %1)").arg(seed.candleDays)},
    };
    for (const auto &[interval, span] : spans) {
        sql.append(QStringLiteral(
            "INSERT INTO candles (asset_class, symbol, currency, interval_s, bucket_start, open, high, low, close, "
            "volume, vwap, trades, first_ts, last_ts, is_final) "
            "SELECT s.asset, s.sym, 'USD', %1, b, p.o, greatest(p.o, p.c) + 0.01, least(p.o, p.c) - 0.01, p.c, "
            "round((s.vol * %1 * (1.2 + sin(extract(epoch FROM b) / 3600.0)))::numeric, 5)::float8, "
            "round(((p.o + p.c) / 2)::numeric, 4)::float8, greatest(1, %1 / 2), b, b + make_interval(secs => %1 - 0.5), true "
            "FROM %2 "
            "CROSS JOIN LATERAL generate_series(date_trunc('hour', %3 - %4), %3 - make_interval(secs => %1), "
            "make_interval(secs => %1)) b "
            "CROSS JOIN LATERAL (SELECT %5 AS o, %6 AS c) p")
                       .arg(QString::number(interval), QLatin1String(kSymbols), endTs, span,
                            priceAt(QStringLiteral("b")),
                            priceAt(QStringLiteral("(b + make_interval(secs => %1))").arg(interval))));
    }
    // Late ticks: a handful per day (the Data quality page).
    sql.append(QStringLiteral(
        "INSERT INTO late_ticks (source, symbol, trade_id, interval_s, asset_class, currency, \"timestamp\", price, "
        "volume, watermark) "
        "SELECT 'simulator', s.sym, 'late' || d || '-' || n, 60, s.asset, 'USD', %1 - make_interval(days => d, mins => n), "
        "s.base, 1, %1 - make_interval(days => d) "
        "FROM %2 CROSS JOIN generate_series(0, %3 - 1) d CROSS JOIN generate_series(1, 1 + d % 4) n")
                   .arg(endTs, QLatin1String(kSymbols), QString::number(seed.candleDays)));
    // What autovacuum would have done by the time anyone reports on the data: summarize the BRIN
    // ranges (autosummarize does it in the background, asynchronously) and collect statistics.
    sql.append(QStringLiteral("VACUUM ANALYZE"));

    QSqlQuery q(db);
    for (const QString &s : std::as_const(sql)) {
        if (!q.exec(s))
            return q.lastError().text() + QStringLiteral(" in: ") + s.left(200);
    }
    return {};
}

}  // namespace ms::test
