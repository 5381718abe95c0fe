#pragma once
// The Alerts panel: the price alert rules (add, remove, list; kept in the settings, used by the
// next Start) and the triggers stored in the database (table alerts), newest first. The triggers
// are read on a worker thread every couple of seconds (storage/alert_history.h); the GUI thread
// never waits on the database. Triggers that appear after the first read are announced with
// triggersArrived (desktop notification, chart marker).
#include "storage/alert_history.h"

#include <QFutureWatcher>
#include <QWidget>
#include <set>
#include <tuple>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSettings;
class QTableWidget;
class QTimer;

namespace ms::ui {

class AlertsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit AlertsPanel(QSettings &settings, QWidget *parent = nullptr);
    ~AlertsPanel() override;

    // Canonical rule texts, in the order added.
    QStringList rules() const { return m_rules; }
    // Adds a rule (persisted at once); false with the reason shown under the field when it does
    // not parse or is there already.
    bool addRule(const QString &spec);
    void removeRule(const QString &rule);

    // Where the triggers are read from; starts the periodic read (every refreshMs).
    void setDatabaseUrl(const QString &url, int refreshMs = 2000);
    void refresh(); // one read now (skipped while one is running)
    const std::vector<StoredAlert> &triggers() const { return m_triggers; }
    int readsCompleted() const { return m_reads; }

    QLineEdit *ruleEdit() const { return m_edit; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }
    QListWidget *ruleList() const { return m_list; }
    QTableWidget *triggerTable() const { return m_table; }
    QLabel *errorLabel() const { return m_error; }

Q_SIGNALS:
    void rulesChanged(const QStringList &rules);
    void triggersArrived(const std::vector<ms::StoredAlert> &fresh); // new since the previous read
    void triggersLoaded();                                           // after every read

private:
    void save();
    void showTriggers(Result<std::vector<StoredAlert>> read);

    QSettings &m_settings;
    QStringList m_rules;
    QString m_url;
    std::vector<StoredAlert> m_triggers;
    std::set<std::tuple<std::string, int, std::string, std::string>>
        m_seen; // rule, source, symbol, id
    int m_reads = 0;
    QFutureWatcher<Result<std::vector<StoredAlert>>> m_watcher;
    QTimer *m_timer;
    QLineEdit *m_edit;
    QPushButton *m_add;
    QPushButton *m_remove;
    QListWidget *m_list;
    QLabel *m_error;
    QTableWidget *m_table;
    QLabel *m_status;
};

} // namespace ms::ui

Q_DECLARE_METATYPE(std::vector<ms::StoredAlert>)
