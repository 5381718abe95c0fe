// MainWindow's menu bar (File, Pipeline, View, Help), the theme choice and the status line around
// Start/Stop. Kept out of main_window.cpp so each file stays about one job.
#include "about_box.h"
#include "chart_panel.h"
#include "main_window.h"
#include "toolbar_icons.h"
#include "ui_theme.h"
#include "watchlist_panel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QUrl>

#ifdef MS_WITH_POWERBI_VIEW  // ui/CMakeLists.txt: the Power BI tab's library is built
#include "powerbi/powerbi_view.h"
#define MS_HAVE_POWERBI_VIEW 1
#endif

namespace ms {

namespace {
const QString kShowWatchlistKey = QStringLiteral("view/showWatchlist");
const QString kShowStatusBarKey = QStringLiteral("view/showStatusBar");

QAction *named(QAction *a, const char *name)
{
    a->setObjectName(QLatin1String(name));
    return a;
}
} // namespace

QAction *MainWindow::menuAction(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

void MainWindow::buildMenus()
{
    QMenuBar *bar = menuBar();

    QMenu *file = bar->addMenu(tr("&File"));
    QAction *exportAction =
        named(file->addAction(tr("&Export Power BI dataset…"), this, &MainWindow::exportPowerBi),
              "exportPowerBiAction");
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAction->setStatusTip(
        tr("Write the .pbids file, the CSV star schema and the Power BI project to a folder"));
#ifndef MS_HAVE_POWERBI_VIEW
    exportAction->setEnabled(false);
#endif
    m_replayAction = named(file->addAction(tr("&Replay a file…"), this, &MainWindow::replayFile),
                           "replayAction");
    m_replayAction->setShortcut(QKeySequence::Open);
    m_replayAction->setStatusTip(
        tr("Run the pipeline once on a JSONL file recorded with --record"));
    file->addSeparator();
    QAction *quit = named(file->addAction(tr("&Quit"), this, &QWidget::close), "quitAction");
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *pipeline = bar->addMenu(tr("&Pipeline"));
    pipeline->addAction(m_start);
    pipeline->addAction(m_stop);
    pipeline->addSeparator();
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    pipeline->addAction(m_settingsAction);

    QMenu *view = bar->addMenu(tr("&View"));
    QMenu *theme = view->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    const std::pair<const char *, QString> themes[] = {
        {"system", tr("&System")}, {"light", tr("&Light")}, {"dark", tr("&Dark")}};
    for (const auto &[key, label] : themes) {
        const QString name = QLatin1String(key);
        QAction *a = theme->addAction(label, this, [this, name] { setTheme(name); });
        a->setObjectName(QStringLiteral("theme%1Action").arg(name.at(0).toUpper() + name.mid(1)));
        a->setCheckable(true);
        a->setData(name);
        a->setChecked(name == m_themeName);
        m_themeGroup->addAction(a);
    }
    view->addSeparator();
    QAction *showWatchlist = named(view->addAction(tr("&Watchlist")), "showWatchlistAction");
    showWatchlist->setCheckable(true);
    showWatchlist->setChecked(m_settings->value(kShowWatchlistKey, true).toBool());
    m_watchlist->setVisible(showWatchlist->isChecked());
    connect(showWatchlist, &QAction::toggled, this, [this](bool on) {
        m_watchlist->setVisible(on);
        m_settings->setValue(kShowWatchlistKey, on);
    });
    QAction *showToolBar = named(m_toolBar->toggleViewAction(), "showToolBarAction");
    showToolBar->setText(tr("&Toolbar"));
    view->addAction(showToolBar);
    QAction *showStatus = named(view->addAction(tr("&Status bar")), "showStatusBarAction");
    showStatus->setCheckable(true);
    showStatus->setChecked(m_settings->value(kShowStatusBarKey, true).toBool());
    statusBar()->setVisible(showStatus->isChecked());
    connect(showStatus, &QAction::toggled, this, [this](bool on) {
        statusBar()->setVisible(on);
        m_settings->setValue(kShowStatusBarKey, on);
    });
    view->addSeparator();
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction *tab =
            view->addAction(m_tabs->tabText(i), this, [this, i] { m_tabs->setCurrentIndex(i); });
        tab->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QAction *full = named(view->addAction(tr("&Full screen")), "fullScreenAction");
    full->setShortcut(QKeySequence::FullScreen);
    full->setCheckable(true);
    connect(full, &QAction::toggled, this,
            [this](bool on) { on ? showFullScreen() : showNormal(); });

    QMenu *help = bar->addMenu(tr("&Help"));
    QAction *docs = named(help->addAction(tr("&Documentation")), "documentationAction");
    docs->setShortcut(QKeySequence::HelpContents);
    const QString folder = ui::documentationFolder();
    docs->setEnabled(!folder.isEmpty());
    connect(docs, &QAction::triggered, this,
            [folder] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder)); });
    QAction *about =
        named(help->addAction(tr("&About MarketStream"), this, [this] { ui::showAboutBox(this); }),
              "aboutAction");
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::restoreTheme()
{
    // MS_THEME (scripts, screenshots) wins for this launch without being saved; otherwise the
    // choice saved from View > Theme.
    const QString forced = qEnvironmentVariable("MS_THEME");
    const QString name =
        !forced.isEmpty()
            ? ui::themeChoiceName(ui::themeChoiceFromName(forced))
            : m_settings->value(QLatin1String(ui::kThemeKey), QStringLiteral("system")).toString();
    const ui::ThemeChoice choice = ui::themeChoiceFromName(name);
    ui::applyTheme(choice);  // before the panels are built: the charts take their colours then
    m_themeName = ui::themeChoiceName(choice);
    followApplicationPalette();
}

void MainWindow::followApplicationPalette()
{
    // A top-level window gets the application's new palette through an event delivered later;
    // widgets created before that (the charts) would inherit the old one. Take it now.
    QEvent change(QEvent::ApplicationPaletteChange);
    QCoreApplication::sendEvent(this, &change);
}

void MainWindow::setTheme(const QString &name)
{
    const ui::ThemeChoice choice = ui::themeChoiceFromName(name);
    ui::applyTheme(choice);
    m_settings->setValue(QLatin1String(ui::kThemeKey), ui::themeChoiceName(choice));
    m_settings->sync();
    for (QAction *a : m_themeGroup->actions())
        a->setChecked(a->data().toString() == ui::themeChoiceName(choice));
    m_watchlist->view()->viewport()->update(); // rise/fall colours follow the theme
    followApplicationPalette();
    m_start->setIcon(ui::startIcon());  // drawn in the theme's colours
    m_stop->setIcon(ui::stopIcon());
    m_settingsAction->setIcon(ui::settingsIcon(QApplication::palette()));
    rebuildCharts();
}

void MainWindow::rebuildCharts()
{
    // The chart panel takes its colours (series, grid, backgrounds) when it is built and does not
    // follow a palette change: a new one in the same place, with the same state, does.
    auto *scroll = findChild<QScrollArea *>(QStringLiteral("chartScroll"));
    if (!scroll)
        return;
    const QString symbol = m_charts->symbol();
    m_charts->saveState(*m_settings);
    m_charts = new ui::ChartPanel(m_store.get(), this);
    connect(m_watchlist, &ui::WatchlistPanel::symbolSelected, m_charts, &ui::ChartPanel::setSymbol);
    m_charts->restoreState(*m_settings);
    if (!symbol.isEmpty())
        m_charts->setSymbol(symbol);
    scroll->setWidget(m_charts); // deletes the old panel
    m_charts->refresh(true);
}

void MainWindow::replayFile()
{
    const QString f =
        QFileDialog::getOpenFileName(this, tr("Replay a recorded file"), QString(),
                                     tr("Recorded ticks (*.jsonl *.json);;All files (*)"));
    if (!f.isEmpty())
        replayFileNamed(f);
}

void MainWindow::replayFileNamed(const QString &path)
{
    const Pipeline::State s = m_pipeline->state();
    if (s != Pipeline::State::Stopped && s != Pipeline::State::Error)
        return; // the action is disabled then; a direct call does nothing either
    m_replayOnce = path;
    startPipeline();
}

void MainWindow::exportPowerBi()
{
#ifdef MS_HAVE_POWERBI_VIEW
    if (!findChild<ms::PowerBiView *>())
        return;
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Export the Power BI dataset to"));
    if (!dir.isEmpty())
        exportPowerBiTo(dir);
#endif
}

bool MainWindow::exportPowerBiTo(const QString &dir)
{
#ifdef MS_HAVE_POWERBI_VIEW
    auto *view = findChild<ms::PowerBiView *>();
    if (!view)
        return false;
    view->setDatabaseUrl(databaseUrl()); // before any Start too: the stored data is there
    m_tabs->setCurrentWidget(view);      // its status line shows the progress and the outcome
    view->startExport(dir);
    return true;
#else
    Q_UNUSED(dir);
    return false;
#endif
}

void MainWindow::updateRunActions(Pipeline::State state)
{
    const bool busy = state == Pipeline::State::Starting || state == Pipeline::State::Running;
    m_start->setEnabled(!busy && state != Pipeline::State::Stopping);
    m_stop->setEnabled(busy);
    if (m_replayAction)
        m_replayAction->setEnabled(state == Pipeline::State::Stopped ||
                                   state == Pipeline::State::Error);
}

void MainWindow::showStoppedSummary(Pipeline::State state, const QString &message)
{
    const QLocale locale;
    switch (state) {
    case Pipeline::State::Running:
        return; // frame() writes the live rates
    case Pipeline::State::Starting:
        m_status->setText(tr("Starting…"));
        return;
    case Pipeline::State::Stopping:
        m_status->setText(tr("Stopping: draining what is in flight…"));
        return;
    case Pipeline::State::Error:
        m_status->setText(
            tr("Not running: the pipeline stopped on an error (details in the Issues tab)."));
        m_status->setToolTip(message);
        return;
    case Pipeline::State::Stopped:
        break;
    }
    const MetricsSnapshot m = m_pipeline->metrics();
    if (m.produced == 0 && m.stored == 0 && m.consumed == 0) {
        m_status->setText(tr("Stopped. Press Start to run the pipeline."));
        return;
    }
    QString text = tr("Stopped · last run: %1 ticks produced, %2 stored")
                       .arg(locale.toString(m.produced), locale.toString(m.stored));
    if (m.latencyP99Ms > 0)
        text += tr(" · latency p99 %1 ms").arg(locale.toString(m.latencyP99Ms, 'f', 1));
    m_status->setText(text);
}

} // namespace ms
