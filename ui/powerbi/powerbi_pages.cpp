#include "powerbi/powerbi_pages.h"

#include "powerbi/powerbi_charts.h"
#include "symbol_palette.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace ms::powerbi {

using namespace ms::reporting;

namespace {

QStandardItem *cell(const QString &text, const QVariant &sortKey, const QColor &colour = {})
{
    auto *item = new QStandardItem(text);
    item->setData(sortKey, kSortRole);
    item->setEditable(false);
    const int type = sortKey.metaType().id();
    if (type == QMetaType::Double || type == QMetaType::LongLong || type == QMetaType::Int)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (colour.isValid())
        item->setForeground(colour);
    return item;
}

QColor changeColour(const std::optional<double> &pct)
{
    if (!pct || std::abs(*pct) < 0.005)
        return {};
    return *pct > 0 ? QColor(0x2e, 0xa0, 0x43) : QColor(0xd6, 0x3a, 0x3a);
}

QLabel *heading(const QString &text)
{
    auto *l = new QLabel(text);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    return l;
}

QVariant optional(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant();
}

// Columns as wide as their contents, and the space left over shared out: the table uses the whole
// width at every size, and no cell wraps or elides while there is room.
class ColumnFitter : public QObject
{
public:
    explicit ColumnFitter(QTableView *table) : QObject(table), m_table(table)
    {
        table->viewport()->installEventFilter(this);
        QAbstractItemModel *m = table->model();
        connect(m, &QAbstractItemModel::modelReset, this, &ColumnFitter::fit);
        connect(m, &QAbstractItemModel::rowsInserted, this, &ColumnFitter::fit);
        connect(m, &QAbstractItemModel::dataChanged, this, &ColumnFitter::fit);
    }
    void fit()
    {
        QHeaderView *h = m_table->horizontalHeader();
        const int n = h->count();
        if (n == 0)
            return;
        m_table->resizeColumnsToContents();  // cells and header
        QList<int> widths(n);
        int total = 0;
        for (int c = 0; c < n; ++c) {
            widths[c] = h->sectionSize(c) + 8;
            total += widths[c];
        }
        const int extra = qMax(0, m_table->viewport()->width() - total);
        for (int c = 0; c < n; ++c)
            h->resizeSection(c, widths[c] + (c == n - 1 ? extra - (extra / n) * (n - 1) : extra / n));
    }

protected:
    bool eventFilter(QObject *watched, QEvent *e) override
    {
        if (e->type() == QEvent::Resize)
            fit();
        return QObject::eventFilter(watched, e);
    }

private:
    QTableView *m_table;
};

}  // namespace

KpiCard::KpiCard(const QString &caption, QWidget *parent) : QWidget(parent)
{
    auto *frame = new QFrame(this);
    frame->setFrameShape(QFrame::StyledPanel);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(frame);
    auto *lay = new QVBoxLayout(frame);
    lay->setContentsMargins(10, 6, 10, 6);
    m_caption = new QLabel(caption);
    m_value = new QLabel(QStringLiteral("–"));
    QFont f = m_value->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    m_value->setFont(f);
    m_value->setAccessibleName(caption);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    lay->addWidget(m_caption);
    lay->addWidget(m_value);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void KpiCard::setValue(const QString &text, std::optional<double> number, const QColor &colour)
{
    m_value->setText(text);
    m_number = number;
    QPalette p = m_value->palette();
    p.setColor(QPalette::WindowText, colour.isValid() ? colour : palette().color(QPalette::WindowText));
    m_value->setPalette(p);
}

QString KpiCard::text() const
{
    return m_value->text();
}

QTableView *makeTable(QStandardItemModel *model, QWidget *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(kSortRole);
    auto *table = new QTableView(parent);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table->horizontalHeader()->setMinimumSectionSize(60);
    table->setWordWrap(false);
    new ColumnFitter(table);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    return table;
}

QChartView *makeChartView(QChart *chart, QWidget *parent)
{
    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(200);
    view->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    return view;
}

SymbolPage::SymbolPage(QWidget *parent) : QWidget(parent)
{
    auto *cards = new QHBoxLayout;
    const QList<QPair<QString, QString>> names = {
        {QStringLiteral("last"), tr("Last price")},  {QStringLiteral("change"), tr("Change (24 h)")},
        {QStringLiteral("high"), tr("High (24 h)")}, {QStringLiteral("low"), tr("Low (24 h)")},
        {QStringLiteral("volume"), tr("Volume (24 h)")}, {QStringLiteral("vwap"), tr("VWAP (24 h)")}};
    for (const auto &[key, caption] : names) {
        auto *c = new KpiCard(caption, this);
        cards->addWidget(c, 1);
        m_cards.insert(key, c);
    }
    m_price = new QChart;
    m_price->setTitle(tr("Daily candles (UTC days)"));
    m_volume = new QChart;
    m_volume->setTitle(tr("Daily volume"));
    auto *charts = new QHBoxLayout;
    charts->addWidget(makeChartView(m_price, this), 3);
    charts->addWidget(makeChartView(m_volume, this), 2);

    m_candles = new QStandardItemModel(0, 9, this);
    m_candles->setHorizontalHeaderLabels({tr("Day (UTC)"), tr("Open"), tr("High"), tr("Low"), tr("Close"),
                                          tr("Change"), tr("Volume"), tr("VWAP"), tr("Trades")});
    QTableView *table = makeTable(m_candles, this);
    table->sortByColumn(0, Qt::DescendingOrder);
    table->setObjectName(QStringLiteral("powerBiCandleTable"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(cards);
    layout->addLayout(charts, 3);
    layout->addWidget(heading(tr("Daily candles of the symbol (v_daily_summary)")));
    layout->addWidget(table, 2);
}

void SymbolPage::display(const LatestQuote *q, const QList<DailySummary> &days)
{
    const QLocale loc;
    if (q) {
        m_cards[QStringLiteral("last")]->setValue(formatPrice(q->lastPrice, loc) + u' ' + q->currency, q->lastPrice);
        m_cards[QStringLiteral("change")]->setValue(formatChangePct(q->changePct24h, loc), q->changePct24h,
                                                    changeColour(q->changePct24h));
        m_cards[QStringLiteral("high")]->setValue(formatPrice(q->high24h, loc), q->high24h);
        m_cards[QStringLiteral("low")]->setValue(formatPrice(q->low24h, loc), q->low24h);
        m_cards[QStringLiteral("volume")]->setValue(formatQuantity(q->volume24h, q->assetClass, q->symbol, loc), q->volume24h);
        m_cards[QStringLiteral("vwap")]->setValue(q->vwap24h ? formatPrice(*q->vwap24h, loc) : QStringLiteral("–"), q->vwap24h);
    } else {
        for (KpiCard *c : std::as_const(m_cards))
            c->setValue(QStringLiteral("–"), std::nullopt);
    }
    const QString symbol = q ? q->symbol : days.isEmpty() ? QString() : days.first().symbol;
    const QString currency = q ? q->currency : QStringLiteral("USD");
    const QString asset = q ? q->assetClass : QString();
    const QColor colour = ui::symbolColor(symbol);
    showDailyCandles(m_price, days, currency, palette());
    m_price->setTitle(tr("%1 daily candles, UTC days").arg(symbol));
    showDailyVolume(m_volume, days, colour, asset == QLatin1String("stock") ? tr("shares") : symbol, palette());
    m_volume->setTitle(tr("%1 daily volume").arg(symbol));

    m_candles->setRowCount(0);
    for (const DailySummary &d : days) {
        const std::optional<double> change = d.open > 0 ? std::optional<double>((d.close / d.open - 1) * 100) : std::nullopt;
        m_candles->appendRow({cell(loc.toString(d.date, QStringLiteral("yyyy-MM-dd ddd")), d.date),
                              cell(formatPrice(d.open, loc), d.open), cell(formatPrice(d.high, loc), d.high),
                              cell(formatPrice(d.low, loc), d.low), cell(formatPrice(d.close, loc), d.close),
                              cell(formatChangePct(change, loc), optional(change), changeColour(change)),
                              cell(formatQuantity(d.volume, asset, symbol, loc), d.volume),
                              cell(d.vwap ? formatPrice(*d.vwap, loc) : QStringLiteral("–"), optional(d.vwap)),
                              cell(loc.toString(d.trades), d.trades)});
    }
}

OverviewPage::OverviewPage(QWidget *parent) : QWidget(parent)
{
    m_countRow = new QHBoxLayout;
    auto *all = new KpiCard(tr("Symbols"), this);
    m_countRow->addWidget(all, 1);
    m_cards.insert(QStringLiteral("count:all"), all);

    m_trend = new QChart;
    m_trend->setTitle(tr("Change since the first day shown, all symbols (daily closes)"));
    m_gainers = new QStandardItemModel(0, 3, this);
    m_gainers->setHorizontalHeaderLabels({tr("Top gainers (24 h)"), tr("Last price"), tr("Change")});
    m_losers = new QStandardItemModel(0, 3, this);
    m_losers->setHorizontalHeaderLabels({tr("Top losers (24 h)"), tr("Last price"), tr("Change")});
    auto *movers = new QVBoxLayout;
    QTableView *gainers = makeTable(m_gainers, this);
    gainers->sortByColumn(2, Qt::DescendingOrder);
    QTableView *losers = makeTable(m_losers, this);
    losers->sortByColumn(2, Qt::AscendingOrder);
    movers->addWidget(gainers);
    movers->addWidget(losers);
    auto *row = new QHBoxLayout;
    row->addWidget(makeChartView(m_trend, this), 3);
    row->addLayout(movers, 2);

    m_quotes = new QStandardItemModel(0, 9, this);
    m_quotes->setHorizontalHeaderLabels({tr("Symbol"), tr("Asset"), tr("Last price"), tr("Change 24 h"), tr("High 24 h"),
                                         tr("Low 24 h"), tr("Volume 24 h"), tr("VWAP 24 h"), tr("Last trade (UTC)")});
    QTableView *table = makeTable(m_quotes, this);
    table->sortByColumn(0, Qt::AscendingOrder);
    table->setObjectName(QStringLiteral("powerBiQuotesTable"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_countRow);
    layout->addLayout(row, 3);
    layout->addWidget(heading(tr("Latest quote of every symbol (v_latest_quote)")));
    layout->addWidget(table, 2);
}

void OverviewPage::display(const QList<LatestQuote> &quotes, const QList<DailySummary> &days)
{
    const QLocale loc;
    m_cards[QStringLiteral("count:all")]->setValue(loc.toString(quotes.size()), double(quotes.size()));
    const QMap<QString, int> perClass = symbolsPerAssetClass(quotes);
    for (auto it = perClass.begin(); it != perClass.end(); ++it) {
        const QString key = QStringLiteral("count:") + it.key();
        if (!m_cards.contains(key)) {
            const QString caption = it.key() == QLatin1String("crypto") ? tr("Crypto symbols")
                                    : it.key() == QLatin1String("stock") ? tr("Stock symbols")
                                                                        : tr("%1 symbols").arg(it.key());
            auto *c = new KpiCard(caption, this);
            m_countRow->addWidget(c, 1);
            m_cards.insert(key, c);
        }
        m_cards[key]->setValue(loc.toString(it.value()), double(it.value()));
    }
    showPercentTrend(m_trend, percentChangeTrend(days), palette());

    const Movers movers = topMovers(quotes, 3);
    for (auto [model, list] : {std::pair{m_gainers, &movers.gainers}, std::pair{m_losers, &movers.losers}}) {
        model->setRowCount(0);
        for (const LatestQuote &q : *list) {
            auto *name = cell(q.symbol, q.symbol);
            name->setData(ui::symbolColor(q.symbol), Qt::DecorationRole);
            model->appendRow({name, cell(formatPrice(q.lastPrice, loc), q.lastPrice),
                              cell(formatChangePct(q.changePct24h, loc), optional(q.changePct24h),
                                   changeColour(q.changePct24h))});
        }
    }
    m_quotes->setRowCount(0);
    for (const LatestQuote &q : quotes) {
        auto *name = cell(q.symbol, q.symbol);
        name->setData(ui::symbolColor(q.symbol), Qt::DecorationRole);
        m_quotes->appendRow({name, cell(q.assetClass, q.assetClass), cell(formatPrice(q.lastPrice, loc), q.lastPrice),
                             cell(formatChangePct(q.changePct24h, loc), optional(q.changePct24h), changeColour(q.changePct24h)),
                             cell(formatPrice(q.high24h, loc), q.high24h), cell(formatPrice(q.low24h, loc), q.low24h),
                             cell(formatQuantity(q.volume24h, q.assetClass, q.symbol, loc), q.volume24h),
                             cell(q.vwap24h ? formatPrice(*q.vwap24h, loc) : QStringLiteral("–"), optional(q.vwap24h)),
                             cell(q.lastTime.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), q.lastTime)});
    }
}

}  // namespace ms::powerbi
