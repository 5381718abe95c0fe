#include "codec/json_scanner.h"

#include <array>

namespace ms::json {

namespace {
// Bytes a JSON string may hold as they are: printable ASCII except '"' and '\\'. Everything else
// (quote, escape, control characters, UTF-8 lead and continuation bytes) takes the slow path.
constexpr auto kPlainStringByte = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c)
        plain[size_t(c)] = c != '"' && c != '\\';
    return plain;
}();

inline bool isWs(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
}  // namespace

size_t FlatObjectScanner::offset() const
{
    return static_cast<size_t>(m_p - m_begin);
}

bool FlatObjectScanner::fail(std::string message)
{
    if (m_error.empty())
        m_error = std::move(message) + " at byte " + std::to_string(offset());
    return false;
}

void FlatObjectScanner::skipWs()
{
    while (m_p < m_end && isWs(*m_p))
        ++m_p;
}

bool FlatObjectScanner::begin()
{
    skipWs();
    if (m_p == m_end)
        return fail("empty document");
    if (*m_p != '{')
        return fail("expected a JSON object");
    ++m_p;
    return true;
}

bool FlatObjectScanner::failEncoding(std::string message)
{
    if (m_error.empty())
        m_encodingError = true;
    return fail(std::move(message));
}

bool FlatObjectScanner::parseString(std::string_view &out, bool &hasEscapes)
{
    // m_p is at the opening quote.
    ++m_p;
    const char *start = m_p;
    hasEscapes = false;
    while (m_p < m_end) {
        // The hot path: a run of plain printable ASCII costs one table load per byte.
        while (m_p < m_end && kPlainStringByte[static_cast<unsigned char>(*m_p)])
            ++m_p;
        if (m_p >= m_end)
            break;
        const auto c = static_cast<unsigned char>(*m_p);
        if (c >= 0x80) {
            if (!parseUtf8Sequence())
                return false;
            continue;
        }
        if (c == '"') {
            out = std::string_view(start, static_cast<size_t>(m_p - start));
            ++m_p;
            return true;
        }
        if (c == '\\') {
            if (!parseEscape(hasEscapes))
                return false;
            continue;
        }
        return c == 0 ? failEncoding("NUL byte in string") : fail("control character in string");  // c < 0x20
    }
    return fail("unterminated string");
}

bool FlatObjectScanner::parseEscape(bool &hasEscapes)
{
    // m_p is at the backslash.
    hasEscapes = true;
    if (m_end - m_p < 2)
        return fail("unterminated string");
    switch (m_p[1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        m_p += 2;
        return true;
    case 'u': break;
    default: return fail("bad escape sequence in string");
    }
    auto hex4 = [&](const char *at, uint32_t &cp) {
        if (m_end - at < 4)
            return false;
        cp = 0;
        for (int k = 0; k < 4; ++k) {
            const int h = hexValue(at[k]);
            if (h < 0)
                return false;
            cp = (cp << 4) | static_cast<uint32_t>(h);
        }
        return true;
    };
    uint32_t cp = 0;
    if (!hex4(m_p + 2, cp))
        return fail("bad \\u escape in string (needs 4 hex digits)");
    if (cp == 0)
        return failEncoding("NUL (\\u0000) in string");
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return failEncoding("unpaired surrogate escape in string");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        uint32_t lo = 0;
        if (m_end - m_p < 12 || m_p[6] != '\\' || m_p[7] != 'u' || !hex4(m_p + 8, lo) || lo < 0xDC00 || lo > 0xDFFF)
            return failEncoding("unpaired surrogate escape in string");
        m_p += 12;
        return true;
    }
    m_p += 6;
    return true;
}


bool FlatObjectScanner::parseUtf8Sequence()
{
    const char *problem = nullptr;
    const size_t len = utf8SequenceLength(reinterpret_cast<const unsigned char *>(m_p),
                                          reinterpret_cast<const unsigned char *>(m_end), problem);
    if (len == 0)
        return failEncoding(problem);
    m_p += len;
    return true;
}

bool FlatObjectScanner::parseNumber(std::string_view &out)
{
    const char *start = m_p;
    if (m_p < m_end && *m_p == '-')
        ++m_p;
    if (m_p >= m_end)
        return fail("truncated number");
    if (*m_p == '0') {
        ++m_p;
    } else if (isDigit(*m_p)) {
        while (m_p < m_end && isDigit(*m_p))
            ++m_p;
    } else {
        return fail("invalid number");
    }
    if (m_p < m_end && *m_p == '.') {
        ++m_p;
        if (m_p >= m_end || !isDigit(*m_p))
            return fail("invalid number");
        while (m_p < m_end && isDigit(*m_p))
            ++m_p;
    }
    if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
        ++m_p;
        if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
            ++m_p;
        if (m_p >= m_end || !isDigit(*m_p))
            return fail("invalid number");
        while (m_p < m_end && isDigit(*m_p))
            ++m_p;
    }
    out = std::string_view(start, static_cast<size_t>(m_p - start));
    return true;
}

bool FlatObjectScanner::parseLiteral(std::string_view word)
{
    if (static_cast<size_t>(m_end - m_p) < word.size() || std::string_view(m_p, word.size()) != word)
        return fail("invalid value");
    m_p += word.size();
    return true;
}

// Any JSON value inside an unknown nested field; nothing is kept, everything is checked.
bool FlatObjectScanner::parseValue(int depth)
{
    skipWs();
    if (m_p >= m_end)
        return fail("missing value");
    const char c = *m_p;
    std::string_view ignored;
    bool esc = false;
    switch (c) {
    case '"': return parseString(ignored, esc);
    case '{':
    case '[': return parseNested(depth + 1);
    case 't': return parseLiteral("true");
    case 'f': return parseLiteral("false");
    case 'n': return parseLiteral("null");
    default:
        if (c == '-' || isDigit(c))
            return parseNumber(ignored);
        return fail("invalid value");
    }
}

bool FlatObjectScanner::parseNested(int depth)
{
    // m_p is at '{' or '['.
    if (depth > 32)
        return fail("nesting too deep");
    const bool isObject = *m_p == '{';
    const char close = isObject ? '}' : ']';
    ++m_p;
    skipWs();
    if (m_p < m_end && *m_p == close) {
        ++m_p;
        return true;
    }
    while (true) {
        skipWs();
        if (isObject) {
            if (m_p >= m_end || *m_p != '"')
                return fail(m_p >= m_end ? "unterminated nested value" : "expected a string key");
            std::string_view key;
            bool esc = false;
            if (!parseString(key, esc))
                return false;
            skipWs();
            if (m_p >= m_end || *m_p != ':')
                return fail("expected ':'");
            ++m_p;
        }
        if (!parseValue(depth))
            return false;
        skipWs();
        if (m_p >= m_end)
            return fail("unterminated nested value");
        if (*m_p == close) {
            ++m_p;
            return true;
        }
        if (*m_p != ',')
            return fail(isObject ? "expected ',' or '}'" : "expected ',' or ']'");
        ++m_p;
    }
}

bool FlatObjectScanner::next(std::string_view &key, bool &keyHasEscapes, Value &value)
{
    if (m_done || failed())
        return false;
    skipWs();
    if (m_p >= m_end)
        return fail("unterminated object");
    if (*m_p == '}') {  // '}' right after a comma never gets here: the comma path wants a key
        ++m_p;
        m_done = true;
        return false;
    }
    if (!m_first) {
        if (*m_p != ',')
            return fail("expected ',' or '}'");
        ++m_p;
        skipWs();
    }
    if (m_p >= m_end || *m_p != '"')
        return fail("expected a string key");
    if (!parseString(key, keyHasEscapes))
        return false;
    skipWs();
    if (m_p >= m_end || *m_p != ':')
        return fail("expected ':'");
    ++m_p;
    skipWs();
    if (m_p >= m_end)
        return fail("missing value");
    const char c = *m_p;
    value.hasEscapes = false;
    if (c == '"') {
        value.type = ValueType::String;
        if (!parseString(value.raw, value.hasEscapes))
            return false;
    } else if (c == '-' || isDigit(c)) {
        value.type = ValueType::Number;
        if (!parseNumber(value.raw))
            return false;
    } else if (m_end - m_p >= 4 && std::string_view(m_p, 4) == "true") {
        value.type = ValueType::True;
        m_p += 4;
    } else if (m_end - m_p >= 5 && std::string_view(m_p, 5) == "false") {
        value.type = ValueType::False;
        m_p += 5;
    } else if (m_end - m_p >= 4 && std::string_view(m_p, 4) == "null") {
        value.type = ValueType::Null;
        m_p += 4;
    } else if (c == '{' || c == '[') {
        value.type = ValueType::Other;
        const char *start = m_p;
        if (!parseNested(0))
            return false;
        value.raw = std::string_view(start, static_cast<size_t>(m_p - start));
    } else {
        return fail("invalid value");
    }
    m_first = false;
    return true;
}

bool FlatObjectScanner::finish()
{
    if (failed())
        return false;
    if (!m_done)
        return fail("unterminated object");
    skipWs();
    if (m_p != m_end)
        return fail("trailing characters after the object");
    return true;
}

}  // namespace ms::json
