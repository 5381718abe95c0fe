#include "history_loader.h"

#include <QFutureWatcher>
#include "database_pool.h"

#include "database_pool.h"

#include <QtConcurrent>

namespace ms::ui {

HistoryLoader::HistoryLoader(MarketDataStore *store, QObject *parent)
    : QObject(parent), m_store(store)
{
}

const std::vector<int> &HistoryLoader::intervals()
{
    static const std::vector<int> all{1, 60, 300, 3600};
    return all;
}

void HistoryLoader::setDatabaseUrl(const QString &url)
{
    m_url = url;
    Result<DatabaseUrl> parsed = DatabaseUrl::parse(url);
    if (!parsed) {
        m_history.reset();
        return;
    }
    m_history.emplace(*parsed);
    m_exhausted.clear();
}

void HistoryLoader::loadLatest(int perKey)
{
    if (!m_history)
        return;
    ++m_inFlight;
    auto *watcher = new QFutureWatcher<Result<std::vector<Candle>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        finish(watcher->result(), QString(), 0);
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(
        databaseThreadPool(), [history = *m_history, perKey] { return history.latest(intervals(), perKey); }));
}

void HistoryLoader::requestOlder(const QString &symbol, int intervalSec, qint64 beforeMs,
                                 int pageSize)
{
    const QString key = symbol + u'/' + QString::number(intervalSec);
    if (!m_history || m_busy.count(key) || m_exhausted.count(key))
        return;
    const SymbolData *d = m_store->find(symbol);
    if (!d)
        return;
    m_busy.insert(key);
    ++m_inFlight;
    const CandleKey k{d->asset, symbol.toStdString(), d->currency};
    auto *watcher = new QFutureWatcher<Result<std::vector<Candle>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, key, pageSize] {
        finish(watcher->result(), key, pageSize);
        watcher->deleteLater();
    });
    watcher->setFuture(
        QtConcurrent::run(databaseThreadPool(), [history = *m_history, k, intervalSec, beforeMs, pageSize] {
            return history.before(k, intervalSec, beforeMs, pageSize);
        }));
}

void HistoryLoader::finish(Result<std::vector<Candle>> result, const QString &key, int pageSize)
{
    --m_inFlight;
    if (!key.isEmpty())
        m_busy.erase(key);
    if (!result) {
        Q_EMIT failed(result.error().message);
        return;
    }
    const std::vector<Candle> &candles = *result;
    const size_t added = m_store->addHistoryCandles(candles);
    ++m_pages;
    if (!key.isEmpty() && (candles.size() < size_t(pageSize) || added == 0))
        m_exhausted.insert(key); // the start of the stored history (or memory is full)
    QStringList symbols;
    for (const Candle &c : candles) {
        const QString s = QString::fromStdString(c.symbol);
        if (symbols.isEmpty() || symbols.back() != s)
            symbols << s;
    }
    symbols.removeDuplicates();
    Q_EMIT loaded(symbols);
}

} // namespace ms::ui
