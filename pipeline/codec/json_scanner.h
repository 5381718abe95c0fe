#pragma once
// A strict, allocation-light scanner for FLAT JSON objects (the tick messages): string keys with
// scalar values. Nested objects/arrays are validated and skipped as "other". Used by the tick codec,
// whose throughput target (≥ 2M messages/s on one core) rules out building a DOM.
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

private:
    void skipWs();
    bool parseString(std::string_view &out, bool &hasEscapes);
    bool parseNumber(std::string_view &out);
    bool skipNested(int depth);
    bool fail(std::string message);
    size_t offset() const;

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    bool m_first = true;
    bool m_done = false;
    std::string m_error;
};

// Decodes a JSON string body (escapes, \uXXXX incl. surrogate pairs → UTF-8). false on bad escapes.
bool unescape(std::string_view raw, std::string &out);
// Appends `s` as a JSON string literal (with quotes) to out.
void appendQuoted(std::string &out, std::string_view s);

}  // namespace ms::json
