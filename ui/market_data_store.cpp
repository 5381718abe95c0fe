#include "market_data_store.h"

#include <algorithm>

namespace ms::ui {

MarketDataStore::MarketDataStore(size_t historyPointsPerSymbol, size_t candlesPerInterval)
    : m_historyPoints(historyPointsPerSymbol), m_candlesPerInterval(candlesPerInterval)
{
}

void MarketDataStore::setHistoryPointsPerSymbol(size_t points)
{
    m_historyPoints = points;
    for (auto &[name, data] : m_symbols)
        data->prices.setCapacity(points);
}

SymbolData &MarketDataStore::entry(const std::string &symbol, AssetClass asset)
{
    const QString key = QString::fromStdString(symbol);
    auto it = m_symbols.find(key);
    if (it == m_symbols.end()) {
        auto data = std::make_unique<SymbolData>(m_historyPoints);
        data->symbol = key;
        data->asset = asset;
        it = m_symbols.emplace(key, std::move(data)).first;
    }
    m_changed.insert(key);
    return *it->second;
}

void MarketDataStore::addTicks(std::span<const Tick> ticks)
{
    SymbolData *current = nullptr;
    for (const Tick &t : ticks) {
        // Batches are long runs of a few symbols: skip the map look-up while the symbol repeats.
        if (!current || current->symbol.size() != qsizetype(t.symbol.size())
            || current->symbol != QLatin1String(t.symbol.data(), qsizetype(t.symbol.size())))
            current = &entry(t.symbol, t.asset);
        SymbolData &d = *current;
        if (d.ticks == 0)
            d.firstPrice = t.price;
        ++d.ticks;
        d.lastPrice = t.price;
        d.priceDecimals.observe(t.price);
        d.lastTsMs = std::max(d.lastTsMs, t.tsMs);
        d.sessionVolume += t.volume;
        d.prices.append(t.tsMs, t.price);
        d.sparkline.upsertLast(t.tsMs / 1000 * 1000, t.price);
    }
}

void MarketDataStore::addCandles(std::span<const Candle> candles)
{
    for (const Candle &c : candles) {
        SymbolData &d = entry(c.symbol, c.asset);
        auto &list = d.candles[c.intervalSec];
        const CandlePoint p{c.bucketStartMs, c.open, c.high, c.low, c.close, c.volume, c.final};
        // Updates are almost always to the newest bucket; a late one lands a few buckets back.
        auto it = list.rbegin();
        int steps = 0;
        while (it != list.rend() && it->bucketStartMs > c.bucketStartMs && steps < 64) {
            ++it;
            ++steps;
        }
        if (it != list.rend() && it->bucketStartMs == c.bucketStartMs) {
            *it = p;
        } else if (it == list.rbegin()) {
            list.push_back(p);
        } else if (steps < 64) {
            list.insert(it.base(), p);
        }
        while (list.size() > m_candlesPerInterval)
            list.pop_front();
    }
}

size_t MarketDataStore::addHistoryCandles(std::span<const Candle> candles)
{
    size_t added = 0;
    for (const Candle &c : candles) {
        SymbolData &d = entry(c.symbol, c.asset);
        d.currency = c.currency;
        auto &list = d.candles[c.intervalSec];
        if (list.size() >= m_candlesPerInterval)
            continue;  // full: what is held is newer than this
        auto it = std::lower_bound(list.begin(), list.end(), c.bucketStartMs,
                                   [](const CandlePoint &p, qint64 t) { return p.bucketStartMs < t; });
        if (it != list.end() && it->bucketStartMs == c.bucketStartMs)
            continue;
        list.insert(it, CandlePoint{c.bucketStartMs, c.open, c.high, c.low, c.close, c.volume, c.final});
        ++added;
        if (d.ticks == 0 && c.lastTsMs >= d.lastTsMs) {
            d.lastTsMs = c.lastTsMs;
            d.lastPrice = c.close;
        }
    }
    // 24 h change from the stored hour candles, for symbols the live feed has not told about yet.
    for (const Candle &c : candles) {
        SymbolData &d = *m_symbols.at(QString::fromStdString(c.symbol));
        if (d.change24hPct || c.intervalSec != 3600)
            continue;
        const auto &hours = d.candles[3600];
        const qint64 dayAgo = d.lastTsMs - 24 * 3600 * 1000LL;
        auto then = std::lower_bound(hours.begin(), hours.end(), dayAgo,
                                     [](const CandlePoint &p, qint64 t) { return p.bucketStartMs + 3600 * 1000LL <= t; });
        if (then != hours.end() && then->bucketStartMs <= dayAgo && then->open > 0)
            d.change24hPct = (d.lastPrice / then->open - 1) * 100;
    }
    return added;
}

void MarketDataStore::addIndicators(std::span<const IndicatorSnapshot> indicators)
{
    for (const IndicatorSnapshot &s : indicators) {
        SymbolData &d = entry(s.symbol, s.asset);
        if (s.change24hPct)
            d.change24hPct = s.change24hPct;
        if (s.changeSessionPct)
            d.changeSessionPct = s.changeSessionPct;
        if (s.sma) {
            auto [it, inserted] = d.sma.try_emplace(s.intervalSec, m_candlesPerInterval);
            it->second.upsertLast(s.bucketStartMs, *s.sma);
        }
        if (s.ema) {
            auto [it, inserted] = d.ema.try_emplace(s.intervalSec, m_candlesPerInterval);
            it->second.upsertLast(s.bucketStartMs, *s.ema);
        }
    }
}

std::set<QString> MarketDataStore::takeChanged()
{
    std::set<QString> out;
    out.swap(m_changed);
    return out;
}

size_t MarketDataStore::heldBytes() const
{
    size_t bytes = 0;
    for (const auto &[name, d] : m_symbols) {
        bytes += sizeof(SymbolData) + d->prices.heldBytes() + d->sparkline.heldBytes();
        for (const auto &[interval, list] : d->candles)
            bytes += list.size() * sizeof(CandlePoint);
        for (const auto *indicator : {&d->sma, &d->ema})
            for (const auto &[interval, buffer] : *indicator)
                bytes += buffer.heldBytes();
    }
    return bytes;
}

QStringList MarketDataStore::symbols() const
{
    QStringList out;
    for (const auto &[name, data] : m_symbols)
        out << name;
    return out;
}

const SymbolData *MarketDataStore::find(const QString &symbol) const
{
    auto it = m_symbols.find(symbol);
    return it == m_symbols.end() ? nullptr : it->second.get();
}

void MarketDataStore::clear()
{
    m_symbols.clear();
    m_changed.clear();
    ++m_generation;
}

}  // namespace ms::ui
