#include "storage/pg_params.h"
#include "storage/pg_tick_writer.h"

#include <map>
#include <tuple>

namespace ms::storage_detail {

namespace {

constexpr size_t kMaxParams = 30000;  // per statement; libpq's hard limit is 65535

// Queues `rows` as statements of at most kMaxParams parameters; `addRow` adds one row's values.
template <typename Row, typename AddRow>
void queueChunked(PgPipeline &pipeline, const std::vector<const Row *> &rows, int columns, const std::string &head,
                  const std::string &tail, const QString &what, qint64 *rowsOut, AddRow addRow)
{
    const size_t perStatement = kMaxParams / size_t(columns);
    for (size_t begin = 0; begin < rows.size(); begin += perStatement) {
        const size_t end = std::min(rows.size(), begin + perStatement);
        PgParams p;
        for (size_t i = begin; i < end; ++i) {
            addRow(p, *rows[i]);
            p.endRow(columns);
        }
        std::string sql = head + p.placeholders + tail;
        pipeline.add(std::move(sql), std::move(p), what, rowsOut);
    }
}

template <typename T>
std::vector<const T *> pointers(std::span<const T> items)
{
    std::vector<const T *> out;
    out.reserve(items.size());
    for (const T &i : items)
        out.push_back(&i);
    return out;
}

}  // namespace

void pgQueueCandles(PgPipeline &pipeline, std::span<const Candle> candles, qint64 *rowsOut)
{
    queueChunked(
        pipeline, lastCandlePerKey(candles), 15,
        "INSERT INTO candles (asset_class, symbol, currency, interval_s, bucket_start, open, high, low, close, "
        "volume, vwap, trades, first_ts, last_ts, is_final) VALUES ",
        " ON CONFLICT (asset_class, symbol, currency, interval_s, bucket_start) DO UPDATE SET "
        "open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, "
        "volume = EXCLUDED.volume, vwap = EXCLUDED.vwap, trades = EXCLUDED.trades, "
        "first_ts = EXCLUDED.first_ts, last_ts = EXCLUDED.last_ts, is_final = EXCLUDED.is_final, updated_at = now()",
        QStringLiteral("Writing candles"), rowsOut, [](PgParams &p, const Candle &c) {
            p.add(std::string(wireName(c.asset)));
            p.add(c.symbol);
            p.add(c.currency);
            p.addInt(c.intervalSec);
            p.addTimestamp(c.bucketStartMs);
            p.addDouble(c.open);
            p.addDouble(c.high);
            p.addDouble(c.low);
            p.addDouble(c.close);
            p.addDouble(c.volume);
            p.addDouble(c.vwap);
            p.addInt(c.trades);
            p.addTimestamp(c.firstTsMs);
            p.addTimestamp(c.lastTsMs);
            p.add(c.final ? "true" : "false");
        });
}

void pgQueueOffsets(PgPipeline &pipeline, std::span<const OffsetRecord> offsets, qint64 *rowsOut)
{
    queueChunked(pipeline, lastOffsetPerKey(offsets), 5,
                      "INSERT INTO pipeline_offsets (consumer_group, cluster_id, topic, partition, next_offset) VALUES ",
                      " ON CONFLICT (consumer_group, cluster_id, topic, partition) DO UPDATE SET "
                      "next_offset = EXCLUDED.next_offset, updated_at = now()",
                      QStringLiteral("Writing offsets"), rowsOut, [](PgParams &p, const OffsetRecord &o) {
                          p.add(o.consumerGroup);
                          p.add(o.clusterId);
                          p.add(o.topic);
                          p.addInt(o.partition);
                          p.addInt(o.nextOffset);
                      });
}

void pgQueueLateTicks(PgPipeline &pipeline, std::span<const LateTickRecord> late, qint64 *rowsOut)
{
    queueChunked(pipeline, pointers(late), 10,
                      "INSERT INTO late_ticks (source, symbol, trade_id, interval_s, asset_class, currency, "
                      "\"timestamp\", price, volume, watermark) VALUES ",
                      " ON CONFLICT (source, symbol, trade_id, interval_s) DO NOTHING",
                      QStringLiteral("Writing late ticks"), rowsOut, [](PgParams &p, const LateTickRecord &l) {
                          p.add(std::string(wireName(l.tick.source)));
                          p.add(l.tick.symbol);
                          p.add(l.tick.id);
                          p.addInt(l.intervalSec);
                          p.add(std::string(wireName(l.tick.asset)));
                          p.add(l.tick.currency);
                          p.addTimestamp(l.tick.tsMs);
                          p.addDouble(l.tick.price);
                          p.addDouble(l.tick.volume);
                          p.addTimestamp(l.watermarkMs);
                      });
}

void pgQueueAlerts(PgPipeline &pipeline, std::span<const AlertTrigger> alerts, qint64 *rowsOut)
{
    queueChunked(pipeline, pointers(alerts), 9,
                 "INSERT INTO alerts (rule, source, symbol, trade_id, asset_class, currency, price, \"timestamp\", "
                 "detail) VALUES ",
                 " ON CONFLICT (rule, source, symbol, trade_id) DO NOTHING", QStringLiteral("Writing alerts"), rowsOut,
                 [](PgParams &p, const AlertTrigger &a) {
                     p.add(a.rule);
                     p.add(std::string(wireName(a.tick.source)));
                     p.add(a.tick.symbol);
                     p.add(a.tick.id);
                     p.add(std::string(wireName(a.tick.asset)));
                     p.add(a.tick.currency);
                     p.addDouble(a.tick.price);
                     p.addTimestamp(a.tick.tsMs);
                     p.add(a.detail);
                 });
}

void pgQueueAlertStates(PgPipeline &pipeline, std::span<const AlertRuleState> states)
{
    // One row per rule (the evaluator reports each changed rule once per batch).
    queueChunked(pipeline, pointers(states), 4, "INSERT INTO alert_state (rule, symbol, last_ts, condition_held) VALUES ",
                 " ON CONFLICT (rule) DO UPDATE SET last_ts = EXCLUDED.last_ts, "
                 "condition_held = EXCLUDED.condition_held, updated_at = now()",
                 QStringLiteral("Writing alert state"), nullptr, [](PgParams &p, const AlertRuleState &s) {
                     p.add(s.rule);
                     p.add(s.rule.substr(0, s.rule.find_first_of("<>%")));
                     p.addTimestamp(s.lastTsMs);
                     p.add(s.conditionHeld ? "true" : "false");
                 });
}

void pgQueueIndicators(PgPipeline &pipeline, std::span<const IndicatorSnapshot> indicators, qint32 smaPeriod,
                       qint32 emaPeriod, qint64 *rowsOut)
{
    queueChunked(
        pipeline, lastIndicatorPerKey(indicators), 11,
        "INSERT INTO candle_indicators (asset_class, symbol, currency, interval_s, bucket_start, sma, ema, sma_period, "
        "ema_period, change_24h_pct, change_session_pct) VALUES ",
        " ON CONFLICT (asset_class, symbol, currency, interval_s, bucket_start) DO UPDATE SET "
        "sma = EXCLUDED.sma, ema = EXCLUDED.ema, sma_period = EXCLUDED.sma_period, ema_period = EXCLUDED.ema_period, "
        "change_24h_pct = EXCLUDED.change_24h_pct, change_session_pct = EXCLUDED.change_session_pct, updated_at = now()",
        QStringLiteral("Writing indicators"), rowsOut, [=](PgParams &p, const IndicatorSnapshot &s) {
            p.add(std::string(wireName(s.asset)));
            p.add(s.symbol);
            p.add(s.currency);
            p.addInt(s.intervalSec);
            p.addTimestamp(s.bucketStartMs);
            p.addOptional(s.sma);
            p.addOptional(s.ema);
            p.addInt(smaPeriod);
            p.addInt(emaPeriod);
            p.addOptional(s.change24hPct);
            p.addOptional(s.changeSessionPct);
        });
}

void pgQueueFeedGaps(PgPipeline &pipeline, std::span<const FeedGap> gaps, qint64 *rowsOut)
{
    queueChunked(pipeline, pointers(gaps), 10,
                 "INSERT INTO feed_gaps (source, asset_class, symbol, kind, stream, gap_start, gap_end, missing, "
                 "threshold_ms, detected_at) VALUES ",
                 " ON CONFLICT (source, asset_class, symbol, kind, stream, gap_start) DO NOTHING",
                 QStringLiteral("Writing feed gaps"), rowsOut, [](PgParams &p, const FeedGap &g) {
                     p.add(std::string(wireName(g.source)));
                     p.add(std::string(wireName(g.asset)));
                     p.add(g.symbol);
                     p.add(std::string(wireName(g.kind)));
                     p.add(g.stream);
                     p.addTimestamp(g.startMs);
                     p.addTimestamp(g.endMs);
                     p.addInt(g.missing);
                     p.addInt(g.thresholdMs);
                     p.addTimestamp(g.detectedAtMs);
                 });
}

void pgQueueGapStates(PgPipeline &pipeline, std::span<const GapStreamState> states)
{
    queueChunked(pipeline, lastGapStatePerKey(states), 8,
                 "INSERT INTO feed_gap_state (source, asset_class, symbol, stream, last_ts_ms, last_seq, estimate, "
                 "samples) VALUES ",
                 " ON CONFLICT (source, asset_class, symbol, stream) DO UPDATE SET last_ts_ms = EXCLUDED.last_ts_ms, "
                 "last_seq = EXCLUDED.last_seq, estimate = EXCLUDED.estimate, samples = EXCLUDED.samples, "
                 "updated_at = now()",
                 QStringLiteral("Writing the gap detector's state"), nullptr, [](PgParams &p, const GapStreamState &g) {
                     p.add(std::string(wireName(g.source)));
                     p.add(std::string(wireName(g.asset)));
                     p.add(g.symbol);
                     p.add(g.stream);
                     p.addInt(g.lastTsMs);
                     p.addInt(g.lastSeq);
                     p.addDouble(g.estimate);
                     p.addInt(g.samples);
                 });
}

std::vector<const GapStreamState *> lastGapStatePerKey(std::span<const GapStreamState> states)
{
    using Key = std::tuple<SourceKind, AssetClass, std::string_view, std::string_view>;
    std::map<Key, size_t> index;
    std::vector<const GapStreamState *> out;
    for (const GapStreamState &g : states) {
        const auto [it, fresh] = index.try_emplace(Key{g.source, g.asset, g.symbol, g.stream}, out.size());
        if (fresh)
            out.push_back(&g);
        else
            out[it->second] = &g;
    }
    return out;
}

std::vector<const Candle *> lastCandlePerKey(std::span<const Candle> candles)
{
    using Key = std::tuple<AssetClass, std::string_view, std::string_view, qint32, qint64>;
    std::map<Key, size_t> index;
    std::vector<const Candle *> out;
    out.reserve(candles.size());
    for (const Candle &c : candles) {
        const auto [it, fresh] = index.try_emplace(Key{c.asset, c.symbol, c.currency, c.intervalSec, c.bucketStartMs}, out.size());
        if (fresh)
            out.push_back(&c);
        else
            out[it->second] = &c;
    }
    return out;
}

std::vector<const OffsetRecord *> lastOffsetPerKey(std::span<const OffsetRecord> offsets)
{
    using Key = std::tuple<std::string_view, std::string_view, std::string_view, qint32>;
    std::map<Key, size_t> index;
    std::vector<const OffsetRecord *> out;
    for (const OffsetRecord &o : offsets) {
        const auto [it, fresh] = index.try_emplace(Key{o.consumerGroup, o.clusterId, o.topic, o.partition}, out.size());
        if (fresh)
            out.push_back(&o);
        else
            out[it->second] = &o;
    }
    return out;
}

std::vector<const IndicatorSnapshot *> lastIndicatorPerKey(std::span<const IndicatorSnapshot> indicators)
{
    using Key = std::tuple<AssetClass, std::string_view, std::string_view, qint32, qint64>;
    std::map<Key, size_t> index;
    std::vector<const IndicatorSnapshot *> out;
    for (const IndicatorSnapshot &s : indicators) {
        const auto [it, fresh] = index.try_emplace(Key{s.asset, s.symbol, s.currency, s.intervalSec, s.bucketStartMs}, out.size());
        if (fresh)
            out.push_back(&s);
        else
            out[it->second] = &s;
    }
    return out;
}

}  // namespace ms::storage_detail
