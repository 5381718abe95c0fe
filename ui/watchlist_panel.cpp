#include "watchlist_panel.h"

#include "sparkline_delegate.h"
#include "watchlist_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QFontMetrics>
#include <QLabel>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace ms::ui {

WatchlistPanel::WatchlistPanel(const MarketDataStore *store, QWidget *parent)
    : QWidget(parent), m_model(new WatchlistModel(store, this)), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)), m_filter(new QComboBox(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(WatchlistModel::AssetRole);
    m_proxy->setFilterKeyColumn(WatchlistModel::Symbol);
    m_proxy->setSortRole(Qt::UserRole);

    m_filter->addItem(tr("All classes"), QString());
    m_filter->addItem(tr("Crypto"), QStringLiteral("crypto"));
    m_filter->addItem(tr("Stocks"), QStringLiteral("stock"));
    m_filter->setObjectName(QStringLiteral("assetFilter"));
    connect(m_filter, &QComboBox::currentIndexChanged, this, &WatchlistPanel::applyFilter);

    m_view->setObjectName(QStringLiteral("watchlist"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(WatchlistModel::Trend, new SparklineDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(WatchlistModel::Symbol, Qt::AscendingOrder);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(28);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(WatchlistModel::Trend, QHeaderView::Stretch);
    m_view->setColumnHidden(WatchlistModel::Asset, true);
    // Narrow windows scroll the table sideways rather than forcing the whole window wider.
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_view->horizontalHeader()->setMinimumSectionSize(40);
    // Columns that do not fit are hidden (fitColumns), never clipped: Symbol, Last and 24 h always
    // fit, the rest appear as the splitter gives room.
    // On a short timer, after the model's and the header's own updates: hiding a column in the
    // middle of them left the header without a section at its left edge for a moment, and
    // selectRow() then selected nothing (tst_ui_window, under load). Not on the header's
    // sectionResized: hiding a column resizes the stretched last one, which asked for another fit,
    // and the GUI thread spun at ~900 ms of CPU per second (bench_gui_latency --trace).
    m_fitTimer = new QTimer(this);
    m_fitTimer->setSingleShot(true);
    m_fitTimer->setInterval(100);
    connect(m_fitTimer, &QTimer::timeout, this, &WatchlistPanel::fitColumns);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &WatchlistPanel::scheduleFit);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &WatchlistPanel::scheduleFit);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (m_filtering)
            return;  // applyFilter() decides what is selected afterwards
        const QString symbol = m_model->symbolAt(m_proxy->mapToSource(current).row());
        if (!symbol.isEmpty()) {
            m_pendingSelection.clear();
            emitSelection(symbol);
        }
    });

    connect(&m_quotes, &QFutureWatcher<StoredQuotesAnswer>::finished, this, [this] {
        const StoredQuotesAnswer a = m_quotes.result();
        if (a.ok)
            setStoredQuotes(a.quotes);
        ++m_quoteLoads;
        Q_EMIT storedQuotesLoaded(a.ok, a.error);
        if (!m_quotesNext.isEmpty())
            loadStoredQuotes(std::exchange(m_quotesNext, QString()));
    });

    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Watchlist</b>"), this);
    header->addWidget(title);
    header->addStretch();
    header->addWidget(m_filter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(header);
    layout->addWidget(m_view);
    setMinimumWidth(coreColumnsMinimumWidth() + layout->contentsMargins().left() + layout->contentsMargins().right());
}

int WatchlistPanel::neededWidth(int column) const
{
    return std::max(static_cast<const QAbstractItemView *>(m_view)->sizeHintForColumn(column), m_view->horizontalHeader()->sectionSizeHint(column));
}

int WatchlistPanel::coreColumnsMinimumWidth() const
{
    // The widest figures the core columns show, in the view's font: a 5-letter stock symbol, a
    // crypto price with thousands separators and a two-digit change.
    const QFontMetrics fm(m_view->font());
    const int padding = 2 * (m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 1) + 12;
    int width = 0;
    for (auto [column, sample] : {std::pair{int(WatchlistModel::Symbol), "GOOGL"},
                                  {int(WatchlistModel::Last), "43,307.02"},
                                  {int(WatchlistModel::Change24h), "+10.84%"}})
        width += std::max(m_view->horizontalHeader()->sectionSizeHint(column),
                          fm.horizontalAdvance(QLatin1String(sample)) + padding);
    return width + 2 * m_view->frameWidth() + m_view->verticalScrollBar()->sizeHint().width();
}

void WatchlistPanel::scheduleFit()
{
    if (!m_fitTimer->isActive())
        m_fitTimer->start();
}

void WatchlistPanel::fitColumns()
{
    ++m_fits;
    const int available = m_view->viewport()->width();
    int used = 0;
    for (int column : {WatchlistModel::Symbol, WatchlistModel::Last, WatchlistModel::Change24h})
        used += neededWidth(column);
    // The optional columns in the order they give way: the session change, the volume, the trend.
    constexpr int kTrendMinimum = 60;  // a sparkline narrower than this shows nothing
    for (int column : {WatchlistModel::ChangeSession, WatchlistModel::Volume, WatchlistModel::Trend}) {
        const int need = column == WatchlistModel::Trend ? std::max(kTrendMinimum, neededWidth(column)) : neededWidth(column);
        // A hidden column comes back only with some room to spare: a scroll bar appearing or going
        // must not flip it back and forth.
        constexpr int kHysteresisPx = 12;
        const bool fits = used + need + (m_view->isColumnHidden(column) ? kHysteresisPx : 0) <= available;
        if (m_view->isColumnHidden(column) == fits)
            m_view->setColumnHidden(column, !fits);
        if (fits)
            used += need;
    }
}

void WatchlistPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    scheduleFit();
}

void WatchlistPanel::refresh(const std::set<QString> &changed)
{
    m_model->refresh(changed);
    scheduleFit();  // a wider price may need its room
    if (!m_pendingSelection.isEmpty() && changed.count(m_pendingSelection))
        selectSymbol(m_pendingSelection);
    else
        selectSomething();
}

void WatchlistPanel::setStoredQuotes(const QList<StoredQuote> &quotes)
{
    m_model->setStoredQuotes(quotes);
    scheduleFit();
    if (!m_pendingSelection.isEmpty() && m_model->rowOf(m_pendingSelection) >= 0)
        selectSymbol(m_pendingSelection);
    else
        selectSomething();
}

void WatchlistPanel::loadStoredQuotes(const QString &databaseUrl)
{
    if (m_quotes.isRunning()) {
        m_quotesNext = databaseUrl;
        return;
    }
    m_quotes.setFuture(readStoredQuotes(databaseUrl));
}

void WatchlistPanel::selectProxyRow(int row)
{
    // Not QTableView::selectRow(): it takes the column at the view's left edge from the header,
    // which has none while its sections are being re-laid out (a column hidden or shown by
    // fitColumns() as the first rows arrive), and then selects nothing.
    const QModelIndex index = m_proxy->index(row, WatchlistModel::Symbol);
    if (index.isValid())
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void WatchlistPanel::selectSomething()
{
    if (selectedSymbol().isEmpty() && m_pendingSelection.isEmpty() && m_proxy->rowCount() > 0)
        selectProxyRow(0);  // something is always on the charts
}

void WatchlistPanel::emitSelection(const QString &symbol)
{
    if (symbol == m_emitted)
        return;
    m_emitted = symbol;
    Q_EMIT symbolSelected(symbol);
}

void WatchlistPanel::applyFilter()
{
    // Keep the selected symbol when it passes the filter; otherwise the FIRST visible row (as
    // sorted), never whatever row the proxy happens to leave current.
    const QString before = selectedSymbol().isEmpty() ? m_emitted : selectedSymbol();
    const QString asset = m_filter->currentData().toString();
    m_filtering = true;
    m_proxy->setFilterRegularExpression(asset.isEmpty() ? QString() : u'^' + asset + u'$');
    const int row = m_model->rowOf(before);
    const QModelIndex kept = row < 0 ? QModelIndex() : m_proxy->mapFromSource(m_model->index(row, 0));
    m_view->clearSelection();
    if (kept.isValid())
        selectProxyRow(kept.row());
    else if (m_proxy->rowCount() > 0)
        selectProxyRow(0);
    m_filtering = false;
    const QString now = selectedSymbol();
    if (!now.isEmpty()) {
        m_pendingSelection.clear();
        emitSelection(now);
    }
}

void WatchlistPanel::reset()
{
    m_model->reset();
}

QString WatchlistPanel::selectedSymbol() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid() || !m_view->selectionModel()->isRowSelected(current.row(), {}))
        return {};
    return m_model->symbolAt(m_proxy->mapToSource(current).row());
}

void WatchlistPanel::selectSymbol(const QString &symbol)
{
    const int row = m_model->rowOf(symbol);
    if (row < 0) {
        m_pendingSelection = symbol;
        return;
    }
    const QModelIndex proxyIndex = m_proxy->mapFromSource(m_model->index(row, 0));
    if (proxyIndex.isValid())
        selectProxyRow(proxyIndex.row());
}

void WatchlistPanel::setAssetFilter(const QString &asset)
{
    const int i = m_filter->findData(asset);
    m_filter->setCurrentIndex(i < 0 ? 0 : i);
}

QString WatchlistPanel::assetFilter() const
{
    return m_filter->currentData().toString();
}

int WatchlistPanel::visibleRows() const
{
    return m_proxy->rowCount();
}

}  // namespace ms::ui
