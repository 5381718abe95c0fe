-- SQLite flavour of postgres/040_reporting_keys_fold.sql: the same new columns and view, so the CSV
-- export and the model are the same on both backends. SQLite is never a DirectQuery source (Power BI
-- imports its CSV export), so its keys stay expressions; the UTC columns are the stored UTC text.
-- One statement per ';' line end.
DROP VIEW IF EXISTS fact_candle;
CREATE VIEW fact_candle AS
SELECT c.asset_class || ':' || c.symbol || ':' || c.currency AS symbol_key,
       CAST(replace(substr(c.bucket_start, 1, 10), '-', '') AS INTEGER) AS date_key,
       c.asset_class AS asset_class, c.symbol AS symbol, c.currency AS currency,
       c.interval_s AS interval_s, c.bucket_start AS bucket_start,
       c.open AS open, c.high AS high, c.low AS low, c.close AS close, c.volume AS volume,
       c.vwap AS vwap, c.trades AS trades, c.is_final AS is_final,
       c.bucket_start AS bucket_start_utc
FROM candles c;

DROP VIEW IF EXISTS fact_tick;
CREATE VIEW fact_tick AS
SELECT 'crypto:' || t.symbol || ':' || t.currency AS symbol_key,
       CAST(replace(substr(t."timestamp", 1, 10), '-', '') AS INTEGER) AS date_key,
       'crypto' AS asset_class,
       t.symbol AS symbol, t.currency AS currency, t."timestamp" AS tick_time, t.price AS price,
       t.volume AS volume, t.source AS source, t.kind AS kind, t.trade_id AS trade_id,
       t."timestamp" AS tick_time_utc
FROM crypto_data t
UNION ALL
SELECT 'stock:' || t.symbol || ':' || t.currency,
       CAST(replace(substr(t."timestamp", 1, 10), '-', '') AS INTEGER),
       'stock',
       t.symbol, t.currency, t."timestamp", t.price, t.volume, t.source, t.kind, t.trade_id,
       t."timestamp"
FROM stock_data t;

DROP VIEW IF EXISTS v_latest_quote;
CREATE VIEW v_latest_quote AS
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
       a.trades_24h AS trades_24h,
       l.last_ts AS last_time_utc
FROM agg a
JOIN candles l ON l.asset_class = a.asset_class AND l.symbol = a.symbol AND l.currency = a.currency
              AND l.interval_s = 60 AND l.bucket_start = a.last_bucket;

CREATE VIEW IF NOT EXISTS v_late_ticks_daily AS
SELECT l.asset_class || ':' || l.symbol || ':' || l.currency AS symbol_key,
       CAST(replace(substr(l."timestamp", 1, 10), '-', '') AS INTEGER) AS date_key,
       l.asset_class AS asset_class, l.symbol AS symbol, l.currency AS currency, l.interval_s AS interval_s,
       count(*) AS late_ticks,
       sum(l.volume) AS late_volume
FROM late_ticks l
GROUP BY l.asset_class, l.symbol, l.currency, l.interval_s, substr(l."timestamp", 1, 10);
