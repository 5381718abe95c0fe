#include "powerbi/powerbi_view.h"

#include "reporting/powerbi_export.h"
#include "storage/database.h"
#include "storage/database_url.h"

#include <QAtomicInt>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace ms {

using namespace ms::reporting;

namespace {

constexpr int kSortRole = Qt::UserRole + 1;

QString price(double v)
{
    return QLocale().toString(v, 'f', qAbs(v) < 1 ? 6 : 2);
}

QLabel *card(QHBoxLayout *row, const QString &title)
{
    auto *frame = new QFrame;
    frame->setFrameShape(QFrame::StyledPanel);
    auto *lay = new QVBoxLayout(frame);
    auto *caption = new QLabel(title);
    auto *value = new QLabel(QStringLiteral("–"));
    QFont f = value->font();
    f.setPointSizeF(f.pointSizeF() * 1.8);
    f.setBold(true);
    value->setFont(f);
    value->setAccessibleName(title);
    lay->addWidget(caption);
    lay->addWidget(value);
    row->addWidget(frame, 1);
    return value;
}

QStandardItem *cell(const QString &text, const QVariant &sortKey)
{
    auto *item = new QStandardItem(text);
    item->setData(sortKey, kSortRole);
    item->setEditable(false);
    if (sortKey.metaType().id() == QMetaType::Double || sortKey.metaType().id() == QMetaType::LongLong)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

PowerBiView::PowerBiView(QWidget *parent)
    : QWidget(parent), m_timer(new QTimer(this)), m_cancelExport(std::make_shared<std::atomic_bool>(false))
{
    auto *top = new QHBoxLayout;
    m_symbol = new QComboBox;
    m_symbol->addItem(tr("All symbols"), QString());
    m_symbol->setMinimumContentsLength(16);
    auto *refresh = new QPushButton(tr("Refresh"));
    m_exportButton = new QPushButton(tr("Export Power BI dataset…"));
    top->addWidget(new QLabel(tr("Symbol:")));
    top->addWidget(m_symbol);
    top->addStretch(1);
    top->addWidget(refresh);
    top->addWidget(m_exportButton);

    auto *cards = new QHBoxLayout;
    m_last = card(cards, tr("Last price"));
    m_change = card(cards, tr("Change % (24 h)"));
    m_volume = card(cards, tr("Volume (24 h)"));
    m_vwap = card(cards, tr("VWAP (24 h)"));

    m_model = new QStandardItemModel(0, 10, this);
    m_model->setHorizontalHeaderLabels({tr("Symbol"), tr("Asset"), tr("Currency"), tr("Last price"), tr("Change % 24 h"),
                                        tr("High 24 h"), tr("Low 24 h"), tr("Volume 24 h"), tr("VWAP 24 h"),
                                        tr("Last trade (UTC)")});
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(kSortRole);
    m_table = new QTableView;
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::AscendingOrder);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);

    m_chart = new QChart;
    m_chart->setTitle(tr("Daily close (v_daily_summary)"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chartView = new QChartView(m_chart);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);

    m_status = new QLabel(tr("No database yet: start the pipeline or set DATABASE_URL in Settings."));
    m_status->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(cards);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_chartView, 1);
    layout->addWidget(m_status);

    connect(m_timer, &QTimer::timeout, this, &PowerBiView::refreshNow);
    connect(refresh, &QPushButton::clicked, this, &PowerBiView::refreshNow);
    connect(m_exportButton, &QPushButton::clicked, this, &PowerBiView::chooseExportFolder);
    connect(m_symbol, &QComboBox::currentIndexChanged, this, [this] {
        updateKpis();
        refreshNow();  // the trend chart follows the selection
    });
    connect(&m_refresh, &QFutureWatcher<Snapshot>::finished, this, [this] {
        applySnapshot(m_refresh.result());
        if (m_pending) {
            m_pending = false;
            refreshNow();
        }
    });
    connect(&m_export, &QFutureWatcher<QString>::finished, this, [this] {
        const QString error = m_export.result();
        m_exportButton->setEnabled(true);
        m_status->setText(error.isEmpty() ? tr("Power BI dataset exported.") : tr("Export failed: %1").arg(error));
        Q_EMIT exportFinished(error.isEmpty(), error);
    });
    setRefreshIntervalMs(m_intervalMs);
}

PowerBiView::~PowerBiView()
{
    // Background work holds no pointer to this widget; stop the export soon and wait for both.
    m_cancelExport->store(true);
    m_refresh.waitForFinished();
    m_export.waitForFinished();
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

void PowerBiView::refreshNow()
{
    if (m_url.isEmpty())
        return;
    if (m_refresh.isRunning()) {
        m_pending = true;
        return;
    }
    m_refresh.setFuture(QtConcurrent::run(&PowerBiView::fetch, m_url, m_symbol->currentData().toString()));
}

PowerBiView::Snapshot PowerBiView::fetch(const QString &urlText, const QString &symbolKey)
{
    Snapshot s;
    Result<DatabaseUrl> url = DatabaseUrl::parse(urlText);
    if (!url) {
        s.error = url.errorMessage();
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
        Result<QList<LatestQuote>> quotes = queryLatestQuotes(db.value());
        Result<QList<DailySummary>> daily = queryDailySummary(db.value(), symbolKey, 90);
        if (!quotes || !daily) {
            s.error = !quotes ? quotes.errorMessage() : daily.errorMessage();
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
        m_status->setText(tr("Cannot read the reporting views: %1").arg(s.error));
        Q_EMIT refreshed(false);
        return;
    }
    m_quotes = s.quotes;
    // Symbol list: keep the selection, add new symbols.
    for (const LatestQuote &q : s.quotes) {
        if (m_symbol->findData(q.symbolKey) < 0) {
            QSignalBlocker block(m_symbol);
            m_symbol->addItem(q.symbol + QStringLiteral(" (") + q.currency + u')', q.symbolKey);
        }
    }
    m_model->setRowCount(0);
    for (const LatestQuote &q : s.quotes) {
        m_model->appendRow({cell(q.symbol, q.symbol), cell(q.assetClass, q.assetClass), cell(q.currency, q.currency),
                            cell(price(q.lastPrice), q.lastPrice),
                            cell(q.changePct24h ? QLocale().toString(*q.changePct24h, 'f', 2) + u'%' : QStringLiteral("–"),
                                 q.changePct24h.value_or(0)),
                            cell(price(q.high24h), q.high24h), cell(price(q.low24h), q.low24h),
                            cell(QLocale().toString(q.volume24h, 'f', 2), q.volume24h),
                            cell(q.vwap24h ? price(*q.vwap24h) : QStringLiteral("–"), q.vwap24h.value_or(0)),
                            cell(q.lastTime.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), q.lastTime)});
    }
    updateKpis();
    updateChart(s.daily);
    m_status->setText(tr("%n symbol(s), refreshed %1 UTC", nullptr, int(s.quotes.size()))
                          .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("HH:mm:ss"))));
    Q_EMIT refreshed(true);
}

void PowerBiView::updateKpis()
{
    const Kpis k = computeKpis(m_quotes, m_symbol->currentData().toString());
    m_last->setText(k.lastPrice ? price(*k.lastPrice) : QStringLiteral("–"));
    m_change->setText(k.changePct ? QLocale().toString(*k.changePct, 'f', 2) + u'%' : QStringLiteral("–"));
    m_volume->setText(k.symbols ? QLocale().toString(k.volume, 'f', 2) : QStringLiteral("–"));
    m_vwap->setText(k.vwap ? price(*k.vwap) : QStringLiteral("–"));
}

void PowerBiView::updateChart(const QList<DailySummary> &daily)
{
    m_chart->removeAllSeries();
    const QList<QAbstractAxis *> axes = m_chart->axes();
    for (QAbstractAxis *a : axes) {
        m_chart->removeAxis(a);
        delete a;
    }
    QMap<QString, QLineSeries *> bySymbol;
    double lo = 0, hi = 0;
    bool first = true;
    for (const DailySummary &d : daily) {
        QLineSeries *&series = bySymbol[d.symbolKey];
        if (!series) {
            if (bySymbol.size() > 8)
                continue;  // a trend chart, not a legend of hundreds
            series = new QLineSeries;
            series->setName(d.symbol);
        }
        series->append(double(QDateTime(d.date, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch()), d.close);
        lo = first ? d.close : qMin(lo, d.close);
        hi = first ? d.close : qMax(hi, d.close);
        first = false;
    }
    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("yyyy-MM-dd"));
    auto *y = new QValueAxis;
    y->setRange(lo - (hi - lo) * 0.05 - 1e-9, hi + (hi - lo) * 0.05 + 1e-9);
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    for (QLineSeries *s : std::as_const(bySymbol)) {
        if (!s)
            continue;
        s->setPointsVisible(s->count() < 40);
        m_chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
    if (!daily.isEmpty()) {
        x->setRange(QDateTime(daily.first().date, QTime(0, 0), Qt::UTC).addSecs(-43200),
                    QDateTime(daily.last().date, QTime(0, 0), Qt::UTC).addSecs(43200));
    }
}

void PowerBiView::chooseExportFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export the Power BI dataset to"));
    if (!dir.isEmpty())
        startExport(dir);
}

void PowerBiView::startExport(const QString &outDir)
{
    if (m_export.isRunning() || m_url.isEmpty()) {
        if (m_url.isEmpty())
            Q_EMIT exportFinished(false, tr("no database"));
        return;
    }
    m_cancelExport->store(false);
    auto *dialog = new QProgressDialog(tr("Exporting the Power BI dataset…"), tr("Cancel"), 0, 1000, this);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const std::shared_ptr<std::atomic_bool> cancel = m_cancelExport;
    connect(dialog, &QProgressDialog::canceled, this, [cancel] { cancel->store(true); });
    connect(&m_export, &QFutureWatcher<QString>::finished, dialog, &QProgressDialog::close, Qt::SingleShotConnection);
    m_exportButton->setEnabled(false);
    m_status->setText(tr("Exporting to %1…").arg(outDir));

    // The dialog outlives every progress call: it closes when the export has finished, and the
    // destructor waits for the export before Qt deletes this widget's children.
    QPointer<QProgressDialog> guard(dialog);
    ExportOptions options;
    options.cancel = cancel.get();
    options.progress = [dialog, guard](const ExportProgress &p) {
        if (p.stepCount <= 0)
            return;
        double within = p.rowsTotal > 0 ? double(p.rowsDone) / double(p.rowsTotal) : 0.0;
        const int value = int(1000.0 * (qMax(0, p.stepIndex - 1) + qBound(0.0, within, 1.0)) / p.stepCount);
        const QString label = QObject::tr("Exporting %1…").arg(p.step);
        QMetaObject::invokeMethod(dialog, [guard, value, label] {
            if (guard) {
                guard->setValue(qMin(value, 999));
                guard->setLabelText(label);
            }
        }, Qt::QueuedConnection);
    };
    const QString urlText = m_url;
    m_export.setFuture(QtConcurrent::run([urlText, outDir, options, cancel]() -> QString {
        Result<DatabaseUrl> url = DatabaseUrl::parse(urlText);
        if (!url)
            return url.errorMessage();
        Result<ExportSummary> r = exportPowerBi(url.value(), outDir, options);
        return r.ok() ? QString() : r.errorMessage();
    }));
}

QString PowerBiView::kpiText(const QString &c) const
{
    if (c == QLatin1String("last"))
        return m_last->text();
    if (c == QLatin1String("change"))
        return m_change->text();
    if (c == QLatin1String("volume"))
        return m_volume->text();
    if (c == QLatin1String("vwap"))
        return m_vwap->text();
    return {};
}

QAbstractItemModel *PowerBiView::quotesModel() const
{
    return m_table->model();
}

int PowerBiView::trendPointCount() const
{
    int n = 0;
    const QList<QAbstractSeries *> series = m_chart->series();
    for (QAbstractSeries *s : series)
        n += int(static_cast<QLineSeries *>(s)->count());
    return n;
}

QString PowerBiView::statusText() const
{
    return m_status->text();
}

void PowerBiView::selectSymbol(const QString &symbolKey)
{
    const int i = m_symbol->findData(symbolKey);
    if (i >= 0)
        m_symbol->setCurrentIndex(i);
}

}  // namespace ms
