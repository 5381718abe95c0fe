#pragma once
// The condition the chart tests wait for instead of sleeping: every chart of a panel has run its
// layout. A refresh changes the axes' ranges and labels, which invalidates the chart's layout and
// posts a LayoutRequest; until the event loop delivers it, plotArea() is the old one. Use it as
// QTRY_VERIFY(uitest::chartsLaidOut(panel)).
#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QWidget>

namespace ms::uitest {

inline bool chartsLaidOut(const QWidget &panel)
{
    const QList<QChartView *> views = panel.findChildren<QChartView *>();
    if (views.isEmpty())
        return false;
    for (const QChartView *view : views) {
        const QGraphicsLayout *layout = view->chart() ? view->chart()->layout() : nullptr;
        if (!layout || !layout->isActivated())
            return false;
    }
    return true;
}

} // namespace ms::uitest
