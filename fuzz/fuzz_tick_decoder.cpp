// libFuzzer target: the tick decoder (every message from Kafka goes through it). Whatever the
// bytes, decodeTick must not crash, every rejection must carry a reason and printable words, and an
// accepted tick must satisfy the pipeline's invariants and survive encode → decode unchanged.
#include "codec/json_text.h"
#include "codec/tick_codec.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    for (const ms::AssetClass asset : {ms::AssetClass::Crypto, ms::AssetClass::Stock}) {
        const ms::DecodeResult r = ms::decodeTick(input, asset);
        if (!ms::isTick(r)) {
            const auto &e = std::get<ms::DecodeError>(r);
            FUZZ_CHECK(!e.reason.empty() && !e.detail.empty());
            FUZZ_CHECK(ms::json::utf8Problem(e.detail).empty()); // it goes into a DLQ header
            continue;
        }
        const ms::Tick &t = std::get<ms::Tick>(r);
        FUZZ_CHECK(t.asset == asset);
        ms::fuzz::checkTickInvariants(t);
    }
    return 0;
}
