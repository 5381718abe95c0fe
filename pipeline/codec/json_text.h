#pragma once
// Text helpers of the JSON codec: strict UTF-8 checks, JSON string escapes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ms::json {

inline int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Length of the strict UTF-8 sequence at p (Unicode 15, table 3-7: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 with `problem` set to the reason in words. p < end.
size_t utf8SequenceLength(const unsigned char *p, const unsigned char *end, const char *&problem);
// Empty when `s` is strict UTF-8 without NUL; otherwise why not (e.g. "overlong encoding at byte
// 3").
std::string utf8Problem(std::string_view s);
// Decodes a JSON string body (escapes, \uXXXX incl. surrogate pairs → UTF-8). false on bad escapes.
bool unescape(std::string_view raw, std::string &out);
// Appends `s` as a JSON string literal (with quotes) to out.
void appendQuoted(std::string &out, std::string_view s);

} // namespace ms::json
