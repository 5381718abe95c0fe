-- Ticks the candle builder DROPPED as too late for a candle interval (their bucket was already
-- final). The tick itself is still stored in crypto_data/stock_data; this table says which candle
-- it was kept out of, so a recomputation from the tick tables can exclude it:
--   ... FROM crypto_data t WHERE NOT EXISTS (SELECT 1 FROM late_ticks l WHERE l.source = t.source
--       AND l.symbol = t.symbol AND l.trade_id = t.trade_id AND l.interval_s = <interval>)
-- One row per (tick, interval). Drop decisions are a pure function of the input up to the stored
-- Kafka position, so writing these rows in the consumer's transaction keeps them exactly-once;
-- the key makes a replay harmless (ON CONFLICT DO NOTHING).
CREATE TABLE IF NOT EXISTS late_ticks (
    source        text             NOT NULL,
    symbol        text             NOT NULL,
    trade_id      text             NOT NULL,
    interval_s    integer          NOT NULL CHECK (interval_s > 0),
    asset_class   text             NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    currency      text             NOT NULL,
    "timestamp"   timestamptz      NOT NULL,
    price         double precision NOT NULL,
    volume        double precision NOT NULL,
    watermark     timestamptz      NOT NULL,
    recorded_at   timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (source, symbol, trade_id, interval_s)
);
