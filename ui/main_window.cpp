#include "main_window.h"

#include "alerts_panel.h"
#include "app_settings.h"
#include "chart_panel.h"
#include "health_panel.h"
#include "history_loader.h"
#include "issues_panel.h"
#include "market_data_store.h"
#include "model/time_util.h"
#include "runtime/issue_log.h"
#include "secret_store.h"
#include "settings_dialog.h"
#include "ui_theme.h"
#include "watchlist_panel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#ifdef MS_WITH_POWERBI_VIEW  // ui/CMakeLists.txt: the Power BI tab's library is built
#include "powerbi/powerbi_view.h"
#define MS_HAVE_POWERBI_VIEW 1
#endif

namespace ms {

namespace {
constexpr int kFrameMs = 33;          // ~30 fps, the only redraw clock
constexpr int kCloseWaitMs = 3000;    // Stop is bounded at 2 s by the Pipeline; a margin on top
constexpr int kStoredQuotesEveryMs = 30000;
constexpr int kFirstStoredQuotesMs = 3000;  // the 24 h figures move slowly: a read per 30 s is plenty

QString stateText(Pipeline::State s)
{
    switch (s) {
    case Pipeline::State::Stopped: return QObject::tr("Stopped");
    case Pipeline::State::Starting: return QObject::tr("Starting…");
    case Pipeline::State::Running: return QObject::tr("Running");
    case Pipeline::State::Stopping: return QObject::tr("Stopping…");
    case Pipeline::State::Error: return QObject::tr("Error");
    }
    return {};
}

QColor stateColor(Pipeline::State s)
{
    switch (s) {
    case Pipeline::State::Running: return ui::upColor();
    case Pipeline::State::Error: return ui::downColor();
    case Pipeline::State::Starting:
    case Pipeline::State::Stopping: return QColor(0xe0, 0xa0, 0x30);
    default: return QColor(0x8a, 0x93, 0xa0);
    }
}
}  // namespace

MainWindow::MainWindow(const PipelineConfig &base, const QString &settingsFile, QWidget *parent)
    : QMainWindow(parent), m_base(base),
      m_settings(settingsFile.isEmpty() ? std::make_unique<QSettings>()
                                        : std::make_unique<QSettings>(settingsFile, QSettings::IniFormat)),
      m_app(std::make_unique<ui::AppSettings>(ui::AppSettings::fromConfig(base))),
      m_store(std::make_unique<ui::MarketDataStore>()), m_pipeline(new Pipeline(this)), m_frameTimer(new QTimer(this)),
      m_storedQuotesTimer(new QTimer(this))
{
    setWindowTitle(QStringLiteral("MarketStream"));
    setObjectName(QStringLiteral("mainWindow"));
    m_secrets = std::make_unique<ui::SecretStore>(secretsFile());
    loadAppSettings();
    m_pipeline->setLiveBatchEnabled(true);

    restoreTheme();
    buildActions();
    buildLayout();
    buildMenus();
    connect(m_pipeline, &Pipeline::stateChanged, this, &MainWindow::onStateChanged);
    onStateChanged(m_pipeline->state(), m_pipeline->stateMessage());

    m_frameTimer->setTimerType(Qt::PreciseTimer);
    connect(m_frameTimer, &QTimer::timeout, this, &MainWindow::frame);
    m_frameTimer->start(kFrameMs);
    restoreWindowState();

    // What earlier runs stored is on the watchlist before any Start, and the 24 h figures follow
    // the database while running (the pipeline's own 24 h change needs 24 h of live prices).
    m_storedQuotesTimer->setInterval(kStoredQuotesEveryMs);
    connect(m_storedQuotesTimer, &QTimer::timeout, this, &MainWindow::loadStoredQuotes);
    // (the first read was started by onStateChanged(Stopped) above)
    // What the database holds shows at once on the charts and the Power BI tab too, with or without Start.
    applyDatabaseUrl();
    m_history->loadLatest();
}

void MainWindow::applyDatabaseUrl()
{
    const QString url = databaseUrl();
    m_history->setDatabaseUrl(url);
    m_alerts->setDatabaseUrl(url);
#ifdef MS_HAVE_POWERBI_VIEW
    if (auto *view = findChild<ms::PowerBiView *>())
        view->setDatabaseUrl(url);
#endif
}

QString MainWindow::databaseUrl() const
{
    const PipelineConfig c = effectiveConfig();
    return c.databaseUrl.isEmpty() ? defaultDatabaseUrl() : c.databaseUrl;
}

void MainWindow::loadStoredQuotes()
{
    m_watchlist->loadStoredQuotes(databaseUrl());
}

MainWindow::~MainWindow()
{
    m_frameTimer->stop();
    // ~Pipeline (a child) stops its workers, bounded.
}

QString MainWindow::secretsFile() const
{
    return QFileInfo(m_settings->fileName()).absolutePath() + QStringLiteral("/.env");
}

void MainWindow::loadAppSettings()
{
    m_app->load(*m_settings);
    m_app->setSecrets(m_secrets->load());
    m_store->setHistoryPointsPerSymbol(size_t(m_app->historyPointsPerSymbol));
    for (const QString &s : m_app->secrets())
        if (!s.isEmpty())
            IssueLog::instance().registerSecret(s);
}

PipelineConfig MainWindow::effectiveConfig() const
{
    PipelineConfig c = m_base;
    m_app->applyTo(c);
    c.alertRules += ui::AppSettings::loadAlertRules(*m_settings);  // the Alerts panel's rules
    return c;
}

void MainWindow::startPipeline()
{
    const Pipeline::State s = m_pipeline->state();
    if (s == Pipeline::State::Starting || s == Pipeline::State::Running || s == Pipeline::State::Stopping)
        return;  // starting twice is a no-op
    PipelineConfig config = effectiveConfig();
    if (!m_replayOnce.isEmpty()) {
        config.sources = {SourceSpec{QStringLiteral("replay"), m_replayOnce}};
        statusBar()->showMessage(tr("Replaying %1").arg(QFileInfo(m_replayOnce).fileName()), 8000);
        m_replayOnce.clear();
    }
    m_clearOnNextData = true;  // a new run: the charts start from what it delivers
    m_health->clear();
#ifdef MS_HAVE_POWERBI_VIEW
    if (auto *view = findChild<ms::PowerBiView *>())
        view->setDatabaseUrl(config.databaseUrl.isEmpty() ? defaultDatabaseUrl() : config.databaseUrl);
#endif
    m_pipeline->start(config);
}

void MainWindow::stopPipeline()
{
    const Pipeline::State s = m_pipeline->state();
    if (s == Pipeline::State::Stopped || s == Pipeline::State::Stopping)
        return;  // stopping twice is a no-op
    m_pipeline->stop();
}

void MainWindow::onStateChanged(Pipeline::State state, const QString &message)
{
    const QColor c = stateColor(state);
    QString text = QStringLiteral("<span style='color:%1; font-size:14pt'>●</span>&nbsp;<b>%2</b>")
                       .arg(c.name(), stateText(state));
    if (!message.isEmpty() && state == Pipeline::State::Starting)
        text += QStringLiteral(": ") + message.toHtmlEscaped();
    if (state == Pipeline::State::Error)  // the message whole goes to the Issues details, never cut here
        text += QStringLiteral(" — <a href=\"issues\">%1</a>").arg(tr("details"));
    m_state->setText(text);
    m_state->setToolTip(message);
    updateRunActions(state);
    showStoppedSummary(state, message);
    if (state == Pipeline::State::Running) {
        m_storedQuotesTimer->start();
        // The run's first candles are stored within a second or two: read them soon, not in 30 s.
        QTimer::singleShot(kFirstStoredQuotesMs, this, [this] {
            if (m_pipeline->state() == Pipeline::State::Running)
                loadStoredQuotes();
        });
    }
    else
        m_storedQuotesTimer->stop();
    if (state == Pipeline::State::Stopped)
        loadStoredQuotes();  // the run's last figures
    if (m_closeRequested && (state == Pipeline::State::Stopped || state == Pipeline::State::Error))
        QTimer::singleShot(0, this, &QWidget::close);
}

void MainWindow::frame()
{
    ++m_frames;
    LiveBatch batch = m_pipeline->takeLiveBatch();
    const bool hasData = !batch.ticks.empty() || !batch.candles.empty() || !batch.indicators.empty();
    if (hasData && m_clearOnNextData) {
        m_clearOnNextData = false;
        m_store->clear();
        m_watchlist->reset();
        m_history->loadLatest();  // the new run continues the stored series
    }
    m_store->addTicks(batch.ticks);
    m_store->addCandles(batch.candles);
    m_store->addIndicators(batch.indicators);
    const std::set<QString> changed = m_store->takeChanged();
    if (!changed.empty())
        m_watchlist->refresh(changed);
    if (m_tabs->currentIndex() == 0)
        m_charts->refresh(changed.count(m_charts->symbol()) > 0);

    const Pipeline::State s = m_pipeline->state();
    if (s == Pipeline::State::Running || s == Pipeline::State::Stopping || s == Pipeline::State::Starting) {
        // Rates go to the status bar only while they are live; once the pipeline leaves Running the
        // line says so (showStoppedSummary), not the last rate seen.
        if (m_health->update(m_pipeline->metrics(), nowMs()) && s == Pipeline::State::Running) {
            const ui::HealthHistory &h = m_health->history();
            auto last = [](const ui::TimeSeriesBuffer &b) { return b.empty() ? 0.0 : b.last().v; };
            const QLocale locale;
            QString text = tr("%1 ticks/s produced · %2 consumed · %3 stored")
                               .arg(locale.toString(last(h.producedRate()), 'f', 0),
                                    locale.toString(last(h.consumedRate()), 'f', 0),
                                    locale.toString(last(h.storedRate()), 'f', 0));
            if (batch.droppedTicks > 0)
                text += tr(" · display skipped %1 ticks").arg(locale.toString(batch.droppedTicks));
            m_status->setText(text);
        }
    }
    m_issues->pull();
}

void MainWindow::openSettings()
{
    ui::SettingsDialog dialog(*m_app, m_secrets->note(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    *m_app = dialog.settings();
    m_app->save(*m_settings);
    m_settings->sync();
    if (!m_secrets->save(m_app->secrets()))
        IssueLog::instance().error(QStringLiteral("settings"), m_secrets->note());
    else if (m_secrets->backend() == ui::SecretStore::Backend::DotEnvFile && !m_app->secrets().values().join(QString()).isEmpty())
        IssueLog::instance().warning(QStringLiteral("settings"), m_secrets->note());
    for (const QString &s : m_app->secrets())
        if (!s.isEmpty())
            IssueLog::instance().registerSecret(s);
    m_store->setHistoryPointsPerSymbol(size_t(m_app->historyPointsPerSymbol));
    applyDatabaseUrl();  // a database chosen in Settings is read at once, before any Start
    if (m_pipeline->state() != Pipeline::State::Running) {
        loadStoredQuotes();
        m_history->loadLatest();
    }
    if (m_pipeline->state() == Pipeline::State::Running)
        statusBar()->showMessage(tr("Settings saved; they apply on the next Start."), 5000);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const Pipeline::State s = m_pipeline->state();
    const bool active = s == Pipeline::State::Starting || s == Pipeline::State::Running || s == Pipeline::State::Stopping;
    if (active && m_closeRequested && !m_forceClose) {
        event->ignore();  // already stopping; closes when Stopped is reported
        return;
    }
    if (active && !m_closeRequested && !m_forceClose) {
        // Let the pipeline drain and stop (it reports through stateChanged); never wait here.
        m_closeRequested = true;
        stopPipeline();
        QTimer::singleShot(kCloseWaitMs, this, [this] {
            m_forceClose = true;  // ~Pipeline waits the last bounded moment
            close();
        });
        event->ignore();
        return;
    }
    saveWindowState();
    QMainWindow::closeEvent(event);
}

}  // namespace ms
