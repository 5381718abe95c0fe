#include "storage/row_format.h"

#include <QtEndian>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>

namespace ms::rowfmt {

namespace {

inline void put2(char *p, unsigned v)
{
    p[0] = char('0' + v / 10);
    p[1] = char('0' + v % 10);
}

} // namespace

qint32 utcDateKey(qint64 epochMs)
{
    epochMs = std::clamp<qint64>(epochMs, -62135596800000LL, 253402300799999LL);
    using namespace std::chrono;
    const year_month_day c{floor<days>(sys_time<milliseconds>{milliseconds{epochMs}})};
    return qint32(int(c.year()) * 10000 + int(unsigned(c.month())) * 100 + int(unsigned(c.day())));  // ≤ 99991231
}

void appendUtcTimestamp(std::string &out, qint64 epochMs)
{
    // Years 0001..9999 only (INT64_MIN "no watermark yet" must not overflow the arithmetic).
    epochMs = std::clamp<qint64>(epochMs, -62135596800000LL, 253402300799999LL);
    // C++20 calendar types: floor<days> rounds towards the past, so a negative time lands on the
    // day before the epoch with a non-negative time of day.
    using namespace std::chrono;
    const sys_time<milliseconds> at{milliseconds{epochMs}};
    const sys_days day = floor<days>(at);
    const year_month_day c{day};
    const qint64 msOfDay = (at - day).count();
    const unsigned secOfDay = static_cast<unsigned>(msOfDay / 1000);
    const unsigned ms = static_cast<unsigned>(msOfDay % 1000);
    char buf[23];
    const unsigned y = static_cast<unsigned>(std::clamp(int(c.year()), 0, 9999));
    buf[0] = char('0' + y / 1000);
    buf[1] = char('0' + y / 100 % 10);
    buf[2] = char('0' + y / 10 % 10);
    buf[3] = char('0' + y % 10);
    buf[4] = '-';
    put2(buf + 5, unsigned(c.month()));
    buf[7] = '-';
    put2(buf + 8, unsigned(c.day()));
    buf[10] = ' ';
    put2(buf + 11, secOfDay / 3600);
    buf[13] = ':';
    put2(buf + 14, secOfDay / 60 % 60);
    buf[16] = ':';
    put2(buf + 17, secOfDay % 60);
    buf[19] = '.';
    buf[20] = char('0' + ms / 100);
    buf[21] = char('0' + ms / 10 % 10);
    buf[22] = char('0' + ms % 10);
    out.append(buf, sizeof buf);
}

void appendPgTimestamp(std::string &out, qint64 epochMs)
{
    appendUtcTimestamp(out, epochMs);
    out += "+00";
}

std::optional<qint64> parseUtcTimestamp(std::string_view t)
{
    auto num = [&](size_t pos, size_t len) -> std::optional<unsigned> {
        if (pos + len > t.size())
            return std::nullopt;
        unsigned v = 0;
        for (size_t i = pos; i < pos + len; ++i) {
            if (t[i] < '0' || t[i] > '9')
                return std::nullopt;
            v = v * 10 + unsigned(t[i] - '0');
        }
        return v;
    };
    if (t.size() < 19 || t[4] != '-' || t[7] != '-' || (t[10] != ' ' && t[10] != 'T') ||
        t[13] != ':' || t[16] != ':')
        return std::nullopt;
    const auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
               s = num(17, 2);
    if (!y || !mo || !d || !h || !mi || !s || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 ||
        *mi > 59 || *s > 60)
        return std::nullopt;
    size_t pos = 19;
    qint64 ms = 0;
    if (pos < t.size() && t[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
            if (digits < 3)
                ms = ms * 10 + (t[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0)
            return std::nullopt;
        for (int i = digits; i < 3; ++i)
            ms *= 10;
    }
    const std::string_view zone = t.substr(pos);
    if (!(zone.empty() || zone == "Z" || zone == "+00" || zone == "+00:00" || zone == "+0000"))
        return std::nullopt;
    using namespace std::chrono;
    const year_month_day date{year{int(*y)}, month{*mo}, day{*d}};
    if (!date.ok()) // 2023-02-30 is no date (it used to roll over into March)
        return std::nullopt;
    const qint64 dayCount = sys_days{date}.time_since_epoch().count();
    return ((dayCount * 24 + *h) * 60 + *mi) * 60000LL + qint64(*s) * 1000 + ms;
}

void appendDouble(std::string &out, double v)
{
    if (std::isnan(v)) {
        out += "NaN";
        return;
    }
    if (std::isinf(v)) {
        out += v > 0 ? "Infinity" : "-Infinity";
        return;
    }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void appendInt(std::string &out, qint64 v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void appendCopyText(std::string &out, std::string_view s)
{
    size_t start = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const char *esc = nullptr;
        switch (c) {
        case '\\':
            esc = "\\\\";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        default:
            continue;
        }
        out.append(s.data() + start, i - start);
        out += esc;
        start = i + 1;
    }
    out.append(s.data() + start, s.size() - start);
}

static void appendOptional(std::string &out, const std::optional<double> &v)
{
    if (v)
        rowfmt::appendDouble(out, *v);
    else
        rowfmt::appendCopyNull(out);
}

void appendCopyTickRow(std::string &out, const Tick &t)
{
    rowfmt::appendCopyText(out, t.symbol);
    out += '\t';
    rowfmt::appendDouble(out, t.price);
    out += '\t';
    rowfmt::appendPgTimestamp(out, t.tsMs);
    out += '\t';
    rowfmt::appendCopyText(out, t.currency);
    out += '\t';
    rowfmt::appendDouble(out, t.volume);
    out += '\t';
    out += ms::wireName(t.source);
    out += '\t';
    out += ms::wireName(t.kind);
    out += '\t';
    rowfmt::appendCopyText(out, t.id);
    out += '\t';
    appendOptional(out, t.high);
    out += '\t';
    appendOptional(out, t.low);
    out += '\t';
    appendOptional(out, t.open);
    out += '\t';
    appendOptional(out, t.previousClose);
    out += '\t';
    rowfmt::appendInt(out, utcDateKey(t.tsMs));
    out += '\n';
}

namespace {

void put16(std::string &out, quint16 v)
{
    const quint16 be = qToBigEndian(v);
    out.append(reinterpret_cast<const char *>(&be), 2);
}

void put32(std::string &out, quint32 v)
{
    const quint32 be = qToBigEndian(v);
    out.append(reinterpret_cast<const char *>(&be), 4);
}

void put64(std::string &out, quint64 v)
{
    const quint64 be = qToBigEndian(v);
    out.append(reinterpret_cast<const char *>(&be), 8);
}

void binText(std::string &out, std::string_view s)
{
    put32(out, quint32(s.size()));
    out.append(s.data(), s.size());
}

void binDouble(std::string &out, double v)
{
    put32(out, 8);
    quint64 bits;
    std::memcpy(&bits, &v, 8);
    put64(out, bits);
}

void binOptional(std::string &out, const std::optional<double> &v)
{
    if (v)
        binDouble(out, *v);
    else
        put32(out, 0xffffffffu); // -1: NULL
}

constexpr qint64 kPgEpochMs = 946684800000LL; // 2000-01-01 00:00:00 UTC

} // namespace

void appendCopyBinaryHeader(std::string &out)
{
    out.append("PGCOPY\n\377\r\n\0", 11);
    put32(out, 0); // flags: no OIDs
    put32(out, 0); // header extension length
}

void appendCopyBinaryTickRow(std::string &out, const Tick &t)
{
    put16(out, 13);
    binText(out, t.symbol);
    binDouble(out, t.price);
    put32(out, 8);
    put64(out, quint64((t.tsMs - kPgEpochMs) * 1000));
    binText(out, t.currency);
    binDouble(out, t.volume);
    binText(out, wireName(t.source));
    binText(out, wireName(t.kind));
    binText(out, t.id);
    binOptional(out, t.high);
    binOptional(out, t.low);
    binOptional(out, t.open);
    binOptional(out, t.previousClose);
    put32(out, 4);
    put32(out, quint32(utcDateKey(t.tsMs)));
}

void appendCopyBinaryTrailer(std::string &out)
{
    put16(out, 0xffffu); // -1
}

} // namespace ms::rowfmt
