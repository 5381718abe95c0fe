#pragma once
// The desktop monitor's window. Owns the Pipeline (a child QObject) and pulls from it on ONE
// coalescing ~30 fps timer: takeLiveBatch() + metrics(), then redraws what changed. Start/Stop
// never block: the state label follows Pipeline::stateChanged. Closing while running asks the
// pipeline to stop and closes when it reports Stopped (or after a bounded wait).
#include "runtime/config.h"
#include "runtime/pipeline.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QActionGroup;
class QLabel;
class QSettings;
class QTabWidget;
class QTimer;
class QToolBar;

namespace ms {

namespace ui {
class AlertNotifier;
class AlertsPanel;
class ChartPanel;
class HealthPanel;
class InspectorPanel;
class IssuesPanel;
class MarketDataStore;
class HistoryLoader;
class SecretStore;
class WatchlistPanel;
struct AppSettings;
}  // namespace ui

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // settingsFile: an INI file to use instead of the user's settings (tests); empty = default.
    // The fallback secrets file is ".env" next to the settings.
    explicit MainWindow(const PipelineConfig &base, const QString &settingsFile = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    Pipeline *pipeline() const { return m_pipeline; }
    const ui::MarketDataStore &store() const { return *m_store; }
    QAction *startAction() const { return m_start; }
    QAction *stopAction() const { return m_stop; }
    QAction *settingsAction() const { return m_settingsAction; }
    // The menu bar's actions by object name ("quitAction", "exportPowerBiAction", "replayAction",
    // "themeSystemAction", "themeLightAction", "themeDarkAction", "showWatchlistAction",
    // "showToolBarAction", "showStatusBarAction", "aboutAction"): see main_window_menus.cpp.
    QAction *menuAction(const QString &objectName) const;
    QLabel *statusSummary() const { return m_status; }
    QLabel *stateLabel() const { return m_state; }
    ui::WatchlistPanel *watchlist() const { return m_watchlist; }
    ui::ChartPanel *charts() const { return m_charts; }
    ui::HealthPanel *health() const { return m_health; }
    ui::IssuesPanel *issues() const { return m_issues; }
    ui::AlertsPanel *alerts() const { return m_alerts; }
    ui::InspectorPanel *inspector() const { return m_inspector; }
    QSettings &settings() const { return *m_settings; }
    QString secretsFile() const;

    // The configuration the next Start uses: the base plus saved settings and stored secrets.
    PipelineConfig effectiveConfig() const;
    // Frames drawn so far (tests wait on this rather than on time).
    qint64 frames() const { return m_frames; }

public Q_SLOTS:
    void startPipeline();
    void stopPipeline();
    void openSettings();
    // File > Replay a file…: asks for a recorded JSONL file, then starts one run replaying it
    // (the saved sources are used again by the next plain Start).
    void replayFile();
    void replayFileNamed(const QString &path);
    // File > Export Power BI dataset…: asks for a folder, exports on the Power BI tab's worker.
    void exportPowerBi();
    // The same without the folder question; false when this build has no Power BI view.
    bool exportPowerBiTo(const QString &dir);
    void setTheme(const QString &name);  // "system" / "light" / "dark": applied now and persisted
    // One frame: pull the live batch and metrics, update the panels. Called by the frame timer.
    void frame();

protected:
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    // main_window_build.cpp: the tool bar, and the tabs with the status bar.
    void buildActions();
    void buildLayout();
    void buildMenus();
    void restoreTheme();
    void rebuildCharts();
    void followApplicationPalette();
    void updateRunActions(Pipeline::State state);
    void showStoppedSummary(Pipeline::State state, const QString &message);
    // The database the next Start would use, given to every reader of stored data.
    void applyDatabaseUrl();
    void loadStoredQuotes();
    void fitMarketsSplitter(bool initial);
    QString databaseUrl() const;
    void onStateChanged(Pipeline::State state, const QString &message);
    void loadAppSettings();
    void saveWindowState();
    void restoreWindowState();

    PipelineConfig m_base;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ui::AppSettings> m_app;
    std::unique_ptr<ui::SecretStore> m_secrets;
    std::unique_ptr<ui::MarketDataStore> m_store;
    Pipeline *m_pipeline;
    QTimer *m_frameTimer;
    QTimer *m_storedQuotesTimer;  // re-reads the watchlist's stored figures while running
    QAction *m_start = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_replayAction = nullptr;
    QActionGroup *m_themeGroup = nullptr;
    QToolBar *m_toolBar = nullptr;
    QString m_themeName;   // "system" / "light" / "dark": what View > Theme shows checked
    QString m_replayOnce;  // the file "Replay a file…" asked for, used by the next Start only
    QLabel *m_state = nullptr;
    QLabel *m_status = nullptr;
    QTabWidget *m_tabs = nullptr;
    ui::WatchlistPanel *m_watchlist = nullptr;
    ui::ChartPanel *m_charts = nullptr;
    ui::HistoryLoader *m_history = nullptr;  // stored candles, at launch and when scrolling back
    ui::HealthPanel *m_health = nullptr;
    ui::IssuesPanel *m_issues = nullptr;
    ui::AlertsPanel *m_alerts = nullptr;
    ui::AlertNotifier *m_alertNotifier = nullptr;
    ui::InspectorPanel *m_inspector = nullptr;
    bool m_closeRequested = false;
    bool m_forceClose = false;
    bool m_clearOnNextData = false;
    qint64 m_frames = 0;
};

}  // namespace ms
