#include "watchlist_model.h"

#include "price_format.h"
#include "ui_theme.h"

#include <QBrush>
#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <QPointF>

namespace ms::ui {

namespace {

QString assetName(AssetClass a)
{
    return a == AssetClass::Crypto ? QStringLiteral("crypto") : QStringLiteral("stock");
}

int sign(const std::optional<double> &v)
{
    return !v || *v == 0 ? 0 : (*v > 0 ? 1 : -1);
}

}  // namespace

WatchlistModel::WatchlistModel(const MarketDataStore *store, QObject *parent)
    : QAbstractTableModel(parent), m_store(store)
{
}

std::optional<double> WatchlistModel::sessionChange(const SymbolData &d)
{
    if (d.changeSessionPct)
        return d.changeSessionPct;
    if (d.ticks > 0 && d.firstPrice != 0)
        return (d.lastPrice - d.firstPrice) / d.firstPrice * 100.0;
    return std::nullopt;
}

void WatchlistModel::refresh(const std::set<QString> &changed)
{
    for (const QString &symbol : changed) {
        const int row = int(m_rows.indexOf(symbol));
        if (row >= 0) {
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            continue;
        }
        insertRow(symbol);
    }
}

void WatchlistModel::insertRow(const QString &symbol)
{
    // New symbols are inserted in sorted position so the list reads alphabetically.
    auto it = std::lower_bound(m_rows.begin(), m_rows.end(), symbol);
    const int at = int(it - m_rows.begin());
    beginInsertRows({}, at, at);
    m_rows.insert(at, symbol);
    endInsertRows();
}

void WatchlistModel::reset()
{
    beginResetModel();
    m_rows = m_store->symbols();
    for (const auto &[symbol, quote] : m_stored)
        if (!m_rows.contains(symbol))
            m_rows << symbol;
    std::sort(m_rows.begin(), m_rows.end());
    m_volumeBaseline.clear();  // a new run: none of its volume is in the stored figures yet
    endResetModel();
}

void WatchlistModel::setStoredQuotes(const QList<StoredQuote> &quotes)
{
    m_stored.clear();
    m_volumeBaseline.clear();
    for (const StoredQuote &q : quotes) {
        m_stored[q.symbol] = q;
        if (const SymbolData *d = m_store->find(q.symbol))
            m_volumeBaseline[q.symbol] = d->sessionVolume;  // already counted in volume24h
    }
    for (const auto &[symbol, quote] : m_stored)
        if (!m_rows.contains(symbol))
            insertRow(symbol);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

const StoredQuote *WatchlistModel::storedQuote(const QString &symbol) const
{
    auto it = m_stored.find(symbol);
    return it == m_stored.end() ? nullptr : &it->second;
}

int WatchlistModel::priceDecimals(const QString &symbol) const
{
    const SymbolData *d = m_store->find(symbol);
    PriceDecimals decimals = d ? d->priceDecimals : PriceDecimals();
    const StoredQuote *q = storedQuote(symbol);
    if (q && !decimals.known())
        decimals.observe(q->lastPrice);
    const double price = d && d->ticks ? d->lastPrice : q ? q->lastPrice : 0;
    return decimals.decimals(price);
}

std::optional<double> WatchlistModel::change24h(const QString &symbol) const
{
    const SymbolData *d = m_store->find(symbol);
    if (d && d->change24hPct)
        return d->change24hPct;  // the pipeline's own figure, once it holds 24 h of prices
    const StoredQuote *q = storedQuote(symbol);
    if (!q)
        return std::nullopt;
    if (d && d->ticks > 0)
        return change24hAgainst(*q, d->lastPrice);
    return q->change24hPct;
}

double WatchlistModel::volume24h(const QString &symbol, const SymbolData *d, bool *stored) const
{
    const StoredQuote *q = storedQuote(symbol);
    *stored = q != nullptr;
    const double session = d ? d->sessionVolume : 0;
    if (!q)
        return session;
    auto base = m_volumeBaseline.find(symbol);
    const double counted = base == m_volumeBaseline.end() ? 0 : base->second;
    return q->volume24h + std::max(0.0, session - counted);
}

QString WatchlistModel::symbolAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : QString();
}

int WatchlistModel::rowOf(const QString &symbol) const
{
    return int(m_rows.indexOf(symbol));
}

int WatchlistModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int WatchlistModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WatchlistModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QString &symbol = m_rows.at(index.row());
    const SymbolData *d = m_store->find(symbol);
    const StoredQuote *q = storedQuote(symbol);
    if (!d && !q)
        return {};
    const AssetClass asset = d ? d->asset : q->asset;
    const bool live = d && d->ticks > 0;
    const double last = live ? d->lastPrice : q ? q->lastPrice : 0;
    const bool hasLast = live || q;
    const qint64 lastTs = live ? d->lastTsMs : q ? q->lastTsMs : 0;
    const auto session = d ? sessionChange(*d) : std::nullopt;
    const auto day = change24h(symbol);
    bool volumeStored = false;
    const double volume = volume24h(symbol, d, &volumeStored);
    const VolumeUnit unit = asset == AssetClass::Stock ? VolumeUnit::Shares : VolumeUnit::Coins;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Symbol: return symbol;
        case Asset: return assetName(asset);
        case Last: return hasLast ? formatPrice(last, priceDecimals(symbol)) : QStringLiteral("—");
        case Change24h: return formatChangePercent(day);
        case ChangeSession: return formatChangePercent(session);
        case Volume: return formatVolume(volume, unit, symbol);
        default: return {};
        }
    case Qt::ToolTipRole: {
        const QString when = QDateTime::fromMSecsSinceEpoch(lastTs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
        QString tip = tr("%1 (%2): last %3 at %4 UTC").arg(symbol, assetName(asset),
                                                           formatPrice(last, priceDecimals(symbol)), when);
        if (q && q->open24h)
            tip += tr("\n24 h: %1 from %2 (stored 1-minute candles)")
                       .arg(formatChangePercent(day), formatPrice(*q->open24h, priceDecimals(symbol)));
        tip += volumeStored ? tr("\nVolume over 24 h: %1").arg(formatVolume(volume, unit, symbol))
                            : tr("\nVolume this session: %1").arg(formatVolume(volume, unit, symbol));
        if (d)
            tip += tr("\n%1 ticks this session").arg(QLocale().toString(d->ticks));
        else
            tip += tr("\nFrom the database; no tick this session yet");
        return tip;
    }
    case Qt::TextAlignmentRole:
        if (index.column() >= Last && index.column() <= Volume)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole: {
        int s = 0;
        if (index.column() == Change24h)
            s = sign(day);
        else if (index.column() == ChangeSession || index.column() == Last)
            s = sign(session ? session : day);
        if (s > 0)
            return QBrush(upColor());
        if (s < 0)
            return QBrush(downColor());
        return {};
    }
    case Qt::FontRole:
        if (index.column() == Symbol) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case SparklineRole: {
        QList<QPointF> pts;
        if (!d)
            return QVariant::fromValue(pts);
        pts.reserve(qsizetype(d->sparkline.size()));
        for (size_t i = 0; i < d->sparkline.size(); ++i)
            pts << QPointF(double(d->sparkline.at(i).t), d->sparkline.at(i).v);
        return QVariant::fromValue(pts);
    }
    case AssetRole:
        return assetName(asset);
    case ChangeSignRole:
        return sign(session);
    case Qt::UserRole:  // sort keys
        switch (index.column()) {
        case Last: return last;
        case Change24h: return day.value_or(0);
        case ChangeSession: return session.value_or(0);
        case Volume: return volume;
        default: return symbol;
        }
    default:
        return {};
    }
}

QVariant WatchlistModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        switch (section) {
        case Change24h: return tr("Change over the last 24 h: the live price against the stored 1-minute candles");
        case ChangeSession: return tr("Change since the first price of this session");
        case Volume: return tr("Volume over 24 h from the stored candles, plus this session's ticks; shares or coins");
        default: return {};
        }
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Symbol: return tr("Symbol");
    case Asset: return tr("Class");
    case Last: return tr("Last");
    case Change24h: return tr("24 h");
    case ChangeSession: return tr("Session");
    case Volume: return tr("Volume");
    case Trend: return tr("Trend (2 min)");
    default: return {};
    }
}

}  // namespace ms::ui
