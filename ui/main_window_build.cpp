// The main window's widgets: the pipeline tool bar, and the tabs (Markets with the watchlist and the
// chart, Pipeline health, Issues, Power BI, Alerts, Inspector) with the status bar. main_window.cpp
// runs them: start and stop, the frame clock, settings, close.
#include "main_window.h"

#include "alert_notifier.h"
#include "alerts_panel.h"
#include "chart_panel.h"
#include "health_panel.h"
#include "history_loader.h"
#include "inspector_panel.h"
#include "issues_panel.h"
#include "market_data_store.h"
#include "toolbar_icons.h"
#include "watchlist_panel.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

#include <set>

#ifdef MS_WITH_POWERBI_VIEW  // ui/CMakeLists.txt: the Power BI tab's library is built
#include "powerbi/powerbi_view.h"
#define MS_HAVE_POWERBI_VIEW 1
#endif

namespace ms {

void MainWindow::buildActions()
{
    auto *bar = addToolBar(tr("Pipeline"));
    m_toolBar = bar;
    bar->setObjectName(QStringLiteral("pipelineToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_start = new QAction(ui::startIcon(), tr("Start"), this);
    m_start->setObjectName(QStringLiteral("startAction"));
    m_start->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::Key_F5)});
    m_start->setToolTip(tr("Start the pipeline (Ctrl+R, F5)"));
    connect(m_start, &QAction::triggered, this, &MainWindow::startPipeline);

    m_stop = new QAction(ui::stopIcon(), tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stopAction"));
    m_stop->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Period), QKeySequence(Qt::SHIFT | Qt::Key_F5)});
    m_stop->setToolTip(tr("Stop the pipeline (Ctrl+., Shift+F5)"));
    connect(m_stop, &QAction::triggered, this, &MainWindow::stopPipeline);

    m_settingsAction = new QAction(ui::settingsIcon(QApplication::palette()), tr("Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);

    bar->addAction(m_start);
    bar->addAction(m_stop);
    bar->addSeparator();
    bar->addAction(m_settingsAction);
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_state = new QLabel(bar);
    m_state->setObjectName(QStringLiteral("stateLabel"));
    m_state->setTextFormat(Qt::RichText);
    m_state->setMinimumWidth(160);
    m_state->setMaximumWidth(520);
    m_state->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(m_state, &QLabel::linkActivated, this, [this] {
        m_tabs->setCurrentWidget(m_issues);
        m_issues->pull();
        m_issues->showLatestError();
    });
    m_state->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    bar->addWidget(m_state);
}

void MainWindow::buildLayout()
{
    m_watchlist = new ui::WatchlistPanel(m_store.get(), this);
    m_charts = new ui::ChartPanel(m_store.get(), this);
    m_health = new ui::HealthPanel(this);
    m_issues = new ui::IssuesPanel(this);
    m_alerts = new ui::AlertsPanel(*m_settings, this);
    m_alertNotifier = new ui::AlertNotifier(this);
    ui::connectAlerts(m_alerts, m_charts, m_alertNotifier);
    connect(m_watchlist, &ui::WatchlistPanel::symbolSelected, m_charts, &ui::ChartPanel::setSymbol);
    m_history = new ui::HistoryLoader(m_store.get(), this);
    m_charts->setHistoryLoader(m_history);
    connect(m_history, &ui::HistoryLoader::loaded, this, [this](const QStringList &symbols) {
        m_watchlist->refresh(std::set<QString>(symbols.begin(), symbols.end()));
    });

    auto *markets = new QSplitter(Qt::Horizontal, this);
    markets->setObjectName(QStringLiteral("marketsSplitter"));
    markets->addWidget(m_watchlist);
    // The chart panel's control row is wider than the chart needs at 1024 px; inside a scroll area
    // it can never hold the whole window wider than the screen (a horizontal scroll bar at worst).
    auto *chartScroll = new QScrollArea(markets);
    chartScroll->setObjectName(QStringLiteral("chartScroll"));
    chartScroll->setWidget(m_charts);
    chartScroll->setWidgetResizable(true);
    chartScroll->setFrameShape(QFrame::NoFrame);
    chartScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    chartScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    markets->addWidget(chartScroll);
    markets->setCollapsible(0, false);
    markets->setCollapsible(1, false);
    markets->setStretchFactor(0, 2);
    markets->setStretchFactor(1, 5);
    // The chart gets the room first: at 1024 px the watchlist keeps its minimum, the chart the rest.
    markets->setSizes({420, 980});

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(markets, tr("Markets"));
    m_tabs->addTab(m_health, tr("Pipeline health"));
    m_tabs->addTab(m_issues, tr("Issues"));
#ifdef MS_HAVE_POWERBI_VIEW
    m_tabs->addTab(new ms::PowerBiView(this), tr("Power BI"));
#else
    auto *placeholder = new QLabel(tr("The Power BI view is not part of this build."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    m_tabs->addTab(placeholder, tr("Power BI"));
#endif
    m_tabs->addTab(m_alerts, tr("Alerts"));
    m_inspector = new ui::InspectorPanel(this);
    m_inspector->setClusterProvider([this] {
        kafka::KafkaSettings s;
        s.bootstrap = m_pipeline->bootstrapServers();  // the embedded broker's while it runs
        const PipelineConfig c = effectiveConfig();
        if (s.bootstrap.isEmpty())
            s.bootstrap = c.kafkaBootstrap;
        s.props = c.kafkaProps;
        return s;
    });
    m_tabs->addTab(m_inspector, tr("Inspector"));
    connect(m_issues, &ui::IssuesPanel::errorsChanged, this,
            [this](int errors) { m_tabs->setTabText(2, tr("Issues (%1)").arg(errors)); });
    setCentralWidget(m_tabs);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusSummary"));
    statusBar()->addWidget(m_status, 1);
}

}  // namespace ms
