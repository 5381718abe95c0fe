#include "category_ticks.h"

#include <QCategoryAxis>

#include <algorithm>

namespace ms::ui {

void CategoryTicks::apply(double lo, double hi, const std::vector<AxisTick> &ticks)
{
    if (m_axis->min() != lo || m_axis->max() != hi)
        m_axis->setRange(lo, hi);
    // The categories only change with the ticks: a view following the live edge moves lo every
    // frame, and rebuilding them for that cost a full chart layout pass per frame (bench_charts).
    // So the first category starts well below the range (off screen: no grid line drawn there),
    // and stays valid while the view slides over the same ticks.
    if (ticks == m_ticks && m_axis->startValue() < lo)
        return;
    for (const QString &label : m_axis->categoriesLabels())
        m_axis->remove(label);
    m_axis->setStartValue(lo - 10 * std::max(hi - lo, 1.0));
    for (const AxisTick &t : ticks)
        if (t.value > lo && t.value <= hi) // categories must grow; labels must be unique
            m_axis->append(t.label, t.value);
    m_ticks = ticks;
}

} // namespace ms::ui
