#pragma once
// Checked unit conversions for provider times. Providers send integers of their choosing; a
// seconds → ms product that does not fit in qint64 is signed overflow (undefined behaviour) and, in
// a release build, wraps to an arbitrary value that can land in a plausible year and pass every
// later check. Each conversion therefore either fits or is refused (nullopt), never wraps.
#include <QtGlobal>
#include <optional>

namespace ms::checked {

inline std::optional<qint64> mul(qint64 a, qint64 b)
{
    qint64 r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        return std::nullopt;
    return r;
}

inline std::optional<qint64> add(qint64 a, qint64 b)
{
    qint64 r = 0;
    if (__builtin_add_overflow(a, b, &r))
        return std::nullopt;
    return r;
}

inline std::optional<qint64> secondsToMs(qint64 seconds)
{
    return mul(seconds, 1000);
}

} // namespace ms::checked
