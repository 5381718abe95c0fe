#include "runtime/source_factory.h"

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

}  // namespace

QStringList knownSourceTypes()
{
    return {QStringLiteral("simulator")};
}

Result<std::unique_ptr<Source>> createSource(const SourceSpec &spec, const PipelineConfig &config)
{
    if (spec.type == QStringLiteral("simulator"))
        return makeSimulator(config);
    return makeError(QStringLiteral("unknown source '%1' (known: %2)").arg(spec.type, knownSourceTypes().join(u", ")),
                     QStringLiteral("bad_source"));
}

}  // namespace ms
