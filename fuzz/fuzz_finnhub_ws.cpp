// libFuzzer target: Finnhub WebSocket frames (trade, ping, error).
#include "fuzz_check.h"
#include "sources/finnhub_parse.h"

#include <QSet>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace ms;
    const QByteArray frame =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto msg = finnhub::parseWsMessage(frame, QStringLiteral("USD"), AssetClass::Stock);
    if (!msg)
        return 0;
    QSet<QString> ids;
    for (const Tick &t : msg->trades) {
        fuzz::checkTickInvariants(t);
        // Ids must be distinct inside a frame, or the database drops real trades as duplicates.
        const QString key = QString::fromStdString(t.symbol + '\n' + t.id);
        FUZZ_CHECK(!ids.contains(key));
        ids.insert(key);
    }
    return 0;
}
