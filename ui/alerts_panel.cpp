#include "alerts_panel.h"

#include "alerts/alert_rule.h"
#include "app_settings.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace ms::ui {

namespace {
constexpr int kShownTriggers = 500;

QString utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}
} // namespace

AlertsPanel::AlertsPanel(QSettings &settings, QWidget *parent)
    : QWidget(parent), m_settings(settings), m_timer(new QTimer(this)), m_edit(new QLineEdit(this)),
      m_add(new QPushButton(tr("Add"), this)), m_remove(new QPushButton(tr("Remove"), this)),
      m_list(new QListWidget(this)), m_error(new QLabel(this)),
      m_table(new QTableWidget(0, 5, this)), m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("alertsPanel"));
    m_edit->setPlaceholderText(
        tr("BTC>50000, ETH<2000 or AAPL%5m>2 (a move of more than 2 % within 5 minutes)"));
    m_edit->setObjectName(QStringLiteral("alertRuleEdit"));
    m_list->setObjectName(QStringLiteral("alertRuleList"));
    m_table->setObjectName(QStringLiteral("alertTriggerTable"));
    m_error->setObjectName(QStringLiteral("alertRuleError"));
    m_error->setWordWrap(true);
    m_table->setHorizontalHeaderLabels(
        {tr("Event time (UTC)"), tr("Rule"), tr("Symbol"), tr("Price"), tr("Detail")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);  // a time on one line
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);

    auto *rulesBox = new QWidget(this);
    auto *rulesLayout = new QVBoxLayout(rulesBox);
    rulesLayout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    row->addWidget(m_edit, 1);
    row->addWidget(m_add);
    row->addWidget(m_remove);
    rulesLayout->addWidget(
        new QLabel(tr("Rules (used by the next Start; a rule fires again only after the price "
                      "crossed back):"),
                   rulesBox));
    rulesLayout->addLayout(row);
    rulesLayout->addWidget(m_error);
    rulesLayout->addWidget(m_list, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(rulesBox);
    split->addWidget(m_table);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    m_rules = AppSettings::loadAlertRules(m_settings);
    m_list->addItems(m_rules);
    connect(m_add, &QPushButton::clicked, this, [this] {
        if (addRule(m_edit->text()))
            m_edit->clear();
    });
    connect(m_edit, &QLineEdit::returnPressed, m_add, &QPushButton::click);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem *item = m_list->currentItem())
            removeRule(item->text());
    });
    connect(m_timer, &QTimer::timeout, this, &AlertsPanel::refresh);
    connect(&m_watcher, &QFutureWatcher<Result<std::vector<StoredAlert>>>::finished, this,
            [this] { showTriggers(m_watcher.result()); });
}

AlertsPanel::~AlertsPanel()
{
    m_timer->stop();
    m_watcher.waitForFinished(); // a read in flight finishes (bounded by the connect timeout)
}

bool AlertsPanel::addRule(const QString &spec)
{
    auto rule = parseAlertRule(spec);
    if (!rule) {
        m_error->setText(rule.errorMessage());
        return false;
    }
    const QString text = QString::fromStdString(rule->text);
    if (m_rules.contains(text)) {
        m_error->setText(tr("%1 is already a rule").arg(text));
        return false;
    }
    m_error->clear();
    m_rules << text;
    m_list->addItem(text);
    save();
    return true;
}

void AlertsPanel::removeRule(const QString &rule)
{
    const qsizetype i = m_rules.indexOf(rule);
    if (i < 0)
        return;
    m_rules.removeAt(i);
    delete m_list->takeItem(int(i));
    save();
}

void AlertsPanel::save()
{
    AppSettings::saveAlertRules(m_settings, m_rules);
    Q_EMIT rulesChanged(m_rules);
}

void AlertsPanel::setDatabaseUrl(const QString &url, int refreshMs)
{
    if (url != m_url) {
        m_url = url;
        m_seen.clear();
        m_reads = 0;
    }
    m_timer->start(refreshMs);
    refresh();
}

void AlertsPanel::refresh()
{
    if (m_url.isEmpty() || m_watcher.isRunning())
        return;
    auto parsed = DatabaseUrl::parse(m_url);
    if (!parsed) {
        m_status->setText(parsed.errorMessage());
        return;
    }
    const DatabaseUrl url = parsed.value();
    m_watcher.setFuture(
        QtConcurrent::run([url] { return AlertHistory(url).latest(kShownTriggers); }));
}

void AlertsPanel::showTriggers(Result<std::vector<StoredAlert>> read)
{
    if (!read) {
        m_status->setText(tr("Cannot read the stored alerts: %1").arg(read.errorMessage()));
        return;
    }
    const bool first = m_reads++ == 0;
    std::vector<StoredAlert> fresh;
    for (const StoredAlert &a : read.value()) {
        const auto key = std::make_tuple(a.trigger.rule, int(a.trigger.tick.source),
                                         a.trigger.tick.symbol, a.trigger.tick.id);
        if (m_seen.insert(key).second && !first)
            fresh.push_back(a);
    }
    m_triggers = std::move(read.value());
    m_table->setRowCount(int(m_triggers.size()));
    for (int r = 0; r < int(m_triggers.size()); ++r) {
        const AlertTrigger &t = m_triggers[size_t(r)].trigger;
        const QStringList cells{
            utc(t.tick.tsMs), QString::fromStdString(t.rule), QString::fromStdString(t.tick.symbol),
            QString::number(t.tick.price, 'g', 12), QString::fromStdString(t.detail)};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
    // Time, rule, symbol and price are short: shown whole; the detail takes the rest.
    for (int c = 0; c + 1 < m_table->columnCount(); ++c)
        m_table->resizeColumnToContents(c);
    m_status->setText(tr("%n stored trigger(s) shown", nullptr, int(m_triggers.size())));
    if (!fresh.empty())
        Q_EMIT triggersArrived(fresh);
    Q_EMIT triggersLoaded();
}

} // namespace ms::ui
