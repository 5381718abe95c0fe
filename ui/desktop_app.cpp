#include "desktop_app.h"

#include "metrics_http/prometheus_text.h"

#include "database_pool.h"
#include "inspector_panel.h"
#include "main_window.h"
#include "ui_theme.h"

#include <QApplication>
#include <QTableView>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QMenuBar>
#include <QPixmap>
#include <QScreen>
#include <QTabWidget>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace ms {

namespace {

// The knobs that only the environment sets (the documentation's pictures, scripts/screenshot-*).
struct PictureOptions
{
    QSize screenshotSize;     // MS_SCREENSHOT_SIZE=WxH: the window's size for the picture
    QString screenshotMenu;   // MS_SCREENSHOT_MENU=View: that menu is open in the picture
    bool screenshotSettings = false;  // MS_SCREENSHOT_SETTINGS=TAB: the Settings dialog on that tab
    QString screenshotSettingsTab;
    QString screenshotTab;  // MS_SCREENSHOT_TAB=Alerts: the main window shows the tab whose name starts so
};

PictureOptions pictureOptionsFromEnvironment()
{
    PictureOptions o;
    const QStringList size = qEnvironmentVariable("MS_SCREENSHOT_SIZE").split(u'x');
    if (size.size() == 2)
        o.screenshotSize = QSize(size.at(0).toInt(), size.at(1).toInt());
    o.screenshotMenu = qEnvironmentVariable("MS_SCREENSHOT_MENU");
    o.screenshotSettings = qEnvironmentVariableIsSet("MS_SCREENSHOT_SETTINGS");
    o.screenshotSettingsTab = qEnvironmentVariable("MS_SCREENSHOT_SETTINGS");
    o.screenshotTab = qEnvironmentVariable("MS_SCREENSHOT_TAB");
    return o;
}

}  // namespace

int runDesktop(int argc, char **argv, const PipelineConfig &base, const DesktopOptions &opts,
               const DesktopMetricsOptions &metrics)
{
    QApplication app(argc, argv);
    if (QCoreApplication::organizationName().isEmpty())
        QCoreApplication::setOrganizationName(QStringLiteral("MarketStream"));
    if (QCoreApplication::applicationName().isEmpty())
        QCoreApplication::setApplicationName(QStringLiteral("marketstream"));
    QApplication::setApplicationDisplayName(QStringLiteral("MarketStream"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/marketstream.png")));
    ui::applySystemTheme(app);

    const PictureOptions docPicture = pictureOptionsFromEnvironment();
    MainWindow window(base, opts.settingsFile);
    std::unique_ptr<MetricsHttpServer> metricsServer;  // declared after the window: ends before its pipeline
    if (metrics.port >= 0) {
        auto served = servePipelineMetrics(*window.pipeline(), metrics.bind, quint16(metrics.port));
        if (!served.ok()) {
            std::fprintf(stderr, "marketstream: error: %s\n", qPrintable(served.errorMessage()));
            return 2;  // usage: the port is taken or not ours to bind
        }
        metricsServer = std::move(served).value();
        // The issue log is the window's; a port picked by the system (0) must be findable from a shell too.
        std::fprintf(stderr, "marketstream: serving %s\n", qPrintable(metricsServer->url()));
    }
    // MS_WINDOW_SIZE=WxH (scripts/screenshot): a fixed window size for reproducible screenshots.
    const QStringList size = qEnvironmentVariable("MS_WINDOW_SIZE").split(u'x');
    if (size.size() == 2 && size[0].toInt() > 0 && size[1].toInt() > 0)
        window.resize(size[0].toInt(), size[1].toInt());
    window.show();
    if (opts.start)
        QTimer::singleShot(0, &window, &MainWindow::startPipeline);

    if (!opts.screenshotFile.isEmpty()) {
        if (docPicture.screenshotSize.isValid()) {
            window.move(0, 0);
            window.resize(docPicture.screenshotSize);
        }
        const int afterMs = int(std::max(0.1, opts.screenshotAfterSec) * 1000);
        // With a menu or a dialog open the picture is of the whole screen (they are windows of
        // their own); otherwise of the main window alone.
        const bool wholeScreen = !docPicture.screenshotMenu.isEmpty() || docPicture.screenshotSettings;
        auto save = [&window, file = opts.screenshotFile, wholeScreen] {
            const QFileInfo info(file);
            QDir().mkpath(info.absolutePath());
            QScreen *screen = window.screen();
            const QPixmap picture = wholeScreen && screen ? screen->grabWindow(0) : window.grab();
            const bool saved = picture.save(file, "PNG");
            std::fprintf(saved ? stdout : stderr, "%s %s\n", saved ? "screenshot saved to" : "could not save screenshot to",
                         qPrintable(QDir::toNativeSeparators(info.absoluteFilePath())));
        };
        if (!docPicture.screenshotTab.isEmpty()) {
            // Shortly before the picture, so the tab has drawn what the run brought.
            QTimer::singleShot(std::max(0, afterMs - 1500), &window, [&window, tab = docPicture.screenshotTab] {
                if (auto *tabs = window.findChild<QTabWidget *>())
                    for (int i = 0; i < tabs->count(); ++i)
                        if (tabs->tabText(i).remove(u'&').startsWith(tab))
                            tabs->setCurrentIndex(i);
            });
        }
        if (docPicture.screenshotTab.startsWith(QLatin1String("Inspector"))) {
            // The picture shows the inspector tailing the crypto topic from its beginning.
            QTimer::singleShot(std::max(0, afterMs - 6000), &window, [&window] {
                ui::InspectorPanel *inspector = window.inspector();
                QObject::connect(inspector, &ui::InspectorPanel::topicsListed, inspector, [inspector] {
                    inspector->topicBox()->setCurrentText(QStringLiteral("crypto_topic"));
                    inspector->startBox()->setCurrentIndex(1);  // from the beginning
                    inspector->startTail();
                }, Qt::SingleShotConnection);
                inspector->refreshTopics();
            });
            // One message selected: its detail pane pretty-printed in the picture.
            QTimer::singleShot(std::max(0, afterMs - 800), &window, [&window] {
                if (auto *table = window.inspector()->findChild<QTableView *>(QStringLiteral("inspectorTable")))
                    table->selectRow(0);
            });
        }
        if (docPicture.screenshotSettings) {
            // openSettings() runs the dialog modally: the picture is taken from inside its loop.
            QTimer::singleShot(afterMs - 800, &window, &MainWindow::openSettings);
        }
        QTimer::singleShot(afterMs, &window, [&window, save, menu = docPicture.screenshotMenu, tab = docPicture.screenshotSettingsTab] {
            auto finish = [&window, save] {
                save();
                if (QWidget *modal = QApplication::activeModalWidget())
                    modal->close();
                window.close();  // stops the pipeline (bounded) before quitting
            };
            // Open the menu or pick the dialog's tab now, and take the picture once it is drawn.
            for (QAction *a : window.menuBar()->actions())
                if (!menu.isEmpty() && a->menu() && a->text().remove(u'&') == menu) {
                    window.activateWindow();
                    window.menuBar()->setActiveAction(a);
                }
            QWidget *dialog = QApplication::activeModalWidget();
            auto *tabs = dialog && !tab.isEmpty() ? dialog->findChild<QTabWidget *>() : nullptr;
            for (int i = 0; tabs && i < tabs->count(); ++i)
                if (tabs->tabText(i).remove(u'&') == tab)
                    tabs->setCurrentIndex(i);
            QTimer::singleShot(menu.isEmpty() && !tabs ? 0 : 500, &window, finish);
        });
    }
    const int code = app.exec();
    // The reads still running on the UI's pools (history pages, stored quotes, gaps, alerts) end
    // before ~QApplication runs QtSql's clean-up: with a pool thread inside QtSql meanwhile, Qt 6.4
    // looped in qt_call_post_routines() at full CPU and the process never exited (1 screenshot run
    // of 72). Every read has its own deadline (connect 3 s, statements 15 s): the wait is bounded.
    constexpr int kReadsWaitMs = 20000;
    ui::databaseThreadPool()->waitForDone(kReadsWaitMs);
    QThreadPool::globalInstance()->waitForDone(kReadsWaitMs);
    return code;
}

}  // namespace ms
