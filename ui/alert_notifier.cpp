#include "alert_notifier.h"

#include "alert_markers.h"
#include "alerts_panel.h"
#include "chart_panel.h"

#include <QApplication>
#include <QSystemTrayIcon>

namespace ms::ui {

AlertNotifier::AlertNotifier(QObject *parent) : QObject(parent)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(QStringLiteral("MarketStream"));
        m_tray->show();
    }
}

void AlertNotifier::notify(const std::vector<StoredAlert> &fresh)
{
    if (!m_tray || fresh.empty())
        return;
    // One bubble per read: a burst of triggers is one notification, not a stack of them.
    const AlertTrigger &newest = fresh.front().trigger;
    QString text = QStringLiteral("%1 at %2 (%3)")
                       .arg(QString::fromStdString(newest.rule))
                       .arg(newest.tick.price, 0, 'g', 12)
                       .arg(QString::fromStdString(newest.detail));
    if (fresh.size() > 1)
        text += tr(" and %n more", nullptr, int(fresh.size() - 1));
    m_tray->showMessage(tr("Price alert"), text, QSystemTrayIcon::Information, 8000);
    ++m_shown;
}

void connectAlerts(AlertsPanel *panel, ChartPanel *charts, AlertNotifier *notifier)
{
    QObject::connect(panel, &AlertsPanel::triggersArrived, notifier, &AlertNotifier::notify);
    QObject::connect(panel, &AlertsPanel::triggersLoaded, charts, [panel, charts] {
        std::vector<AlertMark> marks;
        for (const StoredAlert &a : panel->triggers())
            marks.push_back(AlertMark{QString::fromStdString(a.trigger.tick.symbol),
                                      a.trigger.tick.tsMs, a.trigger.tick.price,
                                      QString::fromStdString(a.trigger.rule)});
        charts->setAlertMarks(std::move(marks));
    });
}

} // namespace ms::ui
