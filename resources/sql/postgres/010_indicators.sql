-- Indicators computed by the processing stage (pipeline/processing/indicators.h), one row per FINAL
-- candle they were computed at: same key as candles. Written in the same transaction as the candle
-- rows (upsert on the key, so a replay after a crash rewrites identical values).
-- SMA/EMA are over final closes only; NULL until enough candles exist. sma_period/ema_period record
-- the configuration the values came from.
CREATE TABLE IF NOT EXISTS candle_indicators (
    asset_class         text             NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    symbol              text             NOT NULL,
    currency            text             NOT NULL,
    interval_s          integer          NOT NULL CHECK (interval_s > 0),
    bucket_start        timestamptz      NOT NULL,
    sma                 double precision,
    ema                 double precision,
    sma_period          integer          NOT NULL CHECK (sma_period > 0),
    ema_period          integer          NOT NULL CHECK (ema_period > 0),
    change_24h_pct      double precision,
    change_session_pct  double precision,
    updated_at          timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (asset_class, symbol, currency, interval_s, bucket_start)
);
