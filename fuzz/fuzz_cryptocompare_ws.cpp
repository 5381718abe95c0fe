// libFuzzer target: CryptoCompare streamer frames, parsed as the WebSocket source does (TYPE 0
// trade, TYPE 5 aggregate, error frames).
#include "fuzz_check.h"
#include "sources/cryptocompare_parse.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace ms;
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!doc.isObject())
        return 0;
    const QJsonObject msg = doc.object();
    // Every refusal carries a reason (its code is what the sources count).
    if (const auto trade = cryptocompare::tradeFromStreamer(msg)) {
        FUZZ_CHECK(trade->kind == TickKind::Trade);
        fuzz::checkTickInvariants(trade.value());
    } else {
        FUZZ_CHECK(!trade.error().code.isEmpty() && !trade.error().message.isEmpty());
    }
    if (const auto quote =
            cryptocompare::quoteFromAggregate(msg, QStringLiteral("BTC"), QStringLiteral("USD"))) {
        FUZZ_CHECK(quote->kind == TickKind::Quote);
        fuzz::checkTickInvariants(quote.value());
    } else {
        FUZZ_CHECK(!quote.error().code.isEmpty() && !quote.error().message.isEmpty());
    }
    if (const auto status = cryptocompare::errorStatus(msg))
        FUZZ_CHECK(status->retryAfterMs >= 0);
    return 0;
}
