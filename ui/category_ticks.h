#pragma once
// Puts AxisTicks on a QCategoryAxis (labels on the values, grid lines at them). Rebuilding the
// categories re-lays the axis, so it happens only when the ticks changed.
#include "axis_ticks.h"

#include <vector>

class QCategoryAxis;

namespace ms::ui {

class CategoryTicks
{
public:
    explicit CategoryTicks(QCategoryAxis *axis) : m_axis(axis) {}
    // Sets the range [lo, hi] and the ticks inside it.
    void apply(double lo, double hi, const std::vector<AxisTick> &ticks);
    const std::vector<AxisTick> &ticks() const { return m_ticks; }
    QCategoryAxis *axis() const { return m_axis; }

private:
    QCategoryAxis *m_axis;
    std::vector<AxisTick> m_ticks;
};

} // namespace ms::ui
