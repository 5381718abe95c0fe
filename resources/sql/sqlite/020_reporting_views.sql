-- Reporting star schema, SQLite flavour of postgres/020_reporting_views.sql (same names and columns).
-- Keys: symbol_key = '<asset_class>:<symbol>:<currency>', date_key = YYYYMMDD integer (UTC day).
-- Times are the base tables' TEXT 'YYYY-MM-DD HH:MM:SS.SSS' UTC. Booleans are 0/1 integers.
-- One statement per ';' line end, so any migration runner can split this file.

CREATE TABLE IF NOT EXISTS dim_date (
    date_key        INTEGER PRIMARY KEY,
    "date"          TEXT    NOT NULL UNIQUE,
    year            INTEGER NOT NULL,
    quarter         INTEGER NOT NULL,
    month           INTEGER NOT NULL,
    month_name      TEXT    NOT NULL,
    day_of_month    INTEGER NOT NULL,
    iso_week        INTEGER NOT NULL,
    weekday         INTEGER NOT NULL,
    weekday_name    TEXT    NOT NULL,
    is_trading_day  INTEGER NOT NULL
);
-- 2000-01-01 .. 2040-12-31. ISO week = week of the year of the Thursday in the same Monday-based week.
INSERT OR IGNORE INTO dim_date
WITH RECURSIVE days(d) AS (
    SELECT '2000-01-01'
    UNION ALL
    SELECT date(d, '+1 day') FROM days WHERE d < '2040-12-31'
), parts AS (
    SELECT d, CAST(strftime('%Y', d) AS INTEGER) AS y, CAST(strftime('%m', d) AS INTEGER) AS m,
           CAST(strftime('%d', d) AS INTEGER) AS dd, (CAST(strftime('%w', d) AS INTEGER) + 6) % 7 + 1 AS isodow
    FROM days
)
SELECT y * 10000 + m * 100 + dd, d, y, (m - 1) / 3 + 1, m,
       CASE m WHEN 1 THEN 'January' WHEN 2 THEN 'February' WHEN 3 THEN 'March' WHEN 4 THEN 'April'
              WHEN 5 THEN 'May' WHEN 6 THEN 'June' WHEN 7 THEN 'July' WHEN 8 THEN 'August'
              WHEN 9 THEN 'September' WHEN 10 THEN 'October' WHEN 11 THEN 'November' ELSE 'December' END,
       dd,
       (CAST(strftime('%j', date(d, '-' || (isodow - 1) || ' days', '+3 days')) AS INTEGER) - 1) / 7 + 1,
       isodow,
       CASE isodow WHEN 1 THEN 'Monday' WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday' WHEN 4 THEN 'Thursday'
                   WHEN 5 THEN 'Friday' WHEN 6 THEN 'Saturday' ELSE 'Sunday' END,
       CASE WHEN isodow < 6 THEN 1 ELSE 0 END
FROM parts;

CREATE INDEX IF NOT EXISTS candles_interval_bucket ON candles (interval_s, bucket_start);

CREATE VIEW IF NOT EXISTS reporting_symbol_keys AS
SELECT DISTINCT asset_class, symbol, currency FROM candles;

CREATE VIEW IF NOT EXISTS dim_symbol AS
SELECT k.asset_class || ':' || k.symbol || ':' || k.currency AS symbol_key,
       k.symbol AS symbol,
       k.asset_class AS asset_class,
       k.currency AS currency,
       CASE k.asset_class
           WHEN 'crypto' THEN (SELECT t.source FROM crypto_data t WHERE t.symbol = k.symbol
                               ORDER BY t."timestamp" DESC LIMIT 1)
           ELSE (SELECT t.source FROM stock_data t WHERE t.symbol = k.symbol
                 ORDER BY t."timestamp" DESC LIMIT 1)
       END AS source
FROM reporting_symbol_keys k;

CREATE VIEW IF NOT EXISTS fact_tick AS
SELECT 'crypto:' || t.symbol || ':' || t.currency AS symbol_key,
       CAST(replace(substr(t."timestamp", 1, 10), '-', '') AS INTEGER) AS date_key,
       'crypto' AS asset_class,
       t.symbol AS symbol, t.currency AS currency, t."timestamp" AS tick_time, t.price AS price,
       t.volume AS volume, t.source AS source, t.kind AS kind, t.trade_id AS trade_id
FROM crypto_data t
UNION ALL
SELECT 'stock:' || t.symbol || ':' || t.currency,
       CAST(replace(substr(t."timestamp", 1, 10), '-', '') AS INTEGER),
       'stock',
       t.symbol, t.currency, t."timestamp", t.price, t.volume, t.source, t.kind, t.trade_id
FROM stock_data t;

CREATE VIEW IF NOT EXISTS fact_candle AS
SELECT c.asset_class || ':' || c.symbol || ':' || c.currency AS symbol_key,
       CAST(replace(substr(c.bucket_start, 1, 10), '-', '') AS INTEGER) AS date_key,
       c.asset_class AS asset_class, c.symbol AS symbol, c.currency AS currency,
       c.interval_s AS interval_s, c.bucket_start AS bucket_start,
       c.open AS open, c.high AS high, c.low AS low, c.close AS close, c.volume AS volume,
       c.vwap AS vwap, c.trades AS trades, c.is_final AS is_final
FROM candles c;

CREATE VIEW IF NOT EXISTS v_latest_quote AS
WITH last AS (
    SELECT k.asset_class, k.symbol, k.currency,
           (SELECT max(c.bucket_start) FROM candles c
            WHERE c.asset_class = k.asset_class AND c.symbol = k.symbol AND c.currency = k.currency
              AND c.interval_s = 60) AS last_bucket
    FROM reporting_symbol_keys k
), win AS (
    SELECT l.asset_class, l.symbol, l.currency, l.last_bucket,
           strftime('%Y-%m-%d %H:%M:%f', l.last_bucket, '-24 hours') AS since
    FROM last l WHERE l.last_bucket IS NOT NULL
), agg AS (
    SELECT w.asset_class, w.symbol, w.currency, w.last_bucket,
           (SELECT c.open FROM candles c
            WHERE c.asset_class = w.asset_class AND c.symbol = w.symbol AND c.currency = w.currency
              AND c.interval_s = 60 AND c.bucket_start > w.since
            ORDER BY c.bucket_start LIMIT 1) AS open_24h,
           max(c.high) AS high_24h, min(c.low) AS low_24h, sum(c.volume) AS volume_24h,
           sum(c.vwap * c.volume) AS pv_24h, sum(c.trades) AS trades_24h
    FROM win w
    JOIN candles c ON c.asset_class = w.asset_class AND c.symbol = w.symbol AND c.currency = w.currency
                  AND c.interval_s = 60 AND c.bucket_start > w.since
    GROUP BY w.asset_class, w.symbol, w.currency, w.last_bucket, w.since
)
SELECT a.asset_class || ':' || a.symbol || ':' || a.currency AS symbol_key,
       a.symbol AS symbol, a.asset_class AS asset_class, a.currency AS currency,
       l.last_ts AS last_time,
       l.close AS last_price,
       a.open_24h AS open_24h,
       CASE WHEN a.open_24h > 0 THEN (l.close - a.open_24h) / a.open_24h * 100 END AS change_24h_pct,
       a.high_24h AS high_24h, a.low_24h AS low_24h, a.volume_24h AS volume_24h,
       CASE WHEN a.volume_24h > 0 THEN a.pv_24h / a.volume_24h END AS vwap_24h,
       a.trades_24h AS trades_24h
FROM agg a
JOIN candles l ON l.asset_class = a.asset_class AND l.symbol = a.symbol AND l.currency = a.currency
              AND l.interval_s = 60 AND l.bucket_start = a.last_bucket;

CREATE VIEW IF NOT EXISTS v_daily_summary AS
WITH g AS (
    SELECT asset_class, symbol, currency, substr(bucket_start, 1, 10) AS day,
           min(bucket_start) AS first_bucket, max(bucket_start) AS last_bucket,
           max(high) AS high, min(low) AS low, sum(volume) AS volume, sum(vwap * volume) AS pv,
           sum(trades) AS trades, count(*) AS candles
    FROM candles WHERE interval_s = 60
    GROUP BY asset_class, symbol, currency, substr(bucket_start, 1, 10)
)
SELECT g.asset_class || ':' || g.symbol || ':' || g.currency AS symbol_key,
       CAST(replace(g.day, '-', '') AS INTEGER) AS date_key,
       g.asset_class AS asset_class, g.symbol AS symbol, g.currency AS currency, g.day AS "date",
       f.open AS open, g.high AS high, g.low AS low, l.close AS close, g.volume AS volume,
       CASE WHEN g.volume > 0 THEN g.pv / g.volume END AS vwap,
       g.trades AS trades, g.candles AS candles
FROM g
JOIN candles f ON f.asset_class = g.asset_class AND f.symbol = g.symbol AND f.currency = g.currency
              AND f.interval_s = 60 AND f.bucket_start = g.first_bucket
JOIN candles l ON l.asset_class = g.asset_class AND l.symbol = g.symbol AND l.currency = g.currency
              AND l.interval_s = 60 AND l.bucket_start = g.last_bucket;
