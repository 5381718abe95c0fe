#include "watchlist_model.h"

#include "ui_theme.h"

#include <QBrush>
#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <QPointF>

namespace ms::ui {

namespace {

QString formatPrice(double p)
{
    const int decimals = p >= 1000 ? 2 : p >= 1 ? 3 : 6;
    return QLocale().toString(p, 'f', decimals);
}

QString formatPct(const std::optional<double> &v)
{
    if (!v)
        return QStringLiteral("—");
    return (*v > 0 ? QStringLiteral("+") : QString()) + QLocale().toString(*v, 'f', 2) + u'%';
}

QString formatVolume(double v)
{
    if (v >= 1e9)
        return QLocale().toString(v / 1e9, 'f', 2) + u'B';
    if (v >= 1e6)
        return QLocale().toString(v / 1e6, 'f', 2) + u'M';
    if (v >= 1e3)
        return QLocale().toString(v / 1e3, 'f', 1) + u'k';
    return QLocale().toString(v, 'f', 2);
}

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
        // New symbols are inserted in sorted position so the list reads alphabetically.
        auto it = std::lower_bound(m_rows.begin(), m_rows.end(), symbol);
        const int at = int(it - m_rows.begin());
        beginInsertRows({}, at, at);
        m_rows.insert(at, symbol);
        endInsertRows();
    }
}

void WatchlistModel::reset()
{
    beginResetModel();
    m_rows = m_store->symbols();
    endResetModel();
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
    const SymbolData *d = m_store->find(m_rows.at(index.row()));
    if (!d)
        return {};
    const auto session = sessionChange(*d);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Symbol: return d->symbol;
        case Asset: return assetName(d->asset);
        case Last: return d->ticks ? formatPrice(d->lastPrice) : QStringLiteral("—");
        case Change24h: return formatPct(d->change24hPct);
        case ChangeSession: return formatPct(session);
        case Volume: return formatVolume(d->sessionVolume);
        default: return {};
        }
    case Qt::ToolTipRole:
        return QStringLiteral("%1: %2 ticks, last at %3 UTC")
            .arg(d->symbol)
            .arg(d->ticks)
            .arg(QDateTime::fromMSecsSinceEpoch(d->lastTsMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss")));
    case Qt::TextAlignmentRole:
        if (index.column() >= Last && index.column() <= Volume)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole: {
        int s = 0;
        if (index.column() == Change24h)
            s = sign(d->change24hPct);
        else if (index.column() == ChangeSession || index.column() == Last)
            s = sign(session);
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
        pts.reserve(qsizetype(d->sparkline.size()));
        for (size_t i = 0; i < d->sparkline.size(); ++i)
            pts << QPointF(double(d->sparkline.at(i).t), d->sparkline.at(i).v);
        return QVariant::fromValue(pts);
    }
    case AssetRole:
        return assetName(d->asset);
    case ChangeSignRole:
        return sign(session);
    case Qt::UserRole:  // sort keys
        switch (index.column()) {
        case Last: return d->lastPrice;
        case Change24h: return d->change24hPct.value_or(0);
        case ChangeSession: return session.value_or(0);
        case Volume: return d->sessionVolume;
        default: return d->symbol;
        }
    default:
        return {};
    }
}

QVariant WatchlistModel::headerData(int section, Qt::Orientation orientation, int role) const
{
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
