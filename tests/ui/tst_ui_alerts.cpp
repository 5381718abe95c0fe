// The Alerts panel: rules added/removed and persisted across launches (settings file), bad specs
// refused with the parser's reason, stored triggers listed (and announced once each), the chart
// markers placed at triggers, and the whole window: a Start with a rule lists its trigger.
#include "alert_markers.h"
#include "alert_notifier.h"
#include "alerts_panel.h"
#include "chart_panel.h"
#include "main_window.h"
#include "storage/database.h"
#include "storage/tick_store.h"
#include "ui_test_util.h"

#include <QChart>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace ms;

class TstUiAlerts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void rulesPersistAcrossLaunches();
    void badRulesRefused_data();
    void badRulesRefused();
    void storedTriggersListedAndAnnouncedOnce();
    void markersAtTriggers();
    void windowStartListsTriggers();

private:
    QString ini(const QString &name) const { return m_dir.filePath(name + QStringLiteral(".ini")); }
    QTemporaryDir m_dir;
};

void TstUiAlerts::rulesPersistAcrossLaunches()
{
    const QString file = ini(QStringLiteral("persist"));
    {
        QSettings settings(file, QSettings::IniFormat);
        ui::AlertsPanel panel(settings);
        QVERIFY(panel.rules().isEmpty());
        QSignalSpy changed(&panel, &ui::AlertsPanel::rulesChanged);
        panel.ruleEdit()->setText(QStringLiteral(" BTC > 50000 "));
        panel.addButton()->click();
        QCOMPARE(panel.rules(), QStringList{QStringLiteral("BTC>50000")});
        QVERIFY(panel.ruleEdit()->text().isEmpty());
        QVERIFY(panel.addRule(QStringLiteral("AAPL%5m>2")));
        QVERIFY(panel.addRule(QStringLiteral("ETH<2000")));
        QCOMPARE(changed.count(), 3);
        QCOMPARE(panel.ruleList()->count(), 3);
    }
    {
        QSettings settings(file, QSettings::IniFormat);
        ui::AlertsPanel panel(settings);
        QCOMPARE(panel.rules(),
                 (QStringList{QStringLiteral("BTC>50000"), QStringLiteral("AAPL%5m>2"),
                              QStringLiteral("ETH<2000")}));
        panel.ruleList()->setCurrentRow(1);
        panel.removeButton()->click();
        QCOMPARE(panel.ruleList()->count(), 2);
    }
    QSettings settings(file, QSettings::IniFormat);
    ui::AlertsPanel panel(settings);
    QCOMPARE(panel.rules(), (QStringList{QStringLiteral("BTC>50000"), QStringLiteral("ETH<2000")}));
    // The next Start of the window runs them.
    MainWindow w(uitest::simulatorConfig(m_dir.path()), file);
    QCOMPARE(w.effectiveConfig().alertRules, panel.rules());
    QVERIFY(w.findChild<QTabWidget *>(QStringLiteral("mainTabs"))->indexOf(w.alerts()) >= 0);
}

void TstUiAlerts::badRulesRefused_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("reason");
    QTest::newRow("no price") << QStringLiteral("BTC>")
                              << QStringLiteral("not a plain finite number");
    QTest::newRow("zero") << QStringLiteral("ETH<0") << QStringLiteral("must be > 0");
    QTest::newRow("bad window") << QStringLiteral("AAPL%5w>2") << QStringLiteral("window");
    QTest::newRow("duplicate") << QStringLiteral("BTC>5e4") << QStringLiteral("already a rule");
}

void TstUiAlerts::badRulesRefused()
{
    QFETCH(QString, spec);
    QFETCH(QString, reason);
    QSettings settings(ini(QStringLiteral("bad")), QSettings::IniFormat);
    settings.clear();
    ui::AlertsPanel panel(settings);
    QVERIFY(panel.addRule(QStringLiteral("BTC>50000")));
    panel.ruleEdit()->setText(spec);
    panel.addButton()->click();
    QCOMPARE(panel.rules(), QStringList{QStringLiteral("BTC>50000")});
    QVERIFY2(panel.errorLabel()->text().contains(reason), qPrintable(panel.errorLabel()->text()));
    QCOMPARE(panel.ruleEdit()->text(), spec); // kept for correcting
}

void TstUiAlerts::storedTriggersListedAndAnnouncedOnce()
{
    const QString url = QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("listed.db"));
    auto store = TickStore::open(*DatabaseUrl::parse(url), QStringLiteral("ui-alerts-store"));
    QVERIFY2(store.ok(), qPrintable(store.errorMessage()));
    auto db = openDatabase(*DatabaseUrl::parse(url), QStringLiteral("ui-alerts-sql"));
    QVERIFY(db.ok());
    QSqlQuery q(*db);
    auto insert = [&](const char *rule, const char *id, double price, const char *ts) {
        return q.exec(
            QStringLiteral(
                "INSERT INTO alerts (rule, source, symbol, trade_id, asset_class, currency, price, "
                "\"timestamp\", detail) VALUES ('%1', 'simulator', 'BTC', '%2', 'crypto', 'USD', "
                "%3, "
                "'%4', 'above 50000')")
                .arg(QLatin1String(rule), QLatin1String(id))
                .arg(price)
                .arg(QLatin1String(ts)));
    };
    QVERIFY(insert("BTC>50000", "t1", 50001.5, "2026-01-02 03:04:05.000"));

    QSettings settings(ini(QStringLiteral("listed")), QSettings::IniFormat);
    ui::AlertsPanel panel(settings);
    QSignalSpy arrived(&panel, &ui::AlertsPanel::triggersArrived);
    panel.setDatabaseUrl(url, 100);
    QTRY_COMPARE(panel.triggerTable()->rowCount(), 1);
    QCOMPARE(panel.triggerTable()->item(0, 0)->text(), QStringLiteral("2026-01-02 03:04:05.000"));
    QCOMPARE(panel.triggerTable()->item(0, 1)->text(), QStringLiteral("BTC>50000"));
    QCOMPARE(panel.triggerTable()->item(0, 3)->text(), QStringLiteral("50001.5"));
    QCOMPARE(arrived.count(), 0); // what was stored before the panel looked is not news

    QVERIFY(insert("BTC>50000", "t2", 50002, "2026-01-02 03:05:00.000"));
    QTRY_COMPARE(panel.triggerTable()->rowCount(), 2);
    QTRY_COMPARE(arrived.count(), 1);
    const auto fresh = arrived.at(0).at(0).value<std::vector<StoredAlert>>();
    QCOMPARE(fresh.size(), size_t(1));
    QCOMPARE(fresh[0].trigger.tick.id, std::string("t2"));
    QCOMPARE(panel.triggerTable()->item(0, 3)->text(), QStringLiteral("50002")); // newest first
    const int reads = panel.readsCompleted();
    QTRY_VERIFY(panel.readsCompleted() >= reads + 3);
    QCOMPARE(arrived.count(), 1); // listed again, announced once

    ui::AlertNotifier notifier;
    QVERIFY(!notifier.available()); // offscreen: no system tray, so no notification
    notifier.notify(fresh);
    QCOMPARE(notifier.shown(), 0);
}

void TstUiAlerts::markersAtTriggers()
{
    QChart chart;
    ui::AlertMarkers markers(&chart);
    markers.setMarks(
        {{QStringLiteral("BTC"), 1000, 100, QStringLiteral("BTC>99")},
         {QStringLiteral("BTC"), 5000, 100, QStringLiteral("BTC>99")},    // after the view
         {QStringLiteral("ETH"), 1500, 100, QStringLiteral("ETH<101")},   // another symbol
         {QStringLiteral("BTC"), 1500, 500, QStringLiteral("BTC>499")}}); // above the range
    markers.place(QStringLiteral("BTC"), QRectF(0, 0, 400, 200), 0, 2000, 50, 150);
    QCOMPARE(markers.visibleCount(), 1);
    markers.place(QStringLiteral("BTC"), QRectF(0, 0, 400, 200), 0, 6000, 50, 600);
    QCOMPARE(markers.visibleCount(), 3);
    markers.place(QStringLiteral("ETH"), QRectF(0, 0, 400, 200), 0, 6000, 50, 600);
    QCOMPARE(markers.visibleCount(), 1);
}

void TstUiAlerts::windowStartListsTriggers()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("window.ini"));
    {
        QSettings settings(file, QSettings::IniFormat);
        ui::AlertsPanel panel(settings);
        // Far below the simulator's prices: the first tick of each symbol fires, once.
        QVERIFY(panel.addRule(QStringLiteral("BTC>1")));
        QVERIFY(panel.addRule(QStringLiteral("ETH>1")));
    }
    MainWindow w(uitest::simulatorConfig(dir.path(), 500), file);
    w.show();
    w.startPipeline();
    QTRY_VERIFY2_WITH_TIMEOUT(w.alerts()->triggerTable()->rowCount() == 2,
                              uitest::recentIssues().constData(), 60000);
    QStringList rules;
    for (int r = 0; r < 2; ++r)
        rules << w.alerts()->triggerTable()->item(r, 1)->text();
    rules.sort();
    QCOMPARE(rules, (QStringList{QStringLiteral("BTC>1"), QStringLiteral("ETH>1")}));
    // The BTC trigger is marked on BTC's price chart (the first tick: at the left of the live
    // view).
    w.charts()->setSymbol(QStringLiteral("BTC"));
    QTRY_COMPARE_WITH_TIMEOUT(w.charts()->alertMarkers().visibleCount(), 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->metrics().alertsTriggered == 2, 10000);
    w.stopPipeline();
    QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Stopped, 10000);
}

QTEST_MAIN(TstUiAlerts)
#include "tst_ui_alerts.moc"
