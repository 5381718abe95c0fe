-- SQLite flavour of postgres/050_alerts.sql (same names and columns; times as UTC TEXT).
CREATE TABLE IF NOT EXISTS alerts (
    rule          TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    symbol        TEXT    NOT NULL,
    trade_id      TEXT    NOT NULL,
    asset_class   TEXT    NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    currency      TEXT    NOT NULL,
    price         REAL    NOT NULL,
    "timestamp"   TEXT    NOT NULL,
    detail        TEXT    NOT NULL DEFAULT '',
    triggered_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (rule, source, symbol, trade_id)
);
CREATE INDEX IF NOT EXISTS alerts_timestamp ON alerts ("timestamp");

CREATE TABLE IF NOT EXISTS alert_state (
    rule            TEXT    NOT NULL PRIMARY KEY,
    symbol          TEXT    NOT NULL,
    last_ts         TEXT    NOT NULL,
    condition_held  INTEGER NOT NULL,
    updated_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
