#include "stored_quotes.h"

#include "reporting/reporting_queries.h"
#include "storage/database.h"

#include <QAtomicInt>
#include <QFileInfo>
#include <QSet>
#include "database_pool.h"

#include <QtConcurrent>
#include <cmath>

namespace ms::ui {

Result<QList<StoredQuote>> readStoredQuotesNow(const QString &databaseUrl, int connectTimeoutSec)
{
    auto url = DatabaseUrl::parse(databaseUrl);
    if (!url.ok())
        return url.error();
    if (url->isSqlite() && url->sqlitePath != QLatin1String(":memory:") &&
        !QFileInfo::exists(url->sqlitePath))
        return QList<StoredQuote>{};
    static QAtomicInt counter;
    const QString name = QStringLiteral("ms-ui-quotes-%1").arg(counter.fetchAndAddRelaxed(1));
    Result<QList<StoredQuote>> out = QList<StoredQuote>{};
    {
        auto db = openDatabase(*url, name, connectTimeoutSec);
        if (!db.ok()) {
            out = db.error();
        } else if (!db->tables(QSql::Views)
                        .contains(QStringLiteral("v_latest_quote"), Qt::CaseInsensitive) &&
                   !db->tables(QSql::AllTables)
                        .contains(QStringLiteral("v_latest_quote"), Qt::CaseInsensitive)) {
            // A database the pipeline never migrated: nothing stored yet.
        } else if (auto rows = reporting::queryLatestQuotes(*db); !rows.ok()) {
            out = rows.error();
        } else {
            QSet<QString> seen;
            for (const reporting::LatestQuote &r : *rows) {
                if (seen.contains(r.symbol))
                    continue; // one row per symbol, as the watchlist has (first currency by key)
                seen.insert(r.symbol);
                StoredQuote q;
                q.symbol = r.symbol;
                q.asset =
                    r.assetClass == QLatin1String("stock") ? AssetClass::Stock : AssetClass::Crypto;
                q.currency = r.currency;
                q.lastPrice = r.lastPrice;
                q.lastTsMs = r.lastTime.isValid() ? r.lastTime.toMSecsSinceEpoch() : 0;
                q.change24hPct = r.changePct24h;
                if (r.changePct24h && std::isfinite(*r.changePct24h) && *r.changePct24h > -100)
                    q.open24h = r.lastPrice / (1 + *r.changePct24h / 100);
                q.volume24h = r.volume24h;
                q.trades24h = r.trades24h;
                out->append(q);
            }
        }
    }
    closeDatabase(name);
    return out;
}

QFuture<StoredQuotesAnswer> readStoredQuotes(const QString &databaseUrl, int connectTimeoutSec)
{
    return QtConcurrent::run(databaseThreadPool(), [databaseUrl, connectTimeoutSec] {
        auto r = readStoredQuotesNow(databaseUrl, connectTimeoutSec);
        return r.ok() ? StoredQuotesAnswer{true, {}, std::move(r).value()}
                      : StoredQuotesAnswer{false, r.errorMessage(), {}};
    });
}

std::optional<double> change24hAgainst(const StoredQuote &quote, double livePrice)
{
    if (!quote.open24h || *quote.open24h <= 0 || !std::isfinite(livePrice) || livePrice <= 0)
        return std::nullopt;
    return (livePrice - *quote.open24h) / *quote.open24h * 100.0;
}

} // namespace ms::ui
