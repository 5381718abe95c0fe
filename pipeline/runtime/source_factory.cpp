#include "runtime/source_factory.h"

#include "sources/cryptocompare_rest_source.h"
#include "sources/cryptocompare_ws_source.h"
#include "sources/finnhub_rest_source.h"
#include "sources/finnhub_ws_source.h"
#include "sources/replay_source.h"
#include "sources/simulator_source.h"

namespace ms {

namespace {

std::unique_ptr<Source> makeSimulator(const PipelineConfig &c)
{
    SimulatorSourceOptions o;
    for (const QString &s : c.cryptoSymbols)
        o.market.symbols.push_back({s.toStdString(), AssetClass::Crypto});
    for (const QString &s : c.stockSymbols)
        o.market.symbols.push_back({s.toStdString(), AssetClass::Stock});
    o.market.currency = c.currency.toStdString();
    o.market.seed = c.seed;
    o.market.startTimeMs = c.startTimeMs;
    o.market.eventRate = c.rate > 0 ? c.rate : 1000;
    o.rate = c.rate;
    o.maxTicks = c.maxTicks;
    return std::make_unique<SimulatorSource>(std::move(o));
}

// Finnhub serves stocks and exchange-qualified crypto ("BINANCE:BTCUSDT"): a list made only of
// qualified symbols is crypto, otherwise stocks.
AssetClass finnhubAsset(const QStringList &symbols)
{
    if (symbols.isEmpty())
        return AssetClass::Stock;
    for (const QString &s : symbols) {
        if (!s.contains(u':'))
            return AssetClass::Stock;
    }
    return AssetClass::Crypto;
}

QStringList finnhubSymbols(const PipelineConfig &c)
{
    QStringList out = c.stockSymbols;
    for (const QString &s : c.cryptoSymbols) {
        if (s.contains(u':'))
            out.append(s);
    }
    return out;
}

}  // namespace

QStringList knownSourceTypes()
{
    return {QStringLiteral("simulator"),     QStringLiteral("replay"),  QStringLiteral("cryptocompare"),
            QStringLiteral("cryptocompare-ws"), QStringLiteral("finnhub"), QStringLiteral("finnhub-ws")};
}

Result<std::unique_ptr<Source>> createSource(const SourceSpec &spec, const PipelineConfig &c)
{
    if (spec.type == QStringLiteral("simulator"))
        return makeSimulator(c);
    if (spec.type == QStringLiteral("replay")) {
        ReplayOptions o;
        o.path = spec.path;
        o.speed = c.replaySpeed;
        return std::unique_ptr<Source>(std::make_unique<ReplaySource>(o));
    }
    if (spec.type == QStringLiteral("cryptocompare")) {
        CryptoCompareRestOptions o;
        o.cryptoCompareUrl = c.cryptoCompareUrl;
        o.apiKey = c.cryptoCompareApiKey;
        o.symbols = c.cryptoSymbols;
        o.currency = c.currency;
        o.pollIntervalMs = c.pollIntervalMs;
        return std::unique_ptr<Source>(std::make_unique<CryptoCompareRestSource>(o));
    }
    if (spec.type == QStringLiteral("cryptocompare-ws")) {
        CryptoCompareWsOptions o;
        o.cryptoCompareWsUrl = c.cryptoCompareWsUrl;
        o.apiKey = c.cryptoCompareApiKey;
        o.symbols = c.cryptoSymbols;
        o.currency = c.currency;
        return std::unique_ptr<Source>(std::make_unique<CryptoCompareWsSource>(o));
    }
    if (spec.type == QStringLiteral("finnhub")) {
        FinnhubRestOptions o;
        o.finnhubUrl = c.finnhubUrl;
        o.apiKey = c.finnhubApiKey;
        o.symbols = finnhubSymbols(c);
        o.asset = finnhubAsset(o.symbols);
        o.currency = c.currency;
        o.pollIntervalMs = c.pollIntervalMs;
        return std::unique_ptr<Source>(std::make_unique<FinnhubRestSource>(o));
    }
    if (spec.type == QStringLiteral("finnhub-ws")) {
        FinnhubWsOptions o;
        o.finnhubWsUrl = c.finnhubWsUrl;
        o.apiKey = c.finnhubApiKey;
        o.symbols = finnhubSymbols(c);
        o.asset = finnhubAsset(o.symbols);
        o.currency = c.currency;
        return std::unique_ptr<Source>(std::make_unique<FinnhubWsSource>(o));
    }
    return makeError(QStringLiteral("unknown source '%1' (known: %2)").arg(spec.type, knownSourceTypes().join(u", ")),
                     QStringLiteral("bad_source"));
}

}  // namespace ms
