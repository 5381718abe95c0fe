-- SQLite flavour of postgres/011_late_ticks.sql (same names and columns; times as UTC TEXT).
CREATE TABLE IF NOT EXISTS late_ticks (
    source        TEXT    NOT NULL,
    symbol        TEXT    NOT NULL,
    trade_id      TEXT    NOT NULL,
    interval_s    INTEGER NOT NULL CHECK (interval_s > 0),
    asset_class   TEXT    NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    currency      TEXT    NOT NULL,
    "timestamp"   TEXT    NOT NULL,
    price         REAL    NOT NULL,
    volume        REAL    NOT NULL,
    watermark     TEXT    NOT NULL,
    recorded_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (source, symbol, trade_id, interval_s)
);
