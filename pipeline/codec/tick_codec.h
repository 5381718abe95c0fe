#pragma once
// The tick wire format (JSON, schema v1) and the original Python producers' formats.
//
//   {"v":1,"source":"simulator","kind":"trade","symbol":"BTC","currency":"USD","price":43000.5,
//    "volume":0.12,"ts":1700000000123,"id":"sim-42"}      (+ optional open/high/low/previous_close)
//
// Legacy (accepted unchanged; the topic gives the asset class, the id derives from the timestamp):
//   crypto {"symbol":"BTC","price":43000.12,"timestamp":1712345678.123}          float seconds
//   stock  {"symbol":"AAPL","price":170.1,"high":171,"low":169.5,"open":170,
//           "previous_close":169.9,"timestamp":1712345678}                          seconds
//
// Decoding is strict and allocation-light (hand-written parser, std::from_chars); every rejection
// carries a stable reason code for counting and a precise human message.
#include "model/tick.h"

#include <QString>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace ms {

struct DecodeError
{
    std::string reason;  // stable code: invalid_json, invalid_utf8, missing_field, wrong_type, bad_value,
                         // non_positive_price, negative_volume, absurd_timestamp, unknown_version,
                         // unknown_source, unknown_kind, empty_message, too_large
    std::string detail;  // precise words, e.g. "field 'price' must be a number, got string"
};

using DecodeResult = std::variant<Tick, DecodeError>;

// Appends the compact v1 JSON of `tick` to `out` (no trailing newline).
void encodeTick(const Tick &tick, std::string &out);
std::string encodeTick(const Tick &tick);

// Decodes one message from a topic of the given asset class (v1 or legacy).
DecodeResult decodeTick(std::string_view json, AssetClass topicAsset);

// The decoder's own rules for a symbol and a currency (non-empty, bounded length, strict UTF-8, no
// control characters, no leading or trailing space), for values that enter elsewhere (the command
// line) so they are refused there instead of dead-lettering every tick. Empty when acceptable,
// otherwise the reason in words.
std::string symbolProblem(std::string_view symbol);
std::string currencyProblem(std::string_view currency);

// The decoder's rules for a whole tick made elsewhere (provider parsers, replay rows): a tick that
// fails them would be dead-lettered by every consumer, so its maker refuses it instead. nullopt
// when the decoder would accept the tick's encoding.
std::optional<DecodeError> validateTick(const Tick &tick);

// Convenience for callers that hold the decoded value.
inline bool isTick(const DecodeResult &r) { return r.index() == 0; }

}  // namespace ms
