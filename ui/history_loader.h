#pragma once
// Fills the MarketDataStore from the database in the background: the latest candles of every
// stored symbol at launch (with or without Start), and older pages when a chart scrolls back past
// what memory holds. Each query runs on the Qt Concurrent pool with its own connection
// (storage/candle_history.h); the GUI thread only merges the result, so it never waits on the
// database. One request per (symbol, interval) at a time; a key whose page came back short is
// exhausted and not asked again.
#include "market_data_store.h"
#include "storage/candle_history.h"

#include <QObject>
#include <QStringList>
#include <optional>
#include <set>

namespace ms::ui {

class HistoryLoader : public QObject
{
    Q_OBJECT
public:
    HistoryLoader(MarketDataStore *store, QObject *parent = nullptr);

    void setDatabaseUrl(const QString &url);
    QString databaseUrl() const { return m_url; }  // as given (also read by the chart's gap spans)
    // The newest `perKey` candles of every stored symbol and interval.
    void loadLatest(int perKey = 2000);
    // One page (`pageSize` candles) of this symbol and interval older than beforeMs.
    void requestOlder(const QString &symbol, int intervalSec, qint64 beforeMs, int pageSize = 2000);
    int inFlight() const { return m_inFlight; }
    int pagesLoaded() const { return m_pages; }

    static const std::vector<int> &intervals(); // the ones the pipeline builds

Q_SIGNALS:
    // The store got candles for these symbols.
    void loaded(const QStringList &symbols);
    void failed(const QString &message);

private:
    void finish(Result<std::vector<Candle>> result, const QString &key, int pageSize);

    MarketDataStore *m_store;
    std::optional<CandleHistory> m_history;
    QString m_url;
    std::set<QString> m_busy, m_exhausted; // "symbol/interval"
    int m_inFlight = 0;
    int m_pages = 0;
};

} // namespace ms::ui
