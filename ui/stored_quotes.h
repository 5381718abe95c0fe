#pragma once
// The watchlist's figures from the database: per symbol, the last stored price and the 24 h change
// and volume from the stored 1-minute candles (the reporting view v_latest_quote, the same figures
// as the Power BI tab). Read at launch (so the watchlist shows the last run before any Start), then
// refreshed in the background while the pipeline runs. Never on the GUI thread.
#include "model/result.h"
#include "model/tick.h"

#include <QFuture>
#include <QList>
#include <QString>
#include <optional>

namespace ms::ui {

struct StoredQuote
{
    QString symbol;
    AssetClass asset = AssetClass::Crypto;
    QString currency;
    double lastPrice = 0;
    qint64 lastTsMs = 0;
    std::optional<double>
        open24h; // the price 24 h before the last stored candle (or the oldest within 24 h)
    std::optional<double> change24hPct; // percent: 2.5 = +2.5 %
    double volume24h = 0;
    qint64 trades24h = 0;
};

// Opens the database by URL on the calling thread with its own connection, reads, closes.
// A SQLite file that does not exist is "nothing stored" (an empty list): reading never creates it.
Result<QList<StoredQuote>> readStoredQuotesNow(const QString &databaseUrl,
                                               int connectTimeoutSec = 3);
struct StoredQuotesAnswer // what the background read hands back (QFuture wants a default value)
{
    bool ok = false;
    QString error; // no secrets: the URL is redacted by the storage layer
    QList<StoredQuote> quotes;
};
QFuture<StoredQuotesAnswer> readStoredQuotes(const QString &databaseUrl, int connectTimeoutSec = 3);

// The 24 h change of a live price against a stored quote's 24 h opening price.
std::optional<double> change24hAgainst(const StoredQuote &quote, double livePrice);

} // namespace ms::ui
