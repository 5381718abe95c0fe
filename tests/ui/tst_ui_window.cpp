// The desktop monitor end to end on the offscreen platform, against the real pipeline: embedded
// broker, simulator, SQLite in a temporary directory. Waits are on conditions (QTRY_*), never on
// fixed sleeps; the timeouts are generous upper bounds, not speed assertions.
#include "chart_panel.h"
#include "health_panel.h"
#include "issues_panel.h"
#include "main_window.h"
#include "market_data_store.h"
#include "ui_test_util.h"
#include "watchlist_panel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

using namespace ms;

class TstUiWindow : public QObject
{
    Q_OBJECT
private:
    QString settingsFile() const { return m_dir.filePath(QStringLiteral("settings.ini")); }
    static void click(MainWindow &w, QAction *action)
    {
        // Through the real toolbar button, the way a user does it.
        for (QToolBar *bar : w.findChildren<QToolBar *>()) {
            if (auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(action))) {
                QTest::mouseClick(button, Qt::LeftButton);
                return;
            }
        }
        action->trigger();
    }
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("MS_NO_KEYCHAIN", "1");
        QVERIFY(m_dir.isValid());
    }

    void startTicksChartsStop()
    {
        const int threadsBefore = uitest::threadCount();
        {
            MainWindow w(uitest::simulatorConfig(m_dir.filePath(QStringLiteral("run1"))), settingsFile());
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QTRY_VERIFY(w.startAction()->isEnabled());
            QVERIFY(!w.stopAction()->isEnabled());
            QTRY_VERIFY(w.stateLabel()->text().contains(QStringLiteral("Stopped")));

            click(w, w.startAction());
            QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Running, 30000);
            QTRY_VERIFY(w.stateLabel()->text().contains(QStringLiteral("Running")));
            // Ticks arrive: the watchlist fills with the simulator's six symbols and a price.
            QTRY_VERIFY_WITH_TIMEOUT(w.watchlist()->visibleRows() >= 6, 30000);
            QVERIFY(!w.watchlist()->selectedSymbol().isEmpty());
            const QString symbol = w.watchlist()->selectedSymbol();
            QCOMPARE(w.charts()->symbol(), symbol);
            QTRY_VERIFY_WITH_TIMEOUT(w.charts()->pricePointCount() > 1, 30000);
            QVERIFY(w.store().find(symbol)->lastPrice > 0);
            // Candles reach the chart too (volume bars below the price).
            QTRY_VERIFY_WITH_TIMEOUT(w.charts()->volumeBarCount() > 0, 30000);
            w.charts()->setMode(ui::ChartPanel::Mode::Candles);
            w.charts()->setIntervalSec(1);
            QTRY_VERIFY_WITH_TIMEOUT(w.charts()->candleCount() > 0, 30000);
            // The health panel samples metrics.
            QTRY_VERIFY_WITH_TIMEOUT(w.health()->history().latest().produced > 0, 30000);

            // Selecting another row drives the charts.
            w.watchlist()->view()->selectRow(w.watchlist()->visibleRows() - 1);
            QVERIFY(w.charts()->symbol() != symbol);

            // Start twice is harmless.
            w.startAction()->trigger();
            w.startPipeline();
            QVERIFY(w.pipeline()->state() == Pipeline::State::Running);

            click(w, w.stopAction());
            w.stopPipeline();  // stopping twice is harmless
            QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Stopped, 10000);
            QTRY_VERIFY(w.stateLabel()->text().contains(QStringLiteral("Stopped")));
            QTRY_VERIFY(w.startAction()->isEnabled());
        }
        // Every worker thread the run started has ended (thread-pool threads expire on their own).
        QTRY_VERIFY_WITH_TIMEOUT(uitest::threadCount() <= threadsBefore, 40000);
    }

    void startStopTwentyTimes()
    {
        MainWindow w(uitest::simulatorConfig(m_dir.filePath(QStringLiteral("run20")), 500), settingsFile());
        w.show();
        for (int i = 0; i < 20; ++i) {
            w.startPipeline();
            QTRY_VERIFY2_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Running,
                                      QByteArray("run " + QByteArray::number(i) + ", state label '"
                                                 + w.stateLabel()->text().toUtf8() + "', last issues:"
                                                 + uitest::recentIssues())
                                          .constData(),
                                      30000);
            w.stopPipeline();
            QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Stopped, 10000);
        }
        QTRY_VERIFY(w.stateLabel()->text().contains(QStringLiteral("Stopped")));
        QVERIFY(w.isVisible());
    }

    void closeWhileRunning()
    {
        auto *w = new MainWindow(uitest::simulatorConfig(m_dir.filePath(QStringLiteral("close"))), settingsFile());
        w->setAttribute(Qt::WA_DeleteOnClose);
        QPointer<MainWindow> guard(w);
        w->show();
        w->startPipeline();
        QTRY_VERIFY_WITH_TIMEOUT(w->pipeline()->state() == Pipeline::State::Running, 30000);
        w->close();  // asks the pipeline to stop; the window closes when it reports Stopped
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 10000);
    }

    void badDatabaseShowsErrorThenRecovers()
    {
        PipelineConfig bad = uitest::simulatorConfig(m_dir.filePath(QStringLiteral("bad")));
        bad.databaseUrl = QStringLiteral("postgresql://nobody@127.0.0.1:1/x");
        const QString settings = m_dir.filePath(QStringLiteral("bad-settings.ini"));
        MainWindow w(bad, settings);
        w.show();
        w.startPipeline();
        QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Error, 30000);
        // The state label says what is wrong in words; the Issues panel has it too.
        QTRY_VERIFY(w.stateLabel()->text().contains(QStringLiteral("Error")));
        const QString label = w.stateLabel()->text();
        QVERIFY2(label.contains(QStringLiteral("Error")), qPrintable(label));
        // The toolbar is no place for a long message: it links to the Issues details, which hold it whole.
        QVERIFY2(label.contains(QStringLiteral("details")), qPrintable(label));
        QVERIFY2(w.stateLabel()->toolTip().contains(QStringLiteral("127.0.0.1")), qPrintable(w.stateLabel()->toolTip()));
        QTRY_VERIFY_WITH_TIMEOUT(w.issues()->errorCount() > 0, 10000);
        QTRY_VERIFY(w.startAction()->isEnabled());

        // Fix it in the Settings dialog (SQLite in the temporary directory) and start again.
        const QString goodPath = m_dir.filePath(QStringLiteral("bad/recovered.db"));
        QTimer::singleShot(0, this, [goodPath] {
            auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->findChild<QRadioButton *>(QStringLiteral("dbSqlite"))->setChecked(true);
            dialog->findChild<QLineEdit *>(QStringLiteral("sqlitePath"))->setText(goodPath);
            dialog->accept();
        });
        w.openSettings();
        QCOMPARE(w.effectiveConfig().databaseUrl, QStringLiteral("sqlite://") + goodPath);  // goodPath is absolute
        w.startPipeline();
        QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Running, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(w.watchlist()->visibleRows() > 0, 30000);
        w.stopPipeline();
        QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Stopped, 10000);
    }

    void windowStateAndSelectionPersist()
    {
        const QString settings = m_dir.filePath(QStringLiteral("persist.ini"));
        {
            MainWindow w(uitest::simulatorConfig(m_dir.filePath(QStringLiteral("persist"))), settings);
            w.show();
            w.charts()->setMode(ui::ChartPanel::Mode::Candles);
            w.charts()->setIntervalSec(300);
            w.charts()->setRangePreset(60 * 60 * 1000);
            w.startPipeline();
            QTRY_VERIFY_WITH_TIMEOUT(w.watchlist()->visibleRows() >= 2, 30000);
            w.watchlist()->selectSymbol(QStringLiteral("ETH"));
            QCOMPARE(w.charts()->symbol(), QStringLiteral("ETH"));
            w.close();
            QTRY_VERIFY_WITH_TIMEOUT(!w.isVisible(), 10000);
        }
        MainWindow again(uitest::simulatorConfig(m_dir.filePath(QStringLiteral("persist2"))), settings);
        QCOMPARE(again.charts()->mode(), ui::ChartPanel::Mode::Candles);
        QCOMPARE(again.charts()->intervalSec(), 300);
        again.show();
        again.startPipeline();
        // The saved symbol is selected once it shows up, not the first row.
        QTRY_VERIFY_WITH_TIMEOUT(again.charts()->symbol() == QStringLiteral("ETH"), 30000);
        again.stopPipeline();
        QTRY_VERIFY_WITH_TIMEOUT(again.pipeline()->state() == Pipeline::State::Stopped, 10000);
    }
};

QTEST_MAIN(TstUiWindow)
#include "tst_ui_window.moc"
