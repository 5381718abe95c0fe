#pragma once
// The price axis range, kept still while the visible values move inside it. Every change of an
// axis range makes Qt Charts re-lay the axis labels and recompute the geometry of every series
// on the chart, so a range that followed each frame's min/max would cost a full relayout per frame.
// Pure logic.
#include <optional>

namespace ms::ui {

struct ValueRange
{
    double lo = 0, hi = 0;
    bool operator==(const ValueRange &) const = default;
};

// The range to show for visible values [lo, hi] when the axis shows `current` now: nullopt keeps
// `current` (the values fit and still use at least half of it), else a fresh range with a margin
// of kValueMargin of the values' span on both sides (a flat line gets a small band around it).
std::optional<ValueRange> nextValueRange(const std::optional<ValueRange> &current, double lo, double hi);

inline constexpr double kValueMargin = 0.1;

}  // namespace ms::ui
