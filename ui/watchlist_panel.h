#pragma once
// The watchlist with its asset-class filter. Emits symbolSelected when the user picks a row.
#include "market_data_store.h"
#include "stored_quotes.h"

#include <QFutureWatcher>
#include <QWidget>

class QComboBox;
class QTimer;
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
    // The database's figures: symbols stored by earlier runs get rows before any Start.
    void setStoredQuotes(const QList<StoredQuote> &quotes);
    // Reads them in the background (stored_quotes.h) and applies them when they arrive; a call
    // while a read runs is done once that one finishes.
    void loadStoredQuotes(const QString &databaseUrl);
    bool storedQuotesLoading() const { return m_quotes.isRunning(); }
    int storedQuotesLoads() const { return m_quoteLoads; }  // answers applied so far (tests)
    QString selectedSymbol() const;
    void selectSymbol(const QString &symbol);
    // "" = all classes, else "crypto" / "stock".
    void setAssetFilter(const QString &asset);
    QString assetFilter() const;

    WatchlistModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    int visibleRows() const;
    int columnFits() const { return m_fits; }  // times the columns were fitted (tests)

Q_SIGNALS:
    void symbolSelected(const QString &symbol);
    void storedQuotesLoaded(bool ok, const QString &error);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyFilter();
    // Hides the optional columns that do not fit the view's width (they are never clipped).
    void fitColumns();
    void scheduleFit();  // fitColumns() once, 100 ms from the first request
    int neededWidth(int column) const;
    int coreColumnsMinimumWidth() const;  // Symbol, Last and 24 h with their widest figures
    void emitSelection(const QString &symbol);
    void selectSomething();
    void selectProxyRow(int row);  // the row of the proxy (as sorted and filtered)

    WatchlistModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QComboBox *m_filter;
    QString m_pendingSelection;  // restored from settings before the symbol's first tick
    QString m_emitted;           // the symbol the charts were last told about
    bool m_filtering = false;
    int m_fits = 0;
    QTimer *m_fitTimer = nullptr;  // coalesces fitColumns() requests
    QFutureWatcher<StoredQuotesAnswer> m_quotes;
    QString m_quotesNext;  // a URL to read once the running read is done
    int m_quoteLoads = 0;    // the proxy moves the current row while filtering: not a user choice
};

}  // namespace ms::ui
