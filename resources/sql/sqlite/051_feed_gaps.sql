-- SQLite flavour of postgres/051_feed_gaps.sql (same names and columns; times as UTC TEXT).
CREATE TABLE IF NOT EXISTS feed_gaps (
    source        TEXT    NOT NULL,
    asset_class   TEXT    NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    symbol        TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('silence', 'sequence')),
    stream        TEXT    NOT NULL DEFAULT '',
    gap_start     TEXT    NOT NULL,
    gap_end       TEXT    NOT NULL,
    missing       INTEGER NOT NULL DEFAULT 0 CHECK (missing >= 0),
    threshold_ms  INTEGER NOT NULL DEFAULT 0 CHECK (threshold_ms >= 0),
    detected_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (source, asset_class, symbol, kind, stream, gap_start),
    CHECK (gap_end >= gap_start)
);
CREATE INDEX IF NOT EXISTS feed_gaps_symbol_end ON feed_gaps (symbol, gap_end);

CREATE TABLE IF NOT EXISTS feed_gap_state (
    source        TEXT    NOT NULL,
    asset_class   TEXT    NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    symbol        TEXT    NOT NULL,
    stream        TEXT    NOT NULL,
    last_ts_ms    INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL,
    estimate      REAL    NOT NULL,
    samples       INTEGER NOT NULL,
    updated_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (source, asset_class, symbol, stream)
);
