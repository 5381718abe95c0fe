#pragma once
// The watchlist with its asset-class filter. Emits symbolSelected when the user picks a row.
#include "market_data_store.h"

#include <QWidget>

class QComboBox;
class QSortFilterProxyModel;
class QTableView;

namespace ms::ui {

class WatchlistModel;

class WatchlistPanel : public QWidget
{
    Q_OBJECT
public:
    explicit WatchlistPanel(const MarketDataStore *store, QWidget *parent = nullptr);

    void refresh(const std::set<QString> &changed);
    void reset();
    QString selectedSymbol() const;
    void selectSymbol(const QString &symbol);
    // "" = all classes, else "crypto" / "stock".
    void setAssetFilter(const QString &asset);
    QString assetFilter() const;

    WatchlistModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    int visibleRows() const;

Q_SIGNALS:
    void symbolSelected(const QString &symbol);

private:
    WatchlistModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QComboBox *m_filter;
    QString m_pendingSelection;  // restored from settings before the symbol's first tick
};

}  // namespace ms::ui
