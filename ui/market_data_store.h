#pragma once
// What the GUI knows about each symbol, fed from the pipeline's LiveBatch once per frame:
// a bounded price history (ticks), candles per interval, indicator values, and the watchlist's
// figures. Pure data: no widgets, so it is unit-tested directly and shared by watchlist and charts.
#include "model/candle.h"
#include "model/indicators.h"
#include "model/tick.h"
#include "price_format.h"
#include "time_series_buffer.h"

#include <QList>
#include <QString>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>

namespace ms::ui {

struct CandlePoint
{
    qint64 bucketStartMs = 0;
    double open = 0, high = 0, low = 0, close = 0, volume = 0;
    bool final = false;
};

struct SymbolData
{
    QString symbol;
    AssetClass asset = AssetClass::Crypto;
    std::string currency = "USD";
    double lastPrice = 0;
    double firstPrice = 0;     // first price seen since the window opened
    double sessionVolume = 0;  // sum of tick volumes seen
    qint64 ticks = 0;
    qint64 lastTsMs = 0;
    PriceDecimals priceDecimals;  // the instrument's decimals, from every price seen (price_format.h)
    std::optional<double> change24hPct;
    std::optional<double> changeSessionPct;
    TimeSeriesBuffer prices;
    TimeSeriesBuffer sparkline{120};       // one point per second, last two minutes
    std::map<int, std::deque<CandlePoint>> candles;      // by interval (s), oldest first, bounded
    std::map<int, TimeSeriesBuffer> sma, ema;            // by interval (s)

    explicit SymbolData(size_t historyPoints) : prices(historyPoints) {}
};

class MarketDataStore
{
public:
    // candlesPerInterval bounds live and stored candles together (paging back stops there).
    explicit MarketDataStore(size_t historyPointsPerSymbol = 200000, size_t candlesPerInterval = 10000);

    void setHistoryPointsPerSymbol(size_t points);
    size_t historyPointsPerSymbol() const { return m_historyPoints; }

    // Each marks the symbols it touched as changed (see takeChanged()).
    void addTicks(std::span<const Tick> ticks);
    void addCandles(std::span<const Candle> candles);
    void addIndicators(std::span<const IndicatorSnapshot> indicators);
    // Stored candles from the database (history_loader.h): inserted where their buckets are not
    // held yet (live data wins), older ones in front. A symbol without live data takes its last
    // price and time, and its 24 h change, from them. Returns how many candles were new.
    size_t addHistoryCandles(std::span<const Candle> candles);

    // Symbols touched since the last call (then forgotten).
    std::set<QString> takeChanged();

    QStringList symbols() const;  // sorted
    // Bytes held by the histories (points, candles, indicators) of all symbols: bounded by the
    // symbol count times the per-symbol bounds, however long the run.
    size_t heldBytes() const;
    const SymbolData *find(const QString &symbol) const;
    void clear();
    // Bumped by clear(): a view that drew an older generation must redraw from scratch.
    quint64 generation() const { return m_generation; }

private:
    SymbolData &entry(const std::string &symbol, AssetClass asset);

    size_t m_historyPoints;
    size_t m_candlesPerInterval;
    std::map<QString, std::unique_ptr<SymbolData>> m_symbols;
    std::set<QString> m_changed;
    quint64 m_generation = 0;
};

}  // namespace ms::ui
