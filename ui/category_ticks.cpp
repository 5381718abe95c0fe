#include "category_ticks.h"

#include <QCategoryAxis>

namespace ms::ui {

void CategoryTicks::apply(double lo, double hi, const std::vector<AxisTick> &ticks)
{
    if (m_axis->min() != lo || m_axis->max() != hi)
        m_axis->setRange(lo, hi);
    if (ticks == m_ticks && m_axis->startValue() == lo)
        return;
    for (const QString &label : m_axis->categoriesLabels())
        m_axis->remove(label);
    m_axis->setStartValue(lo);
    for (const AxisTick &t : ticks)
        if (t.value > lo && t.value <= hi) // categories must grow; labels must be unique
            m_axis->append(t.label, t.value);
    m_ticks = ticks;
}

} // namespace ms::ui
