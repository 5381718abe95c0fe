-- Price alerts (pipeline/alerts): one row per trigger, written in the consumer's transaction with
-- the tick that fired it, so it is stored exactly once across a crash and a replay. The key is the
-- rule and the tick: a replayed trigger is a no-op (ON CONFLICT DO NOTHING).
CREATE TABLE IF NOT EXISTS alerts (
    rule          text             NOT NULL,   -- canonical rule text, e.g. BTC>50000, AAPL%5m>2
    source        text             NOT NULL,
    symbol        text             NOT NULL,
    trade_id      text             NOT NULL,
    asset_class   text             NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    currency      text             NOT NULL,
    price         double precision NOT NULL,
    "timestamp"   timestamptz      NOT NULL,   -- event time of the tick that fired
    detail        text             NOT NULL DEFAULT '',
    triggered_at  timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (rule, source, symbol, trade_id)
);
CREATE INDEX IF NOT EXISTS alerts_timestamp ON alerts ("timestamp");

-- Each rule's hysteresis state after the last committed batch (event time of the last tick it
-- evaluated, whether its condition held there), restored when a consumer (re)starts.
CREATE TABLE IF NOT EXISTS alert_state (
    rule            text        NOT NULL PRIMARY KEY,
    symbol          text        NOT NULL,
    last_ts         timestamptz NOT NULL,
    condition_held  boolean     NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
