#pragma once
// The watchlist: one row per symbol with last price, change % (24 h, session), volume and a
// sparkline. Reads MarketDataStore; refresh() is called once per frame with the symbols that changed.
#include "market_data_store.h"

#include <QAbstractTableModel>

namespace ms::ui {

class WatchlistModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Symbol, Asset, Last, Change24h, ChangeSession, Volume, Trend, ColumnCount };
    // Role with the sparkline points (QList<QPointF>) for the Trend column; Qt::UserRole + 1 gives
    // the asset class name for filtering; ChangeSignRole gives -1/0/+1 for colouring.
    static constexpr int SparklineRole = Qt::UserRole + 10;
    static constexpr int AssetRole = Qt::UserRole + 11;
    static constexpr int ChangeSignRole = Qt::UserRole + 12;

    explicit WatchlistModel(const MarketDataStore *store, QObject *parent = nullptr);

    void refresh(const std::set<QString> &changed);
    void reset();
    QString symbolAt(int row) const;
    int rowOf(const QString &symbol) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Session change: the pipeline's figure when it published one, else since the first tick seen.
    static std::optional<double> sessionChange(const SymbolData &d);

private:
    const MarketDataStore *m_store;
    QStringList m_rows;
};

}  // namespace ms::ui
