-- Holes in the market feeds (issue 14), found by the consumer's GapDetector on the ticks it stores
-- (pipeline/processing/gap_detector.h) and written in the same transaction as those ticks, their
-- candles and the Kafka positions: a replay stores no new tick, so it finds no new gap, and the key
-- makes a repeated row a no-op (ON CONFLICT DO NOTHING). Gaps are recorded, never filled.
--   kind 'silence':  no tick of (source, symbol) for longer than its usual spacing allows, in
--                    market time (a stock's night or weekend does not count); threshold_ms is the
--                    silence that was allowed.
--   kind 'sequence': the provider's trade ids jumped; `missing` ids are absent in `stream` (the id
--                    prefix, e.g. 't-Coinbase-USD-').
-- gap_start / gap_end are the event times of the ticks on either side of the hole.
CREATE TABLE IF NOT EXISTS feed_gaps (
    source        text        NOT NULL,
    asset_class   text        NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    symbol        text        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('silence', 'sequence')),
    stream        text        NOT NULL DEFAULT '',
    gap_start     timestamptz NOT NULL,
    gap_end       timestamptz NOT NULL,
    missing       bigint      NOT NULL DEFAULT 0 CHECK (missing >= 0),
    threshold_ms  bigint      NOT NULL DEFAULT 0 CHECK (threshold_ms >= 0),
    detected_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, asset_class, symbol, kind, stream, gap_start),
    CHECK (gap_end >= gap_start)
);
-- The chart asks for one symbol's gaps overlapping its visible range.
CREATE INDEX IF NOT EXISTS feed_gaps_symbol_end ON feed_gaps (symbol, gap_end);

-- The detector's learned state per stream (stream '' = the symbol's silence state), upserted with
-- every batch so a restart or a new partition owner resumes exactly where the committed data ends.
-- Internal to the consumer: times are ms since the Unix epoch.
CREATE TABLE IF NOT EXISTS feed_gap_state (
    source        text             NOT NULL,
    asset_class   text             NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    symbol        text             NOT NULL,
    stream        text             NOT NULL,
    last_ts_ms    bigint           NOT NULL,
    last_seq      bigint           NOT NULL,
    estimate      double precision NOT NULL,
    samples       integer          NOT NULL,
    updated_at    timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (source, asset_class, symbol, stream)
);
