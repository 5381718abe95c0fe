#include "processing/market_hours.h"

#include <algorithm>

namespace ms {

namespace {

constexpr qint64 kDayMs = 86400000;
constexpr qint64 kHourMs = 3600000;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

struct Civil
{
    qint64 y;
    unsigned m, d;
};

Civil civilFromDays(qint64 z)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {qint64(yoe) + era * 400 + (m <= 2), m, d};
}

// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
int weekday(qint64 days)
{
    const qint64 w = (days + 4) % 7;
    return int(w < 0 ? w + 7 : w);
}

// Day number of the n-th Sunday (1-based) of month m in year y.
qint64 nthSunday(qint64 y, unsigned m, int n)
{
    const qint64 first = daysFromCivil(y, m, 1);
    const int toSunday = (7 - weekday(first)) % 7;
    return first + toSunday + 7 * (n - 1);
}

// Whether New York keeps daylight time on local date `days` (the session is hours away from the
// 02:00 switch, so the date decides).
bool newYorkDaylight(qint64 days)
{
    const qint64 y = civilFromDays(days).y;
    if (y >= 2007)
        return days >= nthSunday(y, 3, 2) && days < nthSunday(y, 11, 1);
    // 1987-2006: first Sunday of April to the last Sunday of October.
    return days >= nthSunday(y, 4, 1) && days < nthSunday(y, 11, 1) - 7;
}

SessionSpan sessionOfLocalDay(qint64 days)
{
    const int wd = weekday(days);
    if (wd == 0 || wd == 6)
        return {};
    const qint64 offsetMs = (newYorkDaylight(days) ? 4 : 5) * kHourMs; // local + offset = UTC
    const qint64 midnightUtc = days * kDayMs + offsetMs;
    return {midnightUtc + 9 * kHourMs + 30 * 60000, midnightUtc + 16 * kHourMs};
}

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

} // namespace

SessionSpan nyseSessionOn(qint64 utcMs)
{
    // The New York date: UTC−5 or −4; try the EST date and the day after, the one whose local
    // midnight range contains the instant wins.
    for (qint64 days = floorDiv(utcMs - 5 * kHourMs, kDayMs);; ++days) {
        const qint64 offsetMs = (newYorkDaylight(days) ? 4 : 5) * kHourMs;
        const qint64 start = days * kDayMs + offsetMs;
        if (utcMs < start + kDayMs)
            return sessionOfLocalDay(days);
    }
}

qint64 openMarketMs(AssetClass asset, qint64 fromMs, qint64 toMs)
{
    if (toMs <= fromMs)
        return 0;
    if (asset == AssetClass::Crypto)
        return toMs - fromMs;
    // Whole local days from the day before `from` to the day after `to` (sessions end by 21:00 UTC,
    // so a day's session never spills into the next UTC day; the margin keeps that simple).
    const qint64 firstDay = floorDiv(fromMs, kDayMs) - 1;
    const qint64 lastDay = floorDiv(toMs, kDayMs) + 1;
    qint64 open = 0;
    for (qint64 d = firstDay; d <= lastDay; ++d) {
        const SessionSpan s = sessionOfLocalDay(d);
        if (s.closeMs <= s.openMs)
            continue;
        const qint64 a = std::max(s.openMs, fromMs);
        const qint64 b = std::min(s.closeMs, toMs);
        if (b > a)
            open += b - a;
    }
    return open;
}

} // namespace ms
