// libFuzzer target: replay files. The input is read as a JSONL file and as a CSV file (first line
// the header); every tick the parser hands on must be one the consumer accepts.
#include "fuzz_check.h"
#include "sources/replay_format.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace ms;
    const QByteArray file =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<QByteArray> lines = file.split('\n');
    for (const QByteArray &line : lines) {
        auto r = replay::parseJsonlLine(line, AssetClass::Crypto);
        if (r && *r)
            fuzz::checkTickInvariants(**r);
        else if (!r)
            FUZZ_CHECK(!r.error().code.isEmpty());
    }
    (void)replay::detectFormat(QStringLiteral("x.csv"), lines.value(0));
    auto header = replay::parseCsvHeader(lines.value(0));
    if (!header)
        return 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        auto r = replay::parseCsvRow(*header, lines[i], i + 1, AssetClass::Stock);
        if (r && *r)
            fuzz::checkTickInvariants(**r);
    }
    return 0;
}
