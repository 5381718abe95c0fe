#include "health_panel.h"

#include "time_chart.h"
#include "ui_theme.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ms::ui {

namespace {
constexpr qint64 kWindowMs = 5 * 60 * 1000;

QTableWidget *makeTable(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setShowGrid(false);
    t->setAlternatingRowColors(true);
    t->horizontalHeader()->setStretchLastSection(true);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return t;
}

void setCell(QTableWidget *t, int row, int col, const QString &text, const QColor &color = {})
{
    QTableWidgetItem *item = t->item(row, col);
    if (!item) {
        item = new QTableWidgetItem;
        t->setItem(row, col, item);
    }
    if (item->text() != text)
        item->setText(text);
    if (color.isValid())
        item->setForeground(color);
}

QString lagSecondsText(double seconds)
{
    if (seconds < 0)
        return HealthPanel::tr("unknown");
    return HealthPanel::tr("%1 s").arg(QLocale().toString(seconds, 'f', seconds < 10 ? 3 : 1));
}

QColor stateColor(SourceState s)
{
    switch (s) {
    case SourceState::Running:
    case SourceState::Finished: return upColor();
    case SourceState::Idle:
    case SourceState::Connecting:
    case SourceState::Stopped: return QColor(0x9a, 0xa3, 0xb0);
    case SourceState::RateLimited:
    case SourceState::Throttled: return QColor(0xe0, 0xa0, 0x30);
    default: return downColor();
    }
}
}  // namespace

HealthPanel::HealthPanel(QWidget *parent) : QWidget(parent)
{
    m_rates = new TimeChart(tr("Throughput"), tr("msg/s"), this);
    m_lag = new TimeChart(tr("Consumer lag per topic"), tr("messages"), this);
    m_latency = new TimeChart(tr("Produce → database latency"), tr("ms"), this);
    m_errors = new TimeChart(tr("Rejected and dead-lettered"), tr("count"), this);
    m_rates->setObjectName(QStringLiteral("ratesChart"));
    m_lag->setObjectName(QStringLiteral("lagChart"));
    for (const QString &n : {tr("produced"), tr("consumed"), tr("stored")})
        m_rates->series(n);
    m_latency->series(QStringLiteral("p50"));
    m_latency->series(QStringLiteral("p99"));
    m_errors->series(tr("rejected"));
    m_errors->series(tr("dead-lettered"));

    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("healthTotals"));
    m_totals->setTextFormat(Qt::RichText);
    m_totals->setWordWrap(true);
    m_sources = makeTable({tr("Source"), tr("State"), tr("Ticks"), tr("Last message")}, this);
    m_sources->setObjectName(QStringLiteral("sourcesTable"));
    m_partitions = makeTable({tr("Topic"), tr("Partition"), tr("Lag (messages)"), tr("Lag (seconds)"), tr("Position")}, this);
    m_partitions->horizontalHeaderItem(4)->setToolTip(tr("Next offset the consumer reads (its Kafka position)"));
    m_partitions->horizontalHeaderItem(3)->setToolTip(
        tr("Newest produced minus newest stored message time; 0 when nothing waits"));
    m_partitions->setObjectName(QStringLiteral("partitionsTable"));

    auto *charts = new QWidget(this);
    auto *grid = new QGridLayout(charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_rates, 0, 0);
    grid->addWidget(m_lag, 0, 1);
    grid->addWidget(m_latency, 1, 0);
    grid->addWidget(m_errors, 1, 1);
    auto *tables = new QSplitter(Qt::Horizontal, this);
    tables->addWidget(m_sources);
    tables->addWidget(m_partitions);
    tables->setStretchFactor(0, 3);
    tables->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(charts);
    split->addWidget(tables);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_totals);
    layout->addWidget(split, 1);
    clear();
}

void HealthPanel::clear()
{
    m_history.clear();
    m_totals->setText(tr("Pipeline not running. Press <b>Start</b> to see throughput, lag and latency."));
}

bool HealthPanel::update(const MetricsSnapshot &s, qint64 nowMs)
{
    if (!m_history.add(s, nowMs))
        return false;
    m_totals->setText(summary().toHtmlEscaped().replace(QStringLiteral(" · "), QStringLiteral(" &nbsp;·&nbsp; ")));
    fillTables(s);
    // The charts are the expensive part: while the tab is hidden only the history grows, and
    // showEvent() draws it when the tab comes up.
    m_chartsStale = true;
    if (isVisible())
        drawCharts();
    return true;
}

void HealthPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_chartsStale)
        drawCharts();
}

void HealthPanel::drawCharts()
{
    m_chartsStale = false;
    const qint64 t1 = m_history.lastSampleMs();
    const qint64 t0 = t1 - kWindowMs;
    m_rates->draw({{tr("produced"), &m_history.producedRate()},
                   {tr("consumed"), &m_history.consumedRate()},
                   {tr("stored"), &m_history.storedRate()}},
                  t0, t1);
    std::vector<std::pair<QString, const TimeSeriesBuffer *>> lag;
    for (const auto &[topic, points] : m_history.lagByTopic())
        lag.emplace_back(topic, &points);
    m_lag->draw(lag, t0, t1);
    m_latency->draw({{QStringLiteral("p50"), &m_history.latencyP50()}, {QStringLiteral("p99"), &m_history.latencyP99()}},
                    t0, t1);
    m_errors->draw({{tr("rejected"), &m_history.rejected()}, {tr("dead-lettered"), &m_history.deadLettered()}}, t0, t1);
}

QString HealthPanel::summary() const
{
    const MetricsSnapshot &s = m_history.latest();
    const QLocale l;
    // The headless summary's figures under the same names (README, "Headless summary").
    QString text = tr("Produced %1 · consumed %2 · stored %3 new rows · duplicates %4 · rejected %5 · "
                      "dead-lettered %6 · late %7 · candle writes %8 · lag %9 messages, %10 · "
                      "latency p50 %11 ms, p99 %12 ms")
                       .arg(l.toString(s.produced), l.toString(s.consumed), l.toString(s.stored),
                            l.toString(s.duplicates), l.toString(s.rejected), l.toString(s.deadLettered),
                            l.toString(s.droppedLate), l.toString(s.candleWrites), l.toString(s.lagMessages))
                       .arg(lagSecondsText(s.lagSeconds))
                       .arg(s.latencyP50Ms, 0, 'f', 1)
                       .arg(s.latencyP99Ms, 0, 'f', 1);
    // Feed gaps stored this run (feed_gaps rows; the chart shades them).
    text += tr(" · feed gaps %1").arg(l.toString(s.feedGaps));
    if (!s.databaseState.isEmpty())
        text += tr(" · database: %1").arg(s.databaseState);
    if (s.databaseBytes >= 0)  // measured by the retention worker (issue 14)
        text += tr(" · database size %1").arg(l.formattedDataSize(s.databaseBytes, 1, QLocale::DataSizeSIFormat));
    return text;
}

void HealthPanel::fillTables(const MetricsSnapshot &s)
{
    m_sources->setRowCount(int(s.sources.size()));
    for (int i = 0; i < int(s.sources.size()); ++i) {
        const SourceHealth &h = s.sources[size_t(i)];
        setCell(m_sources, i, 0, h.name);
        setCell(m_sources, i, 1, ms::toString(h.status.state), stateColor(h.status.state));
        setCell(m_sources, i, 2, QLocale().toString(h.ticks));
        QString message = h.status.message;
        if (h.status.retryAfterMs > 0)
            message += tr(" (retrying in %1 s)").arg(double(h.status.retryAfterMs) / 1000.0, 0, 'f', 1);
        setCell(m_sources, i, 3, message.isEmpty() ? tr("—") : message);
    }
    m_partitions->setRowCount(int(s.partitions.size()));
    for (int i = 0; i < int(s.partitions.size()); ++i) {
        const ConsumerLag &p = s.partitions[size_t(i)];
        setCell(m_partitions, i, 0, p.topic);
        setCell(m_partitions, i, 1, QString::number(p.partition));
        setCell(m_partitions, i, 2, p.lagMessages < 0 ? tr("unknown") : QLocale().toString(p.lagMessages));
        setCell(m_partitions, i, 3, lagSecondsText(p.lagSeconds));
        setCell(m_partitions, i, 4, p.position < 0 ? tr("unknown") : QLocale().toString(p.position));
    }
}

}  // namespace ms::ui
