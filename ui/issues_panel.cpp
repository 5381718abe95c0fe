#include "issues_panel.h"

#include "ui_theme.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ms::ui {

IssuesModel::IssuesModel(QObject *parent) : QAbstractTableModel(parent) {}

void IssuesModel::append(std::vector<IssueEntry> entries)
{
    if (entries.empty())
        return;
    const size_t overflow = m_entries.size() + entries.size() > capacity ? m_entries.size() + entries.size() - capacity : 0;
    if (overflow > 0) {
        const int drop = int(std::min(overflow, m_entries.size()));
        if (drop > 0) {
            beginRemoveRows({}, 0, drop - 1);
            m_entries.erase(m_entries.begin(), m_entries.begin() + drop);
            endRemoveRows();
        }
        if (entries.size() > capacity)
            entries.erase(entries.begin(), entries.end() - qsizetype(capacity));
    }
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(entries.size()) - 1);
    for (IssueEntry &e : entries)
        m_entries.push_back(std::move(e));
    endInsertRows();
}

int IssuesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int IssuesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IssuesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_entries.size())
        return {};
    const IssueEntry &e = m_entries[size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Time: return e.time.toLocalTime().toString(QStringLiteral("hh:mm:ss.zzz"));
        case Severity: return ms::toString(e.severity);
        case Component: return e.component;
        case Message: return e.message;
        default: return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Severity) {
        if (e.severity == ms::Severity::Error)
            return downColor();
        if (e.severity == ms::Severity::Warning)
            return QColor(0xe0, 0xa0, 0x30);
    }
    return {};
}

QVariant IssuesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Severity: return tr("Severity");
    case Component: return tr("Component");
    case Message: return tr("Message");
    default: return {};
    }
}

void IssuesFilter::setMinimumSeverity(ms::Severity s)
{
    m_min = s;
    invalidateFilter();
}

void IssuesFilter::setText(const QString &text)
{
    m_text = text;
    invalidateFilter();
}

bool IssuesFilter::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    const auto *model = static_cast<const IssuesModel *>(sourceModel());
    const IssueEntry &e = model->entry(row);
    if (int(e.severity) < int(m_min))
        return false;
    if (m_text.isEmpty())
        return true;
    return e.message.contains(m_text, Qt::CaseInsensitive) || e.component.contains(m_text, Qt::CaseInsensitive);
}

IssuesPanel::IssuesPanel(QWidget *parent)
    : QWidget(parent), m_model(new IssuesModel(this)), m_filter(new IssuesFilter(this)), m_view(new QTableView(this)),
      m_severity(new QComboBox(this)), m_search(new QLineEdit(this)), m_details(new QPlainTextEdit(this))
{
    m_filter->setSourceModel(m_model);
    m_view->setObjectName(QStringLiteral("issuesView"));
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    // Widths from the font, not ResizeToContents: that measures up to a thousand rows again on
    // every insert, which under a flood of issues was most of a frame.
    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(IssuesModel::Message, QHeaderView::Stretch);
    const QFontMetrics fm(m_view->font());
    const int pad = 3 * fm.horizontalAdvance(u' ') + 8;
    header->resizeSection(IssuesModel::Time, fm.horizontalAdvance(QStringLiteral("00:00:00.000")) + pad);
    header->resizeSection(IssuesModel::Severity, fm.horizontalAdvance(QStringLiteral("Severity")) + pad);
    header->resizeSection(IssuesModel::Component, fm.horizontalAdvance(QStringLiteral("component-name")) + pad);

    m_severity->addItem(tr("All severities"), int(ms::Severity::Info));
    m_severity->addItem(tr("Warnings and errors"), int(ms::Severity::Warning));
    m_severity->addItem(tr("Errors only"), int(ms::Severity::Error));
    m_severity->setObjectName(QStringLiteral("issueSeverity"));
    connect(m_severity, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setMinimumSeverity(ms::Severity(m_severity->currentData().toInt())); });
    m_search->setPlaceholderText(tr("Filter by text or component…"));
    m_search->setClearButtonEnabled(true);
    m_search->setObjectName(QStringLiteral("issueSearch"));
    connect(m_search, &QLineEdit::textChanged, m_filter, &IssuesFilter::setText);

    auto *copy = new QAction(tr("Copy"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, &IssuesPanel::copySelection);
    m_view->addAction(copy);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copyButton = new QPushButton(tr("Copy"), this);
    copyButton->setToolTip(tr("Copy the selected rows (Ctrl+C)"));
    connect(copyButton, &QPushButton::clicked, this, &IssuesPanel::copySelection);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_severity);
    bar->addWidget(m_search, 1);
    bar->addWidget(copyButton);
    m_details->setObjectName(QStringLiteral("issueDetails"));
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_details->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);  // long URLs and paths too
    m_details->setPlaceholderText(tr("Select an entry to read it whole."));
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &IssuesPanel::updateDetails);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(split);
}

QString IssuesPanel::detailsText() const
{
    return m_details->toPlainText();
}

void IssuesPanel::updateDetails()
{
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    int sourceRow = -1;
    if (!selected.isEmpty()) {
        sourceRow = m_filter->mapToSource(selected.last()).row();
    } else {
        for (int r = m_model->rowCount() - 1; r >= 0 && sourceRow < 0; --r)
            if (m_model->entry(r).severity == ms::Severity::Error)
                sourceRow = r;
    }
    if (sourceRow < 0) {
        m_details->clear();
        return;
    }
    const IssueEntry &e = m_model->entry(sourceRow);
    m_details->setPlainText(QStringLiteral("%1 · %2 · %3\n\n%4")
                                .arg(e.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz")),
                                     ms::toString(e.severity), e.component, e.message));
}

void IssuesPanel::showLatestError()
{
    for (int r = m_filter->rowCount() - 1; r >= 0; --r) {
        const QModelIndex i = m_filter->index(r, 0);
        if (m_model->entry(m_filter->mapToSource(i).row()).severity == ms::Severity::Error) {
            m_view->selectRow(r);
            m_view->scrollTo(i);
            break;
        }
    }
    updateDetails();
}

int IssuesPanel::pull()
{
    // Polled once per frame rather than woken by IssueLog::added: that signal is queued to this
    // thread once per entry, and a flood of issues from the workers became a flood of events.
    // Asking costs a lock and a look at the newest entry when nothing is new.
    std::vector<IssueEntry> entries = IssueLog::instance().entriesSince(m_lastSeq);
    if (entries.empty())
        return 0;
    m_lastSeq = entries.back().seq;
    const int n = int(entries.size());
    int errors = 0;
    for (const IssueEntry &e : entries)
        errors += e.severity == ms::Severity::Error ? 1 : 0;
    // Stick to the newest entry unless the user scrolled up to read something.
    const QScrollBar *bar = m_view->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 2;
    m_model->append(std::move(entries));
    if (atBottom)
        m_view->scrollToBottom();
    if (errors > 0) {
        m_errors += errors;
        Q_EMIT errorsChanged(m_errors);
        if (m_view->selectionModel()->selectedRows().isEmpty())
            updateDetails();  // the newest error, whole
    }
    return n;
}

QString IssuesPanel::selectedText() const
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &i : selected)
        rows << i.row();
    if (rows.isEmpty())
        for (int r = 0; r < m_filter->rowCount(); ++r)
            rows << r;
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (int r : rows) {
        const IssueEntry &e = m_model->entry(m_filter->mapToSource(m_filter->index(r, 0)).row());
        lines << e.time.toUTC().toString(Qt::ISODateWithMs) + u'\t' + ms::toString(e.severity) + u'\t' + e.component
                     + u'\t' + e.message;
    }
    return lines.join(u'\n');
}

void IssuesPanel::copySelection() const
{
    QApplication::clipboard()->setText(selectedText());
}

}  // namespace ms::ui
