#include "codec/json_text.h"

namespace ms::json {

size_t utf8SequenceLength(const unsigned char *p, const unsigned char *end, const char *&problem)
{
    const unsigned lead = p[0];
    size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (lead < 0x80) {
        return 1;
    } else if (lead < 0xC0) {
        problem = "invalid UTF-8 (unexpected continuation byte)";
        return 0;
    } else if (lead < 0xC2) {
        problem = "invalid UTF-8 (overlong encoding)";
        return 0;
    } else if (lead < 0xE0) {
        len = 2;
    } else if (lead < 0xF0) {
        len = 3;
        if (lead == 0xE0) lo = 0xA0;
        if (lead == 0xED) hi = 0x9F;
    } else if (lead < 0xF5) {
        len = 4;
        if (lead == 0xF0) lo = 0x90;
        if (lead == 0xF4) hi = 0x8F;
    } else if (lead < 0xF8) {
        problem = "invalid UTF-8 (code point above U+10FFFF)";
        return 0;
    } else {
        problem = "invalid UTF-8 (byte 0xF8..0xFF)";
        return 0;
    }
    if (static_cast<size_t>(end - p) < 2 || (p[1] & 0xC0) != 0x80) {
        problem = "invalid UTF-8 (truncated sequence)";
        return 0;
    }
    if (p[1] < lo || p[1] > hi) {
        problem = lead == 0xED ? "invalid UTF-8 (encoded surrogate)"
                  : lead == 0xF4 ? "invalid UTF-8 (code point above U+10FFFF)"
                                 : "invalid UTF-8 (overlong encoding)";
        return 0;
    }
    for (size_t k = 2; k < len; ++k) {
        if (static_cast<size_t>(end - p) <= k || (p[k] & 0xC0) != 0x80) {
            problem = "invalid UTF-8 (truncated sequence)";
            return 0;
        }
    }
    return len;
}

std::string utf8Problem(std::string_view s)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const auto *end = p + s.size();
    while (p < end) {
        if (*p == 0)
            return "NUL byte at byte " + std::to_string(p - reinterpret_cast<const unsigned char *>(s.data()));
        const char *problem = nullptr;
        const size_t len = utf8SequenceLength(p, end, problem);
        if (len == 0)
            return std::string(problem) + " at byte " + std::to_string(p - reinterpret_cast<const unsigned char *>(s.data()));
        p += len;
    }
    return {};
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
