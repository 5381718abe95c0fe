#include "value_range.h"

#include <algorithm>
#include <cmath>

namespace ms::ui {

std::optional<ValueRange> nextValueRange(const std::optional<ValueRange> &current, double lo, double hi)
{
    if (hi < lo)
        std::swap(lo, hi);
    if (current && current->hi > current->lo && lo >= current->lo && hi <= current->hi
        && (hi - lo) >= 0.5 * (current->hi - current->lo))
        return std::nullopt;
    double pad = (hi - lo) * kValueMargin;
    if (pad <= 0)
        pad = std::max(std::abs(hi) * 0.001, 0.01);
    return ValueRange{lo - pad, hi + pad};
}

}  // namespace ms::ui
