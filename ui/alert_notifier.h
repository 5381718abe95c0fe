#pragma once
// Desktop notifications for price alerts (QSystemTrayIcon), only where a system tray exists (never
// on the offscreen platform), and the wiring of the Alerts panel to the chart markers.
#include "storage/alert_history.h"

#include <QObject>

class QSystemTrayIcon;

namespace ms::ui {

class AlertsPanel;
class ChartPanel;

class AlertNotifier : public QObject
{
    Q_OBJECT
public:
    explicit AlertNotifier(QObject *parent = nullptr);
    bool available() const { return m_tray != nullptr; }
    int shown() const { return m_shown; } // notifications shown (tests)
    void notify(const std::vector<StoredAlert> &fresh);

private:
    QSystemTrayIcon *m_tray = nullptr;
    int m_shown = 0;
};

// Every read of the panel refreshes the chart's markers; new triggers are notified.
void connectAlerts(AlertsPanel *panel, ChartPanel *charts, AlertNotifier *notifier);

} // namespace ms::ui
