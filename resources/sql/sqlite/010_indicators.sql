-- SQLite flavour of postgres/010_indicators.sql (same names and columns; times as UTC TEXT).
CREATE TABLE IF NOT EXISTS candle_indicators (
    asset_class         TEXT    NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    symbol              TEXT    NOT NULL,
    currency            TEXT    NOT NULL,
    interval_s          INTEGER NOT NULL CHECK (interval_s > 0),
    bucket_start        TEXT    NOT NULL,
    sma                 REAL,
    ema                 REAL,
    sma_period          INTEGER NOT NULL CHECK (sma_period > 0),
    ema_period          INTEGER NOT NULL CHECK (ema_period > 0),
    change_24h_pct      REAL,
    change_session_pct  REAL,
    updated_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (asset_class, symbol, currency, interval_s, bucket_start)
);
