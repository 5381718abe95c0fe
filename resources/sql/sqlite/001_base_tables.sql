-- Base tables, SQLite flavour of postgres/001_base_tables.sql (same names and columns).
-- Times are TEXT 'YYYY-MM-DD HH:MM:SS.SSS' in UTC: sortable, and understood by SQLite's date functions.
CREATE TABLE IF NOT EXISTS crypto_data (
    symbol          TEXT    NOT NULL,
    price           REAL    NOT NULL CHECK (price > 0),
    "timestamp"     TEXT    NOT NULL,
    currency        TEXT    NOT NULL DEFAULT 'USD',
    volume          REAL    NOT NULL DEFAULT 0 CHECK (volume >= 0),
    source          TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('trade', 'quote')),
    trade_id        TEXT    NOT NULL,
    high            REAL,
    low             REAL,
    open            REAL,
    previous_close  REAL,
    ingested_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    CONSTRAINT crypto_data_natural_key UNIQUE (source, symbol, trade_id)
);
CREATE INDEX IF NOT EXISTS crypto_data_symbol_ts ON crypto_data (symbol, "timestamp");

CREATE TABLE IF NOT EXISTS stock_data (
    symbol          TEXT    NOT NULL,
    price           REAL    NOT NULL CHECK (price > 0),
    high            REAL,
    low             REAL,
    open            REAL,
    previous_close  REAL,
    "timestamp"     TEXT    NOT NULL,
    currency        TEXT    NOT NULL DEFAULT 'USD',
    volume          REAL    NOT NULL DEFAULT 0 CHECK (volume >= 0),
    source          TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('trade', 'quote')),
    trade_id        TEXT    NOT NULL,
    ingested_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    CONSTRAINT stock_data_natural_key UNIQUE (source, symbol, trade_id)
);
CREATE INDEX IF NOT EXISTS stock_data_symbol_ts ON stock_data (symbol, "timestamp");

CREATE TABLE IF NOT EXISTS candles (
    asset_class   TEXT    NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    symbol        TEXT    NOT NULL,
    currency      TEXT    NOT NULL,
    interval_s    INTEGER NOT NULL CHECK (interval_s > 0),
    bucket_start  TEXT    NOT NULL,
    open          REAL    NOT NULL,
    high          REAL    NOT NULL,
    low           REAL    NOT NULL,
    close         REAL    NOT NULL,
    volume        REAL    NOT NULL,
    vwap          REAL    NOT NULL,
    trades        INTEGER NOT NULL,
    first_ts      TEXT    NOT NULL,
    last_ts       TEXT    NOT NULL,
    is_final      INTEGER NOT NULL DEFAULT 0,
    updated_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (asset_class, symbol, currency, interval_s, bucket_start)
);

CREATE TABLE IF NOT EXISTS pipeline_offsets (
    consumer_group  TEXT    NOT NULL,
    cluster_id      TEXT    NOT NULL,
    topic           TEXT    NOT NULL,
    partition       INTEGER NOT NULL,
    next_offset     INTEGER NOT NULL,
    updated_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (consumer_group, cluster_id, topic, partition)
);
