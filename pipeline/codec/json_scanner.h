#pragma once
// A strict, allocation-light scanner for FLAT JSON objects (the tick messages): string keys with
// scalar values. Nested objects/arrays are fully validated (RFC 8259 grammar) and returned as "other".
// Every string anywhere in the document, keys and unknown fields included, must be strict UTF-8
// (no overlongs, no surrogates, nothing above U+10FFFF, no truncated sequences) with valid escapes
// and no NUL (raw or \u0000): PostgreSQL refuses such text, so it must never get past the decoder.
// Used by the tick codec, whose throughput target (≥ 2M messages/s on one core) rules out a DOM.
#include "codec/json_text.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ms::json {

enum class ValueType { String, Number, True, False, Null, Other };

struct Value
{
    ValueType type = ValueType::Null;
    std::string_view raw;  // numbers: the literal; strings: the content without quotes (escapes intact)
    bool hasEscapes = false;
};

class FlatObjectScanner
{
public:
    explicit FlatObjectScanner(std::string_view text)
        : m_begin(text.data()), m_p(text.data()), m_end(text.data() + text.size())
    {
    }

    // Call begin() once, then next() until it returns false; then check error().
    bool begin();
    bool next(std::string_view &key, bool &keyHasEscapes, Value &value);
    bool finish();  // after next() returned false without error: only whitespace may follow '}'
    const std::string &error() const { return m_error; }
    bool failed() const { return !m_error.empty(); }
    // The failure was bad text encoding (UTF-8 or NUL), not JSON syntax: reason "invalid_utf8".
    bool encodingError() const { return m_encodingError; }

private:
    void skipWs();
    bool parseString(std::string_view &out, bool &hasEscapes);
    bool parseEscape(bool &hasEscapes);
    bool parseUtf8Sequence();
    bool parseNumber(std::string_view &out);
    bool parseLiteral(std::string_view word);
    bool parseValue(int depth);
    bool parseNested(int depth);
    bool fail(std::string message);
    bool failEncoding(std::string message);
    size_t offset() const;

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    bool m_first = true;
    bool m_done = false;
    bool m_encodingError = false;
    std::string m_error;
};

}  // namespace ms::json
