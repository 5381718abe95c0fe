#include "fuzz_check.h"

#include "codec/json_text.h"
#include "codec/tick_codec.h"

namespace ms::fuzz {

void checkTickInvariants(const Tick &t)
{
    FUZZ_CHECK(std::isfinite(t.price) && t.price > 0);
    FUZZ_CHECK(std::isfinite(t.volume) && t.volume >= 0);
    FUZZ_CHECK(std::isfinite(t.price * t.volume));
    for (const auto *extra : {&t.open, &t.high, &t.low, &t.previousClose})
        FUZZ_CHECK(!*extra || (std::isfinite(**extra) && **extra > 0));
    FUZZ_CHECK(t.tsMs >= kMinSaneTsMs && t.tsMs < kMaxSaneTsMs);
    FUZZ_CHECK(symbolProblem(t.symbol).empty());
    FUZZ_CHECK(currencyProblem(t.currency).empty());
    FUZZ_CHECK(!t.id.empty() && json::utf8Problem(t.id).empty());

    const std::string wire = encodeTick(t);
    const DecodeResult back = decodeTick(wire, t.asset);
    if (!isTick(back))
        std::fprintf(stderr, "re-decode failed: %s: %s\n",
                     std::get<DecodeError>(back).reason.c_str(),
                     std::get<DecodeError>(back).detail.c_str());
    FUZZ_CHECK(isTick(back));
    FUZZ_CHECK(std::get<Tick>(back) == t);
    FUZZ_CHECK(encodeTick(std::get<Tick>(back)) == wire);
}

} // namespace ms::fuzz
