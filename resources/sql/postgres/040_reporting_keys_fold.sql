-- Reporting keys that DirectQuery filters can use (issue 13). Power BI filters the star views through
-- their keys: WHERE symbol_key = '…', date_key IN (…)/BETWEEN, or a join to a filtered dim_symbol /
-- dim_date. In 020 both keys were expressions over the candles (asset_class || ':' || … and
-- to_char(bucket_start …)), so no index could answer such a filter and every visual read every candle.
--
-- 1. candles stores both keys (generated columns: the writers' column lists are unchanged) and
--    indexes them for the three filter shapes: symbol, date range, both.
-- 2. v_daily_summary is rebuilt as "for each symbol and day, aggregate that day's 1-minute candles"
--    (a LATERAL index range per symbol-day) instead of GROUP BY over all candles: a filter on
--    symbol_key, date_key or a joined dim_date now narrows the symbol-days before any candle is read.
-- 3. fact_tick's date_key gets BRIN expression indexes on the tick tables: ticks arrive in time order,
--    so a block-range index on the day answers date filters for almost no write cost (030 keeps the
--    tick tables' write path lean; a b-tree on the symbol would cost the ingestion path ~2x, so
--    fact_tick folds a symbol filter only together with a date or time range; reports read candles).
-- 4. UTC "timestamp without time zone" columns next to every timestamptz one (*_utc): Power BI has
--    no time-zone-aware column type; the model uses these.
-- 5. v_late_ticks_daily: late ticks per UTC day and symbol, from late_ticks (Data quality page).
-- CREATE OR REPLACE VIEW keeps every existing column, name and type, and appends the new ones.

ALTER TABLE candles
    ADD COLUMN IF NOT EXISTS symbol_key text
        GENERATED ALWAYS AS (asset_class || ':' || symbol || ':' || currency) STORED,
    ADD COLUMN IF NOT EXISTS date_key integer
        GENERATED ALWAYS AS ((date_part('year', bucket_start AT TIME ZONE 'UTC') * 10000
                              + date_part('month', bucket_start AT TIME ZONE 'UTC') * 100
                              + date_part('day', bucket_start AT TIME ZONE 'UTC'))::integer) STORED;

-- Symbol (+ date range): the price and volume pages, the per-symbol KPIs.
CREATE INDEX IF NOT EXISTS candles_symbol_key_date ON candles (symbol_key, interval_s, date_key, bucket_start);
-- Date range across all symbols: the overview trend, the date slicer.
CREATE INDEX IF NOT EXISTS candles_interval_date_key ON candles (interval_s, date_key);

-- autosummarize: a block range is summarized as soon as the next one starts filling, not at the next
-- VACUUM; an unsummarized range matches every query, and a freshly filled table would read all of it.
CREATE INDEX IF NOT EXISTS crypto_data_date_key_brin ON crypto_data USING brin (
    ((date_part('year', "timestamp" AT TIME ZONE 'UTC') * 10000 + date_part('month', "timestamp" AT TIME ZONE 'UTC') * 100
      + date_part('day', "timestamp" AT TIME ZONE 'UTC'))::integer)) WITH (autosummarize = on);
CREATE INDEX IF NOT EXISTS stock_data_date_key_brin ON stock_data USING brin (
    ((date_part('year', "timestamp" AT TIME ZONE 'UTC') * 10000 + date_part('month', "timestamp" AT TIME ZONE 'UTC') * 100
      + date_part('day', "timestamp" AT TIME ZONE 'UTC'))::integer)) WITH (autosummarize = on);
ALTER INDEX crypto_data_ts_brin SET (autosummarize = on);
ALTER INDEX stock_data_ts_brin SET (autosummarize = on);

CREATE OR REPLACE VIEW fact_candle AS
SELECT c.symbol_key, c.date_key,
       c.asset_class, c.symbol, c.currency, c.interval_s, c.bucket_start,
       c.open, c.high, c.low, c.close, c.volume, c.vwap, c.trades, c.is_final,
       c.bucket_start AT TIME ZONE 'UTC' AS bucket_start_utc
FROM candles c;

-- The date_key expression is the BRIN indexes' expression, character for character (the planner
-- matches expression indexes by their expression).
CREATE OR REPLACE VIEW fact_tick AS
SELECT 'crypto:' || t.symbol || ':' || t.currency AS symbol_key,
       ((date_part('year', t."timestamp" AT TIME ZONE 'UTC') * 10000 + date_part('month', t."timestamp" AT TIME ZONE 'UTC') * 100
         + date_part('day', t."timestamp" AT TIME ZONE 'UTC'))::integer) AS date_key,
       'crypto'::text AS asset_class,
       t.symbol, t.currency, t."timestamp" AS tick_time, t.price, t.volume, t.source, t.kind, t.trade_id,
       t."timestamp" AT TIME ZONE 'UTC' AS tick_time_utc
FROM crypto_data t
UNION ALL
SELECT 'stock:' || t.symbol || ':' || t.currency,
       ((date_part('year', t."timestamp" AT TIME ZONE 'UTC') * 10000 + date_part('month', t."timestamp" AT TIME ZONE 'UTC') * 100
         + date_part('day', t."timestamp" AT TIME ZONE 'UTC'))::integer),
       'stock'::text,
       t.symbol, t.currency, t."timestamp", t.price, t.volume, t.source, t.kind, t.trade_id,
       t."timestamp" AT TIME ZONE 'UTC'
FROM stock_data t;

CREATE OR REPLACE VIEW v_latest_quote AS
SELECT k.asset_class || ':' || k.symbol || ':' || k.currency AS symbol_key,
       k.symbol, k.asset_class, k.currency,
       l.last_ts AS last_time,
       l.close AS last_price,
       w.open_24h,
       CASE WHEN w.open_24h > 0 THEN (l.close - w.open_24h) / w.open_24h * 100 END AS change_24h_pct,
       w.high_24h, w.low_24h, w.volume_24h,
       CASE WHEN w.volume_24h > 0 THEN w.pv_24h / w.volume_24h END AS vwap_24h,
       w.trades_24h,
       l.last_ts AT TIME ZONE 'UTC' AS last_time_utc
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

-- Days between the first and the last 1-minute candle (two index probes), each symbol, and the
-- day's candles by the (symbol_key, interval_s, date_key) index. Same figures as 020's GROUP BY.
CREATE OR REPLACE VIEW v_daily_summary AS
SELECT k.asset_class || ':' || k.symbol || ':' || k.currency AS symbol_key, d.date_key,
       k.asset_class, k.symbol, k.currency, d."date",
       a.open, a.high, a.low, a.close, a.volume,
       CASE WHEN a.volume > 0 THEN a.pv / a.volume END AS vwap,
       a.trades, a.candles
FROM reporting_symbol_keys k
JOIN dim_date d
  ON d.date_key >= (SELECT min(c.date_key) FROM candles c WHERE c.interval_s = 60)
 AND d.date_key <= (SELECT max(c.date_key) FROM candles c WHERE c.interval_s = 60)
CROSS JOIN LATERAL (
    SELECT (array_agg(c.open ORDER BY c.bucket_start))[1] AS open,
           max(c.high) AS high, min(c.low) AS low,
           (array_agg(c.close ORDER BY c.bucket_start DESC))[1] AS close,
           sum(c.volume) AS volume, sum(c.vwap * c.volume) AS pv,
           sum(c.trades)::bigint AS trades, count(*)::bigint AS candles
    FROM candles c
    WHERE c.symbol_key = k.asset_class || ':' || k.symbol || ':' || k.currency
      AND c.interval_s = 60 AND c.date_key = d.date_key) a
WHERE a.candles > 0;

CREATE OR REPLACE VIEW v_late_ticks_daily AS
SELECT l.asset_class || ':' || l.symbol || ':' || l.currency AS symbol_key,
       ((date_part('year', l."timestamp" AT TIME ZONE 'UTC') * 10000 + date_part('month', l."timestamp" AT TIME ZONE 'UTC') * 100
         + date_part('day', l."timestamp" AT TIME ZONE 'UTC'))::integer) AS date_key,
       l.asset_class, l.symbol, l.currency, l.interval_s,
       count(*)::bigint AS late_ticks,
       sum(l.volume) AS late_volume
FROM late_ticks l
GROUP BY l.asset_class, l.symbol, l.currency, l.interval_s,
         ((date_part('year', l."timestamp" AT TIME ZONE 'UTC') * 10000 + date_part('month', l."timestamp" AT TIME ZONE 'UTC') * 100
           + date_part('day', l."timestamp" AT TIME ZONE 'UTC'))::integer);

-- powerbi_reader: scripts/create-powerbi-reader.sh grants SELECT on this view too (run it again on an
-- existing database; no DO block here, so the file still splits on ';' line ends).
