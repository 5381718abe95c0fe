// libFuzzer target: Finnhub REST /quote bodies and error bodies.
#include "fuzz_check.h"
#include "sources/finnhub_parse.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace ms;
    const QByteArray body =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto quote =
        finnhub::parseQuote(body, QStringLiteral("AAPL"), QStringLiteral("USD"), AssetClass::Stock);
    if (quote && quote->outcome == finnhub::QuoteOutcome::Tick)
        fuzz::checkTickInvariants(quote->tick);
    else if (!quote)
        FUZZ_CHECK(!quote.error().code.isEmpty());
    const QString text = finnhub::errorText(body);
    FUZZ_CHECK(text.size() <= 201 || body.size() > 201);
    return 0;
}
