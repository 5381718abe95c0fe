#include "powerbi/powerbi_view.h"

#include "powerbi/powerbi_charts.h"
#include "powerbi/powerbi_pages.h"
#include "reporting/powerbi_export.h"
#include "runtime/config.h"
#include "storage/database.h"
#include "storage/database_url.h"

#include <QAtomicInt>
#include <QButtonGroup>
#include <QChart>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace ms {

using namespace ms::reporting;

namespace {

// A SQLite URL whose file does not exist: opening it would create an empty database.
QString missingSqliteFile(const DatabaseUrl &url)
{
    if (!url.isSqlite() || url.sqlitePath == QLatin1String(":memory:") || QFileInfo::exists(url.sqlitePath))
        return {};
    return url.sqlitePath;
}

QString noDatabaseText(const QString &path)
{
    return QObject::tr("No database yet at %1. Press Start: the pipeline creates it and this tab fills in.")
        .arg(QDir::toNativeSeparators(path));
}

}  // namespace

PowerBiView::PowerBiView(QWidget *parent)
    : QWidget(parent), m_timer(new QTimer(this)), m_cancelExport(std::make_shared<std::atomic_bool>(false))
{
    auto *top = new QHBoxLayout;
    m_symbol = new QComboBox;
    m_symbol->addItem(tr("All symbols"), QString());
    m_symbol->setMinimumContentsLength(14);
    m_symbol->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    top->addWidget(new QLabel(tr("Symbol:")));
    top->addWidget(m_symbol);
    top->addSpacing(12);
    top->addWidget(new QLabel(tr("Range:")));
    m_rangeButtons = new QButtonGroup(this);
    const QList<QPair<QString, DashboardRange>> ranges = {
        {tr("7 d"), DashboardRange::Days7}, {tr("30 d"), DashboardRange::Days30}, {tr("All"), DashboardRange::All}};
    for (const auto &[label, r] : ranges) {
        auto *b = new QToolButton;
        b->setText(label);
        b->setCheckable(true);
        b->setChecked(r == m_range);
        b->setToolTip(tr("Days up to the newest stored day"));
        m_rangeButtons->addButton(b, int(r));
        top->addWidget(b);
    }
    markCheckedRange();
    top->addStretch(1);
    auto *refresh = new QPushButton(tr("Refresh"));
    m_exportButton = new QPushButton(tr("Export Power BI dataset…"));
    top->addWidget(refresh);
    top->addWidget(m_exportButton);

    m_pages = new QStackedWidget;
    m_overview = new powerbi::OverviewPage;
    m_symbolPage = new powerbi::SymbolPage;
    m_pages->addWidget(m_overview);
    m_pages->addWidget(m_symbolPage);

    m_status = new QLabel(tr("Reading the reporting views…"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_exportStatus = new QLabel;
    m_exportStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exportStatus->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_exportStatus, 0);  // empty until an export: the status line keeps the width

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_pages, 1);
    layout->addLayout(bottom);

    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())  // another tab is in front: no queries until this one is shown again
            refreshNow();
    });
    connect(refresh, &QPushButton::clicked, this, &PowerBiView::refreshNow);
    connect(m_exportButton, &QPushButton::clicked, this, &PowerBiView::chooseExportFolder);
    connect(m_symbol, &QComboBox::currentIndexChanged, this, [this] {
        showPage();    // what is already known (the quotes) at once
        refreshNow();  // the days of the new selection
    });
    connect(m_rangeButtons, &QButtonGroup::idClicked, this, [this](int id) { setRange(DashboardRange(id)); });
    connect(&m_refresh, &QFutureWatcher<Snapshot>::finished, this, [this] {
        applySnapshot(m_refresh.result());
        if (m_pending) {
            m_pending = false;
            refreshNow();
        }
    });
    connect(&m_export, &QFutureWatcher<ExportOutcome>::finished, this,
            [this] { finishExport(m_export.result(), m_exportDir); });
    setRefreshIntervalMs(m_intervalMs);
}

PowerBiView::~PowerBiView()
{
    // Background work holds no pointer to this widget; stop the export soon and wait for both.
    m_cancelExport->store(true);
    m_refresh.waitForFinished();
    m_export.waitForFinished();
}

QString PowerBiView::fallbackDatabaseUrl()
{
    const PipelineConfig c = configFromEnvironment();
    return c.databaseUrl.isEmpty() ? defaultDatabaseUrl() : c.databaseUrl;
}

void PowerBiView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_url.isEmpty())
        setDatabaseUrl(fallbackDatabaseUrl());  // before Start: the database the pipeline would use
    else
        refreshNow();  // what changed while another tab was in front
}

void PowerBiView::markCheckedRange()
{
    // Some styles (Fusion with a dark palette) hardly show a checked tool button: bold says it too.
    const QList<QAbstractButton *> buttons = m_rangeButtons->buttons();
    for (QAbstractButton *b : buttons) {
        QFont f = b->font();
        f.setBold(b->isChecked());
        b->setFont(f);
    }
}

void PowerBiView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // The day axes choose their label count from the chart width: lay them out again at the new size.
    QTimer::singleShot(0, this, &PowerBiView::showPage);
}

void PowerBiView::setDatabaseUrl(const QString &url)
{
    m_url = url;
    refreshNow();
}

void PowerBiView::setRefreshIntervalMs(int ms)
{
    m_intervalMs = ms;
    if (ms > 0)
        m_timer->start(ms);
    else
        m_timer->stop();
}

void PowerBiView::setRange(DashboardRange range)
{
    m_range = range;
    if (QAbstractButton *b = m_rangeButtons->button(int(range)))
        b->setChecked(true);
    markCheckedRange();
    refreshNow();
}

void PowerBiView::refreshNow()
{
    if (m_url.isEmpty())
        return;
    if (m_refresh.isRunning()) {
        m_pending = true;
        return;
    }
    m_refresh.setFuture(
        QtConcurrent::run(&PowerBiView::fetch, m_url, m_symbol->currentData().toString(), rangeDays(m_range)));
}

PowerBiView::Snapshot PowerBiView::fetch(const QString &urlText, const QString &symbolKey, int days)
{
    Snapshot s;
    s.symbolKey = symbolKey;
    Result<DatabaseUrl> url = DatabaseUrl::parse(urlText);
    if (!url) {
        s.error = url.errorMessage();
        return s;
    }
    if (const QString missing = missingSqliteFile(url.value()); !missing.isEmpty()) {
        s.error = noDatabaseText(missing);
        return s;
    }
    // Its own connection per call and thread: QSqlDatabase connections are thread-bound.
    static QAtomicInt counter;
    const QString name = QStringLiteral("ms-powerbi-view-%1").arg(counter.fetchAndAddRelaxed(1));
    {
        Result<QSqlDatabase> db = openDatabase(url.value(), name, 3);
        if (!db) {
            s.error = db.errorMessage();
            return s;
        }
        if (url->isPostgres())  // short index lookups; JIT compiling them cost ~0.4 s each (bench_reporting)
            QSqlQuery(db.value()).exec(QStringLiteral("SET jit = off"));
        Result<QList<LatestQuote>> quotes = queryLatestQuotes(db.value());
        Result<QList<DailySummary>> daily = queryDailyRange(db.value(), symbolKey, days);
        if (!quotes || !daily) {
            s.error = QObject::tr("Cannot read the reporting views: %1").arg(!quotes ? quotes.errorMessage() : daily.errorMessage());
        } else {
            s.ok = true;
            s.quotes = std::move(quotes.value());
            s.daily = std::move(daily.value());
        }
    }
    closeDatabase(name);
    return s;
}

void PowerBiView::applySnapshot(const Snapshot &s)
{
    if (!s.ok) {
        m_status->setText(s.error);
        Q_EMIT refreshed(false);
        return;
    }
    const bool current = s.symbolKey == m_symbol->currentData().toString();
    if (current) {
        m_last = s;
    } else {  // read for an older selection: keep the days on screen, take the newer quotes
        m_last.ok = true;
        m_last.quotes = s.quotes;
    }
    for (const LatestQuote &q : s.quotes) {  // keep the selection, add new symbols
        if (m_symbol->findData(q.symbolKey) < 0) {
            QSignalBlocker block(m_symbol);
            m_symbol->addItem(q.symbol + QStringLiteral(" (") + q.assetClass + u')', q.symbolKey);
        }
    }
    showPage();
    if (!current) {
        m_pending = true;  // the current selection's days come with the next refresh
        return;
    }
    m_status->setText(s.quotes.isEmpty()
                          ? tr("The database has no candles yet: start the pipeline (or a backfill).")
                          : tr("%n symbol(s) · %1 · refreshed %2 UTC", nullptr, int(s.quotes.size()))
                                .arg(DatabaseUrl::parse(m_url) ? DatabaseUrl::parse(m_url)->redacted() : QString(),
                                     QDateTime::currentDateTimeUtc().toString(QStringLiteral("HH:mm:ss"))));
    Q_EMIT refreshed(true);
}

void PowerBiView::showPage()
{
    const QString key = m_symbol->currentData().toString();
    if (key.isEmpty()) {
        m_pages->setCurrentWidget(m_overview);
        if (m_last.ok && m_last.symbolKey.isEmpty())
            m_overview->display(m_last.quotes, m_last.daily);
        return;
    }
    m_pages->setCurrentWidget(m_symbolPage);
    const LatestQuote *quote = nullptr;
    for (const LatestQuote &q : std::as_const(m_last.quotes)) {
        if (q.symbolKey == key)
            quote = &q;
    }
    // The days arrive with the refresh of this selection; until then only the quote is shown.
    m_symbolPage->display(quote, m_last.symbolKey == key ? m_last.daily : QList<DailySummary>{});
}

bool PowerBiView::showsAllSymbols() const
{
    return m_pages->currentWidget() == m_overview;
}

void PowerBiView::selectSymbol(const QString &symbolKey)
{
    const int i = m_symbol->findData(symbolKey);
    if (i >= 0)
        m_symbol->setCurrentIndex(i);
}

QString PowerBiView::kpiText(const QString &c) const
{
    powerbi::KpiCard *card = c.startsWith(QLatin1String("count:")) ? m_overview->card(c) : m_symbolPage->card(c);
    return card ? card->text() : QString();
}

std::optional<double> PowerBiView::kpiNumber(const QString &c) const
{
    powerbi::KpiCard *card = c.startsWith(QLatin1String("count:")) ? m_overview->card(c) : m_symbolPage->card(c);
    return card ? card->number() : std::nullopt;
}

QAbstractItemModel *PowerBiView::quotesModel() const
{
    return m_overview->quotesModel();
}

QAbstractItemModel *PowerBiView::candleModel() const
{
    return m_symbolPage->candleModel();
}

int PowerBiView::trendPointCount() const
{
    return powerbi::chartPointCount(showsAllSymbols() ? m_overview->trendChart() : m_symbolPage->priceChart());
}

QString PowerBiView::statusText() const
{
    return m_status->text();
}

QString PowerBiView::exportStatusText() const
{
    return m_exportStatus->text();
}

void PowerBiView::chooseExportFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export the Power BI dataset to"));
    if (!dir.isEmpty())
        startExport(dir);
}

}  // namespace ms
