-- Base tables. crypto_data and stock_data keep the original pipeline's names and columns
-- (symbol, price, "timestamp", and for stocks high/low/open/previous_close) so existing SQL and
-- Power BI reports keep working; the natural key (source, symbol, trade_id) makes writes idempotent.
CREATE TABLE IF NOT EXISTS crypto_data (
    symbol          text             NOT NULL,
    price           double precision NOT NULL CHECK (price > 0),
    "timestamp"     timestamptz      NOT NULL,
    currency        text             NOT NULL DEFAULT 'USD',
    volume          double precision NOT NULL DEFAULT 0 CHECK (volume >= 0),
    source          text             NOT NULL,
    kind            text             NOT NULL CHECK (kind IN ('trade', 'quote')),
    trade_id        text             NOT NULL,
    high            double precision,
    low             double precision,
    open            double precision,
    previous_close  double precision,
    ingested_at     timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT crypto_data_natural_key UNIQUE (source, symbol, trade_id)
);
CREATE INDEX IF NOT EXISTS crypto_data_symbol_ts ON crypto_data (symbol, "timestamp");

CREATE TABLE IF NOT EXISTS stock_data (
    symbol          text             NOT NULL,
    price           double precision NOT NULL CHECK (price > 0),
    high            double precision,
    low             double precision,
    open            double precision,
    previous_close  double precision,
    "timestamp"     timestamptz      NOT NULL,
    currency        text             NOT NULL DEFAULT 'USD',
    volume          double precision NOT NULL DEFAULT 0 CHECK (volume >= 0),
    source          text             NOT NULL,
    kind            text             NOT NULL CHECK (kind IN ('trade', 'quote')),
    trade_id        text             NOT NULL,
    ingested_at     timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT stock_data_natural_key UNIQUE (source, symbol, trade_id)
);
CREATE INDEX IF NOT EXISTS stock_data_symbol_ts ON stock_data (symbol, "timestamp");

-- Event-time OHLCV candles with VWAP, one row per (asset class, symbol, currency, interval, bucket).
CREATE TABLE IF NOT EXISTS candles (
    asset_class   text             NOT NULL CHECK (asset_class IN ('crypto', 'stock')),
    symbol        text             NOT NULL,
    currency      text             NOT NULL,
    interval_s    integer          NOT NULL CHECK (interval_s > 0),
    bucket_start  timestamptz      NOT NULL,
    open          double precision NOT NULL,
    high          double precision NOT NULL,
    low           double precision NOT NULL,
    close         double precision NOT NULL,
    volume        double precision NOT NULL,
    vwap          double precision NOT NULL,
    trades        bigint           NOT NULL,
    first_ts      timestamptz      NOT NULL,
    last_ts       timestamptz      NOT NULL,
    is_final      boolean          NOT NULL DEFAULT false,
    updated_at    timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (asset_class, symbol, currency, interval_s, bucket_start)
);

-- Consumer positions, written in the same transaction as the rows they produced (exactly-once).
-- cluster_id ties them to the Kafka cluster they came from: a fresh embedded broker is another cluster.
CREATE TABLE IF NOT EXISTS pipeline_offsets (
    consumer_group  text        NOT NULL,
    cluster_id      text        NOT NULL,
    topic           text        NOT NULL,
    partition       integer     NOT NULL,
    next_offset     bigint      NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, cluster_id, topic, partition)
);
