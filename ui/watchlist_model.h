#pragma once
// The watchlist: one row per symbol with last price, change % (24 h, session), volume and a
// sparkline. Reads MarketDataStore (live) and the stored quotes (the database: last price, 24 h
// opening price and volume); refresh() is called once per frame with the symbols that changed.
// A symbol known only from the database (before Start) has a row too. Every number goes through
// price_format.h, with the instrument's decimals.
#include "market_data_store.h"
#include "stored_quotes.h"

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
    // The database's figures (replaces the previous set). Live volume from now on adds to them.
    void setStoredQuotes(const QList<StoredQuote> &quotes);
    const StoredQuote *storedQuote(const QString &symbol) const;
    // What the row shows, for the chart header and tests: price and change with the same decimals.
    int priceDecimals(const QString &symbol) const;
    std::optional<double> change24h(const QString &symbol) const;
    QString symbolAt(int row) const;
    int rowOf(const QString &symbol) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Session change: the pipeline's figure when it published one, else since the first tick seen.
    static std::optional<double> sessionChange(const SymbolData &d);

private:
    void insertRow(const QString &symbol);
    double volume24h(const QString &symbol, const SymbolData *d, bool *stored) const;

    const MarketDataStore *m_store;
    QStringList m_rows;
    std::map<QString, StoredQuote> m_stored;
    std::map<QString, double> m_volumeBaseline;  // session volume already in the stored 24 h volume
};

}  // namespace ms::ui
