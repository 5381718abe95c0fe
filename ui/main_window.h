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
class QLabel;
class QSettings;
class QTabWidget;
class QTimer;

namespace ms {

namespace ui {
class ChartPanel;
class HealthPanel;
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
    QLabel *stateLabel() const { return m_state; }
    ui::WatchlistPanel *watchlist() const { return m_watchlist; }
    ui::ChartPanel *charts() const { return m_charts; }
    ui::HealthPanel *health() const { return m_health; }
    ui::IssuesPanel *issues() const { return m_issues; }
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
    // One frame: pull the live batch and metrics, update the panels. Called by the frame timer.
    void frame();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildLayout();
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
    QAction *m_start = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_settingsAction = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_status = nullptr;
    QTabWidget *m_tabs = nullptr;
    ui::WatchlistPanel *m_watchlist = nullptr;
    ui::ChartPanel *m_charts = nullptr;
    ui::HistoryLoader *m_history = nullptr;  // stored candles, at launch and when scrolling back
    ui::HealthPanel *m_health = nullptr;
    ui::IssuesPanel *m_issues = nullptr;
    bool m_closeRequested = false;
    bool m_forceClose = false;
    bool m_clearOnNextData = false;
    qint64 m_frames = 0;
};

}  // namespace ms
