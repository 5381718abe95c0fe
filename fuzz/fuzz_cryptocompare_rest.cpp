// libFuzzer target: CryptoCompare REST bodies (pricemultifull, histo, error bodies).
#include "fuzz_check.h"
#include "sources/cryptocompare_parse.h"

#include <QJsonDocument>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace ms;
    const QByteArray body =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const QStringList &fsyms :
         {QStringList{}, QStringList{QStringLiteral("BTC"), QStringLiteral("ETH")}}) {
        const auto multi = cryptocompare::parsePriceMultiFull(body, fsyms, {});
        if (multi) {
            for (const Tick &t : multi->quotes)
                fuzz::checkTickInvariants(t);
        } else {
            FUZZ_CHECK(!multi.error().code.isEmpty());
        }
    }
    const auto histo =
        cryptocompare::parseHisto(body, QStringLiteral("BTC"), QStringLiteral("USD"), 60);
    if (histo) {
        for (const Candle &c : histo->candles) {
            FUZZ_CHECK(c.bucketStartMs >= kMinSaneTsMs && c.bucketStartMs < kMaxSaneTsMs);
            FUZZ_CHECK(c.lastTsMs > c.bucketStartMs);
            for (const double v : {c.open, c.high, c.low, c.close, c.volume, c.vwap})
                FUZZ_CHECK(std::isfinite(v));
            FUZZ_CHECK(c.volume >= 0);
        }
    }
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        if (const auto status = cryptocompare::errorStatus(doc.object()))
            FUZZ_CHECK(status->retryAfterMs >= 0 && status->retryAfterMs <= 86400LL * 1000);
    }
    return 0;
}
