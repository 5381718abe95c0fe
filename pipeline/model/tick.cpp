#include "model/tick.h"

namespace ms {

std::string_view wireName(AssetClass a)
{
    return a == AssetClass::Crypto ? "crypto" : "stock";
}

std::string_view wireName(TickKind k)
{
    return k == TickKind::Trade ? "trade" : "quote";
}

std::string_view wireName(SourceKind s)
{
    switch (s) {
    case SourceKind::Simulator: return "simulator";
    case SourceKind::Replay: return "replay";
    case SourceKind::CryptoCompare: return "cryptocompare";
    case SourceKind::Finnhub: return "finnhub";
    }
    return "simulator";
}

std::optional<AssetClass> assetClassFromString(std::string_view s)
{
    if (s == "crypto") return AssetClass::Crypto;
    if (s == "stock") return AssetClass::Stock;
    return std::nullopt;
}

std::optional<TickKind> tickKindFromString(std::string_view s)
{
    if (s == "trade") return TickKind::Trade;
    if (s == "quote") return TickKind::Quote;
    return std::nullopt;
}

std::optional<SourceKind> sourceKindFromString(std::string_view s)
{
    if (s == "simulator") return SourceKind::Simulator;
    if (s == "replay") return SourceKind::Replay;
    if (s == "cryptocompare") return SourceKind::CryptoCompare;
    if (s == "finnhub") return SourceKind::Finnhub;
    return std::nullopt;
}

}  // namespace ms
