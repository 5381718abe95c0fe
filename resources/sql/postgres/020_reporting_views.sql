-- Reporting star schema for Power BI and the in-app Power BI view (same names/columns on SQLite).
-- Keys: symbol_key = '<asset_class>:<symbol>:<currency>' (text), date_key = YYYYMMDD (integer, UTC day).
-- Summaries are derived from the 1-minute candles (interval_s = 60), never from the tick tables:
-- v_latest_quote is a handful of primary-key probes per symbol (proved with EXPLAIN in tests/reporting).
-- No function bodies and one statement per ';' line end, so any migration runner can split this file.

-- A real date table (Microsoft's advice for DirectQuery), 2000-01-01 .. 2040-12-31, UTC days.
-- is_trading_day marks Monday..Friday (stock exchanges; no holiday calendar). Crypto trades daily.
CREATE TABLE IF NOT EXISTS dim_date (
    date_key        integer  PRIMARY KEY,
    "date"          date     NOT NULL UNIQUE,
    year            integer  NOT NULL,
    quarter         integer  NOT NULL,
    month           integer  NOT NULL,
    month_name      text     NOT NULL,
    day_of_month    integer  NOT NULL,
    iso_week        integer  NOT NULL,
    weekday         integer  NOT NULL,
    weekday_name    text     NOT NULL,
    is_trading_day  boolean  NOT NULL
);
INSERT INTO dim_date
SELECT (extract(year FROM d) * 10000 + extract(month FROM d) * 100 + extract(day FROM d))::integer,
       d::date,
       extract(year FROM d)::integer,
       extract(quarter FROM d)::integer,
       extract(month FROM d)::integer,
       (ARRAY['January','February','March','April','May','June','July','August','September',
              'October','November','December'])[extract(month FROM d)::integer],
       extract(day FROM d)::integer,
       extract(week FROM d)::integer,
       extract(isodow FROM d)::integer,
       (ARRAY['Monday','Tuesday','Wednesday','Thursday','Friday','Saturday','Sunday'])[extract(isodow FROM d)::integer],
       extract(isodow FROM d) < 6
FROM generate_series('2000-01-01'::timestamp, '2040-12-31'::timestamp, interval '1 day') AS g(d)
ON CONFLICT (date_key) DO NOTHING;

-- Time filters across all symbols (Power BI slicers on a date range) on the small candle table.
CREATE INDEX IF NOT EXISTS candles_interval_bucket ON candles (interval_s, bucket_start);

-- Distinct (asset_class, symbol, currency) by a loose index scan of the candles primary key:
-- one index probe per symbol instead of a scan. Internal helper, not granted to powerbi_reader.
CREATE OR REPLACE VIEW reporting_symbol_keys AS
WITH RECURSIVE k AS (
    (SELECT asset_class, symbol, currency FROM candles ORDER BY asset_class, symbol, currency LIMIT 1)
    UNION ALL
    SELECT n.asset_class, n.symbol, n.currency
    FROM k CROSS JOIN LATERAL (
        SELECT c.asset_class, c.symbol, c.currency FROM candles c
        WHERE (c.asset_class, c.symbol, c.currency) > (k.asset_class, k.symbol, k.currency)
        ORDER BY c.asset_class, c.symbol, c.currency LIMIT 1) n
)
SELECT asset_class, symbol, currency FROM k;

CREATE OR REPLACE VIEW dim_symbol AS
SELECT k.asset_class || ':' || k.symbol || ':' || k.currency AS symbol_key,
       k.symbol,
       k.asset_class,
       k.currency,
       CASE k.asset_class
           WHEN 'crypto' THEN (SELECT t.source FROM crypto_data t WHERE t.symbol = k.symbol
                               ORDER BY t."timestamp" DESC LIMIT 1)
           ELSE (SELECT t.source FROM stock_data t WHERE t.symbol = k.symbol
                 ORDER BY t."timestamp" DESC LIMIT 1)
       END AS source
FROM reporting_symbol_keys k;

CREATE OR REPLACE VIEW fact_tick AS
SELECT 'crypto:' || t.symbol || ':' || t.currency AS symbol_key,
       (to_char(t."timestamp" AT TIME ZONE 'UTC', 'YYYYMMDD'))::integer AS date_key,
       'crypto'::text AS asset_class,
       t.symbol, t.currency, t."timestamp" AS tick_time, t.price, t.volume, t.source, t.kind, t.trade_id
FROM crypto_data t
UNION ALL
SELECT 'stock:' || t.symbol || ':' || t.currency,
       (to_char(t."timestamp" AT TIME ZONE 'UTC', 'YYYYMMDD'))::integer,
       'stock'::text,
       t.symbol, t.currency, t."timestamp", t.price, t.volume, t.source, t.kind, t.trade_id
FROM stock_data t;

CREATE OR REPLACE VIEW fact_candle AS
SELECT c.asset_class || ':' || c.symbol || ':' || c.currency AS symbol_key,
       (to_char(c.bucket_start AT TIME ZONE 'UTC', 'YYYYMMDD'))::integer AS date_key,
       c.asset_class, c.symbol, c.currency, c.interval_s, c.bucket_start,
       c.open, c.high, c.low, c.close, c.volume, c.vwap, c.trades, c.is_final
FROM candles c;

-- Last price and the 24 hours before the symbol's latest 1-minute candle (not before now(): replayed
-- and historical data give meaningful figures). change_24h_pct is in percent units (2.5 = +2.5 %).
CREATE OR REPLACE VIEW v_latest_quote AS
SELECT k.asset_class || ':' || k.symbol || ':' || k.currency AS symbol_key,
       k.symbol, k.asset_class, k.currency,
       l.last_ts AS last_time,
       l.close AS last_price,
       w.open_24h,
       CASE WHEN w.open_24h > 0 THEN (l.close - w.open_24h) / w.open_24h * 100 END AS change_24h_pct,
       w.high_24h, w.low_24h, w.volume_24h,
       CASE WHEN w.volume_24h > 0 THEN w.pv_24h / w.volume_24h END AS vwap_24h,
       w.trades_24h
FROM reporting_symbol_keys k
CROSS JOIN LATERAL (
    SELECT c.close, c.last_ts, c.bucket_start FROM candles c
    WHERE c.asset_class = k.asset_class AND c.symbol = k.symbol AND c.currency = k.currency
      AND c.interval_s = 60
    ORDER BY c.bucket_start DESC LIMIT 1) l
CROSS JOIN LATERAL (
    SELECT (array_agg(c.open ORDER BY c.bucket_start))[1] AS open_24h,
           max(c.high) AS high_24h, min(c.low) AS low_24h, sum(c.volume) AS volume_24h,
           sum(c.vwap * c.volume) AS pv_24h, sum(c.trades)::bigint AS trades_24h
    FROM candles c
    WHERE c.asset_class = k.asset_class AND c.symbol = k.symbol AND c.currency = k.currency
      AND c.interval_s = 60 AND c.bucket_start > l.bucket_start - interval '24 hours') w;

-- One row per symbol per UTC day from the 1-minute candles: first open, last close, VWAP weighted by volume.
CREATE OR REPLACE VIEW v_daily_summary AS
WITH g AS (
    SELECT asset_class, symbol, currency, (bucket_start AT TIME ZONE 'UTC')::date AS day,
           min(bucket_start) AS first_bucket, max(bucket_start) AS last_bucket,
           max(high) AS high, min(low) AS low, sum(volume) AS volume, sum(vwap * volume) AS pv,
           sum(trades)::bigint AS trades, count(*)::bigint AS candles
    FROM candles WHERE interval_s = 60
    GROUP BY asset_class, symbol, currency, (bucket_start AT TIME ZONE 'UTC')::date
)
SELECT g.asset_class || ':' || g.symbol || ':' || g.currency AS symbol_key,
       (to_char(g.day, 'YYYYMMDD'))::integer AS date_key,
       g.asset_class, g.symbol, g.currency, g.day AS "date",
       f.open, g.high, g.low, l.close, g.volume,
       CASE WHEN g.volume > 0 THEN g.pv / g.volume END AS vwap,
       g.trades, g.candles
FROM g
JOIN candles f ON f.asset_class = g.asset_class AND f.symbol = g.symbol AND f.currency = g.currency
              AND f.interval_s = 60 AND f.bucket_start = g.first_bucket
JOIN candles l ON l.asset_class = g.asset_class AND l.symbol = g.symbol AND l.currency = g.currency
              AND l.interval_s = 60 AND l.bucket_start = g.last_bucket;
