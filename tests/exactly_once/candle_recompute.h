#pragma once
// The SQL recomputation of candles from the stored ticks (PostgreSQL), and the check that the
// candles table equals it to the cent. Ticks recorded in late_ticks for an interval are excluded
// (or another table of the same columns) from that interval (the builder dropped them there). Open = price at the earliest event time,
// close = at the latest; when several ticks share that time the builder picks by arrival order,
// which SQL cannot see, so any of the tied prices is accepted.
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

namespace ms::test {

inline QString candleRecomputeSql(const QString &lateTable = QStringLiteral("late_ticks"))
{
    QString sql = QStringLiteral(R"SQL(
WITH t AS (
    SELECT 'crypto'::text AS asset_class, symbol, currency, source, trade_id, "timestamp" AS ts, price, volume
    FROM crypto_data
    UNION ALL
    SELECT 'stock'::text, symbol, currency, source, trade_id, "timestamp", price, volume FROM stock_data),
iv AS (SELECT DISTINCT interval_s FROM candles),
b AS (
    SELECT t.*, iv.interval_s,
           date_bin(make_interval(secs => iv.interval_s), t.ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket_start
    FROM t CROSS JOIN iv
    WHERE NOT EXISTS (SELECT 1 FROM @LATE@ l
                      WHERE l.source = t.source AND l.symbol = t.symbol AND l.trade_id = t.trade_id
                        AND l.interval_s = iv.interval_s)),
w AS (
    SELECT b.*,
           min(ts) OVER k AS fts, max(ts) OVER k AS lts
    FROM b WINDOW k AS (PARTITION BY asset_class, symbol, currency, interval_s, bucket_start)),
r AS (
    SELECT asset_class, symbol, currency, interval_s, bucket_start,
           array_agg(price) FILTER (WHERE ts = fts) AS opens,    -- ties: any of them
           max(price) AS high, min(price) AS low,
           array_agg(price) FILTER (WHERE ts = lts) AS closes,
           sum(volume) AS volume,
           CASE WHEN sum(volume) > 0 THEN sum(price * volume) / sum(volume) ELSE avg(price) END AS vwap,
           count(*) AS trades, min(ts) AS first_ts, max(ts) AS last_ts
    FROM w GROUP BY 1, 2, 3, 4, 5)
SELECT asset_class, symbol, currency, interval_s, bucket_start,
       c.open, r.opens::text, c.high, r.high, c.low, r.low, c.close, r.closes::text, c.volume, r.volume,
       c.vwap, r.vwap, c.trades, r.trades, c.first_ts, r.first_ts, c.last_ts, r.last_ts
FROM candles c FULL OUTER JOIN r USING (asset_class, symbol, currency, interval_s, bucket_start)
WHERE c.open IS NULL OR r.trades IS NULL
   OR NOT EXISTS (SELECT 1 FROM unnest(r.opens) p WHERE abs(p - c.open) < 0.005)
   OR NOT EXISTS (SELECT 1 FROM unnest(r.closes) p WHERE abs(p - c.close) < 0.005)
   OR abs(c.high - r.high) >= 0.005 OR abs(c.low - r.low) >= 0.005 OR abs(c.vwap - r.vwap) >= 0.005
   OR abs(c.volume - r.volume) > 1e-6 OR c.trades <> r.trades
   OR c.first_ts <> r.first_ts OR c.last_ts <> r.last_ts
ORDER BY 1, 2, 3, 4, 5
)SQL");
    return sql.replace(QStringLiteral("@LATE@"), lateTable);
}

// Returns the differing rows (empty = candles equal the recomputation), or an error line.
inline QStringList candleMismatches(QSqlDatabase db, const QString &lateTable = QStringLiteral("late_ticks"),
                                    int maxRows = 20)
{
    QStringList rows;
    QSqlQuery q(db);
    if (!q.exec(candleRecomputeSql(lateTable)))
        return {QStringLiteral("recompute query failed: ") + q.lastError().text()};
    int n = 0;
    while (q.next()) {
        if (++n > maxRows)
            continue;
        QStringList cols;
        for (int i = 0; i < 23; ++i)
            cols << q.value(i).toString();
        rows << cols.join(QLatin1Char('|'));
    }
    if (n > maxRows)
        rows << QStringLiteral("... %1 rows differ in all").arg(n);
    return rows;
}

inline qint64 scalar(QSqlDatabase db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

}  // namespace ms::test
