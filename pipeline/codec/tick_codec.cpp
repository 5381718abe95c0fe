#include "codec/tick_codec.h"

#include "codec/json_scanner.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

namespace ms {

namespace {

constexpr size_t kMaxMessageBytes = 64 * 1024;
constexpr size_t kMaxSymbolBytes = 32;
constexpr size_t kMaxCurrencyBytes = 16;
constexpr size_t kMaxIdBytes = 128;

DecodeError err(std::string reason, std::string detail)
{
    return DecodeError{std::move(reason), std::move(detail)};
}

std::string_view typeName(json::ValueType t)
{
    switch (t) {
    case json::ValueType::String: return "string";
    case json::ValueType::Number: return "number";
    case json::ValueType::True:
    case json::ValueType::False: return "boolean";
    case json::ValueType::Null: return "null";
    case json::ValueType::Other: return "object/array";
    }
    return "?";
}

// The fields we know, as they were found in the message (not yet validated).
struct Fields
{
    std::optional<json::Value> v, source, kind, symbol, currency, price, volume, ts, id, open, high, low,
        previousClose, timestamp;
};

std::optional<json::Value> *slotFor(Fields &f, std::string_view key)
{
    switch (key.size()) {
    case 1: return key == "v" ? &f.v : nullptr;
    case 2: return key == "ts" ? &f.ts : key == "id" ? &f.id : nullptr;
    case 3: return key == "low" ? &f.low : nullptr;
    case 4: return key == "kind" ? &f.kind : key == "open" ? &f.open : key == "high" ? &f.high : nullptr;
    case 5: return key == "price" ? &f.price : nullptr;
    case 6: return key == "source" ? &f.source : key == "symbol" ? &f.symbol : key == "volume" ? &f.volume : nullptr;
    case 8: return key == "currency" ? &f.currency : nullptr;
    case 9: return key == "timestamp" ? &f.timestamp : nullptr;
    case 14: return key == "previous_close" ? &f.previousClose : nullptr;
    default: return nullptr;
    }
}

std::string wrongType(std::string_view field, std::string_view expected, const json::Value &v)
{
    std::string s = "field '";
    s += field;
    s += "' must be ";
    s += expected;
    s += ", got ";
    s += typeName(v.type);
    return s;
}

std::optional<DecodeError> readNumber(const std::optional<json::Value> &v, std::string_view field, double &out)
{
    if (!v)
        return err("missing_field", "missing field '" + std::string(field) + "'");
    if (v->type != json::ValueType::Number)
        return err("wrong_type", wrongType(field, "a number", *v));
    const auto *b = v->raw.data();
    const auto *e = b + v->raw.size();
    auto [ptr, ec] = std::from_chars(b, e, out);
    if (ec != std::errc() || ptr != e || !std::isfinite(out))
        return err("bad_value", "field '" + std::string(field) + "' is not a finite number: " + std::string(v->raw));
    return std::nullopt;
}

// Optional numbers: absent or null → nullopt.
std::optional<DecodeError> readOptionalNumber(const std::optional<json::Value> &v, std::string_view field,
                                              std::optional<double> &out)
{
    if (!v || v->type == json::ValueType::Null) {
        out.reset();
        return std::nullopt;
    }
    double d = 0;
    if (auto e = readNumber(v, field, d))
        return e;
    out = d;
    return std::nullopt;
}

// Why `text` cannot be the value of `field` (empty when it can). The bytes are valid UTF-8 already
// when they come through the scanner (checkUtf8 false: the hot path pays once); callers from
// elsewhere (the command line) get them checked.
std::string textProblem(std::string_view field, std::string_view text, size_t maxBytes, bool checkUtf8)
{
    // The name is built only on failure: this runs for five fields of every tick.
    auto name = [field] { return "field '" + std::string(field) + "'"; };
    if (text.empty())
        return name() + " must not be empty";
    if (text.size() > maxBytes)
        return name() + " is longer than " + std::to_string(maxBytes) + " bytes";
    for (const char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return name() + " contains a control character";
    }
    if (text.front() == ' ' || text.back() == ' ')
        return name() + " must not be blank or start or end with a space";
    if (checkUtf8) {
        if (std::string bad = json::utf8Problem(text); !bad.empty())
            return name() + ": " + bad;
    }
    return {};
}

std::optional<DecodeError> readString(const std::optional<json::Value> &v, std::string_view field, std::string &out,
                                      size_t maxBytes)
{
    if (!v)
        return err("missing_field", "missing field '" + std::string(field) + "'");
    if (v->type != json::ValueType::String)
        return err("wrong_type", wrongType(field, "a string", *v));
    if (v->hasEscapes) {
        if (!json::unescape(v->raw, out))
            return err("invalid_json", "bad escape sequence in field '" + std::string(field) + "'");
    } else {
        out.assign(v->raw);
        // The hot path: the scanner already refused raw bytes below 0x20, so only the cheap rules
        // remain; anything doubtful gets the full check (and its words) below.
        if (!out.empty() && out.size() <= maxBytes && out.front() != ' ' && out.back() != ' '
            && std::memchr(out.data(), 0x7F, out.size()) == nullptr)
            return std::nullopt;
    }
    if (std::string bad = textProblem(field, out, maxBytes, false); !bad.empty())
        return err("bad_value", std::move(bad));
    return std::nullopt;
}

std::optional<DecodeError> checkPriceVolume(const Tick &t)
{
    if (!(t.price > 0))
        return err("non_positive_price", "price must be > 0, got " + std::to_string(t.price));
    if (t.volume < 0)
        return err("negative_volume", "volume must be >= 0, got " + std::to_string(t.volume));
    // Candles sum price × volume for the VWAP: a tick whose own product is not finite poisons them.
    if (!std::isfinite(t.price * t.volume))
        return err("bad_value", "price × volume is not a finite number (price " + std::to_string(t.price) + ", volume "
                                    + std::to_string(t.volume) + ")");
    return std::nullopt;
}

std::optional<DecodeError> checkTimestamp(qint64 tsMs)
{
    if (tsMs < kMinSaneTsMs || tsMs >= kMaxSaneTsMs)
        return err("absurd_timestamp", "event time " + std::to_string(tsMs)
                                           + " ms is outside 2000-01-01..2100-01-01 (expected ms since the Unix epoch)");
    return std::nullopt;
}

std::optional<DecodeError> readQuoteExtras(const Fields &f, Tick &t)
{
    if (auto e = readOptionalNumber(f.open, "open", t.open)) return e;
    if (auto e = readOptionalNumber(f.high, "high", t.high)) return e;
    if (auto e = readOptionalNumber(f.low, "low", t.low)) return e;
    if (auto e = readOptionalNumber(f.previousClose, "previous_close", t.previousClose)) return e;
    for (const auto *o : {&t.open, &t.high, &t.low, &t.previousClose}) {
        if (*o && !(**o > 0))
            return err("bad_value", "open/high/low/previous_close must be > 0 when present");
    }
    return std::nullopt;
}

DecodeResult decodeV1(const Fields &f, AssetClass asset)
{
    double version = 0;
    if (auto e = readNumber(f.v, "v", version)) return *e;
    if (version != 1)
        return err("unknown_version", "unsupported schema version " + std::string(f.v->raw) + " (this build reads v1)");

    Tick t;
    t.asset = asset;
    std::string text;
    if (auto e = readString(f.source, "source", text, 32)) return *e;
    const auto source = sourceKindFromString(text);
    if (!source)
        return err("unknown_source", "unknown source '" + text + "' (simulator, replay, cryptocompare, finnhub)");
    t.source = *source;
    if (auto e = readString(f.kind, "kind", text, 16)) return *e;
    const auto kind = tickKindFromString(text);
    if (!kind)
        return err("unknown_kind", "unknown kind '" + text + "' (trade or quote)");
    t.kind = *kind;
    if (auto e = readString(f.symbol, "symbol", t.symbol, kMaxSymbolBytes)) return *e;
    if (f.currency) {
        if (auto e = readString(f.currency, "currency", t.currency, kMaxCurrencyBytes)) return *e;
    }
    if (auto e = readNumber(f.price, "price", t.price)) return *e;
    if (f.volume) {
        if (auto e = readNumber(f.volume, "volume", t.volume)) return *e;
    }
    if (auto e = checkPriceVolume(t)) return *e;

    if (!f.ts)
        return err("missing_field", "missing field 'ts'");
    if (f.ts->type != json::ValueType::Number)
        return err("wrong_type", wrongType("ts", "an integer (ms since the Unix epoch)", *f.ts));
    const auto *b = f.ts->raw.data();
    const auto *end = b + f.ts->raw.size();
    auto [ptr, ec] = std::from_chars(b, end, t.tsMs);
    if (ec != std::errc() || ptr != end)
        return err("wrong_type", "field 'ts' must be an integer number of milliseconds, got " + std::string(f.ts->raw));
    if (auto e = checkTimestamp(t.tsMs)) return *e;

    if (auto e = readString(f.id, "id", t.id, kMaxIdBytes)) return *e;
    if (auto e = readQuoteExtras(f, t)) return *e;
    return t;
}

// The original Python producers: {"symbol","price","timestamp"} (+ stock extras), float seconds.
DecodeResult decodeLegacy(const Fields &f, AssetClass asset)
{
    Tick t;
    t.asset = asset;
    // The original crypto producer polled CryptoCompare, the stock producer Finnhub; both sent quotes.
    t.source = asset == AssetClass::Crypto ? SourceKind::CryptoCompare : SourceKind::Finnhub;
    t.kind = TickKind::Quote;
    if (auto e = readString(f.symbol, "symbol", t.symbol, kMaxSymbolBytes)) return *e;
    if (auto e = readNumber(f.price, "price", t.price)) return *e;
    if (auto e = checkPriceVolume(t)) return *e;
    double seconds = 0;
    if (auto e = readNumber(f.timestamp, "timestamp", seconds)) return *e;
    const double ms = std::round(seconds * 1000.0);
    if (!(ms >= double(kMinSaneTsMs) && ms < double(kMaxSaneTsMs)))
        return err("absurd_timestamp", "timestamp " + std::string(f.timestamp->raw)
                                           + " s is outside 2000-01-01..2100-01-01 (legacy messages carry seconds)");
    t.tsMs = static_cast<qint64>(ms);
    if (auto e = readQuoteExtras(f, t)) return *e;
    // Derived id: the event time in ms. A re-sent message dedupes; two quotes in one ms collapse.
    t.id = "legacy-" + std::to_string(t.tsMs);
    return t;
}

void appendNumber(std::string &out, double d)
{
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, ptr);
}

void appendInt(std::string &out, qint64 i)
{
    char buf[24];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, i);
    out.append(buf, ptr);
}

}  // namespace

std::string symbolProblem(std::string_view symbol)
{
    return textProblem("symbol", symbol, kMaxSymbolBytes, true);
}

std::string currencyProblem(std::string_view currency)
{
    return textProblem("currency", currency, kMaxCurrencyBytes, true);
}

std::optional<DecodeError> validateTick(const Tick &t)
{
    auto text = [](std::string_view field, const std::string &value, size_t maxBytes) -> std::optional<DecodeError> {
        if (std::string bad = textProblem(field, value, maxBytes, true); !bad.empty())
            return err("bad_value", std::move(bad));
        return std::nullopt;
    };
    if (auto e = text("symbol", t.symbol, kMaxSymbolBytes)) return e;
    if (auto e = text("currency", t.currency, kMaxCurrencyBytes)) return e;
    if (auto e = text("id", t.id, kMaxIdBytes)) return e;
    if (!std::isfinite(t.price) || !std::isfinite(t.volume))
        return err("bad_value", "price and volume must be finite numbers");
    if (auto e = checkPriceVolume(t)) return e;
    if (auto e = checkTimestamp(t.tsMs)) return e;
    for (const auto *o : {&t.open, &t.high, &t.low, &t.previousClose}) {
        if (*o && !(std::isfinite(**o) && **o > 0))
            return err("bad_value", "open/high/low/previous_close must be finite and > 0 when present");
    }
    return std::nullopt;
}

void encodeTick(const Tick &t, std::string &out)
{
    out += R"({"v":1,"source":")";
    out += wireName(t.source);
    out += R"(","kind":")";
    out += wireName(t.kind);
    out += R"(","symbol":)";
    json::appendQuoted(out, t.symbol);
    out += R"(,"currency":)";
    json::appendQuoted(out, t.currency);
    out += R"(,"price":)";
    appendNumber(out, t.price);
    out += R"(,"volume":)";
    appendNumber(out, t.volume);
    out += R"(,"ts":)";
    appendInt(out, t.tsMs);
    out += R"(,"id":)";
    json::appendQuoted(out, t.id);
    const std::pair<const char *, const std::optional<double> *> extras[] = {
        {R"(,"open":)", &t.open}, {R"(,"high":)", &t.high}, {R"(,"low":)", &t.low},
        {R"(,"previous_close":)", &t.previousClose}};
    for (const auto &[name, value] : extras) {
        if (*value) {
            out += name;
            appendNumber(out, **value);
        }
    }
    out += '}';
}

std::string encodeTick(const Tick &tick)
{
    std::string out;
    out.reserve(192);
    encodeTick(tick, out);
    return out;
}

DecodeResult decodeTick(std::string_view jsonText, AssetClass topicAsset)
{
    if (jsonText.empty())
        return err("empty_message", "empty message");
    if (jsonText.size() > kMaxMessageBytes)
        return err("too_large", "message of " + std::to_string(jsonText.size()) + " bytes exceeds "
                                    + std::to_string(kMaxMessageBytes));
    json::FlatObjectScanner scanner(jsonText);
    auto scanError = [&scanner] {
        return err(scanner.encodingError() ? "invalid_utf8" : "invalid_json", scanner.error());
    };
    if (!scanner.begin())
        return scanError();
    Fields f;
    std::string_view key;
    bool keyEsc = false;
    json::Value value;
    std::string unescapedKey;
    while (scanner.next(key, keyEsc, value)) {
        if (keyEsc) {
            if (!json::unescape(key, unescapedKey))
                return err("invalid_json", "bad escape sequence in a key");
            key = unescapedKey;
        }
        if (auto *slot = slotFor(f, key)) {
            if (*slot)
                return err("invalid_json", "duplicate field '" + std::string(key) + "'");
            *slot = value;
        }
    }
    if (!scanner.finish())
        return scanError();

    if (f.v)
        return decodeV1(f, topicAsset);
    if (f.timestamp && !f.ts)
        return decodeLegacy(f, topicAsset);
    return err("missing_field", "missing field 'v' (schema version) and no legacy 'timestamp'");
}

}  // namespace ms
