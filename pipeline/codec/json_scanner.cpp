#include "codec/json_scanner.h"

namespace ms::json {

namespace {
inline bool isWs(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
inline int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
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

bool FlatObjectScanner::parseString(std::string_view &out, bool &hasEscapes)
{
    // m_p is at the opening quote.
    ++m_p;
    const char *start = m_p;
    hasEscapes = false;
    while (m_p < m_end) {
        const char c = *m_p;
        if (c == '"') {
            out = std::string_view(start, static_cast<size_t>(m_p - start));
            ++m_p;
            return true;
        }
        if (c == '\\') {
            hasEscapes = true;
            m_p += 2;
            continue;
        }
        if (static_cast<unsigned char>(c) < 0x20)
            return fail("control character in string");
        ++m_p;
    }
    return fail("unterminated string");
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

bool FlatObjectScanner::skipNested(int depth)
{
    // m_p is at '{' or '['. Validates loosely (strings and brackets), enough to skip safely.
    if (depth > 32)
        return fail("nesting too deep");
    const char open = *m_p;
    const char close = open == '{' ? '}' : ']';
    ++m_p;
    while (m_p < m_end) {
        skipWs();
        if (m_p >= m_end)
            break;
        const char c = *m_p;
        if (c == close) {
            ++m_p;
            return true;
        }
        if (c == '"') {
            std::string_view s;
            bool esc;
            if (!parseString(s, esc))
                return false;
        } else if (c == '{' || c == '[') {
            if (!skipNested(depth + 1))
                return false;
        } else if (c == '}' || c == ']') {
            return fail("mismatched bracket");
        } else {
            ++m_p;
        }
    }
    return fail("unterminated nested value");
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
        if (!skipNested(0))
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

static void appendUtf8(std::string &out, uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

static bool readHex4(std::string_view raw, size_t i, uint32_t &cp)
{
    if (i + 4 > raw.size())
        return false;
    cp = 0;
    for (size_t k = 0; k < 4; ++k) {
        const int h = hexValue(raw[i + k]);
        if (h < 0)
            return false;
        cp = (cp << 4) | static_cast<uint32_t>(h);
    }
    return true;
}

bool unescape(std::string_view raw, std::string &out)
{
    out.clear();
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= raw.size())
            return false;
        switch (raw[i]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
            uint32_t cp;
            if (!readHex4(raw, i + 1, cp))
                return false;
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (i + 2 >= raw.size() || raw[i + 1] != '\\' || raw[i + 2] != 'u' || !readHex4(raw, i + 3, lo)
                    || lo < 0xDC00 || lo > 0xDFFF)
                    return false;
                i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return false;
            }
            appendUtf8(out, cp);
            break;
        }
        default: return false;
        }
    }
    return true;
}

void appendQuoted(std::string &out, std::string_view s)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            switch (c) {
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 0xF];
            }
        } else {
            out += c;
        }
    }
    out += '"';
}

}  // namespace ms::json
