#pragma once
// The tick: one trade or quote of one instrument, as it travels through the whole pipeline.
// Plain data with std::string members (short strings stay in SSO, no allocation on the hot path).
// The wire contract (JSON, v1) lives in codec/tick_codec.h.
#include <QtGlobal>

#include <optional>
#include <string>
#include <string_view>

namespace ms {

enum class AssetClass : quint8 { Crypto, Stock };
enum class TickKind : quint8 { Trade, Quote };
enum class SourceKind : quint8 { Simulator, Replay, CryptoCompare, Finnhub };

struct Tick
{
    SourceKind source = SourceKind::Simulator;
    TickKind kind = TickKind::Trade;
    AssetClass asset = AssetClass::Crypto;  // not on the wire: the topic tells it
    std::string symbol;
    std::string currency = "USD";
    double price = 0;
    double volume = 0;   // 0 when unknown
    qint64 tsMs = 0;     // event time, ms since the Unix epoch, UTC
    std::string id;      // unique per (source, symbol)
    std::optional<double> open, high, low, previousClose;  // quotes only

    bool operator==(const Tick &) const = default;
};

std::string_view wireName(AssetClass a);
std::string_view wireName(TickKind k);
std::string_view wireName(SourceKind s);
std::optional<AssetClass> assetClassFromString(std::string_view s);
std::optional<TickKind> tickKindFromString(std::string_view s);
std::optional<SourceKind> sourceKindFromString(std::string_view s);

// Event times outside [2000-01-01, 2100-01-01) are treated as absurd by validation.
constexpr qint64 kMinSaneTsMs = 946684800000LL;
constexpr qint64 kMaxSaneTsMs = 4102444800000LL;

}  // namespace ms
