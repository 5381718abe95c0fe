#include "storage/candle_history.h"

#include "storage/database.h"
#include "storage/candle_row.h"
#include "storage/sql_time.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>
#include <algorithm>
#include <atomic>

namespace ms {

using storage_detail::timeParam;
using storage_detail::timeValue;

namespace {

QString columns(bool pg)
{
    const QString t =
        pg ? QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')")
           : QStringLiteral("%1");
    return QStringLiteral("asset_class, symbol, currency, interval_s, ") +
           t.arg(QStringLiteral("bucket_start")) +
           QStringLiteral(", open, high, low, close, volume, vwap, trades, ") +
           t.arg(QStringLiteral("first_ts")) + QStringLiteral(", ") +
           t.arg(QStringLiteral("last_ts")) + QStringLiteral(", is_final");
}

Candle readCandle(const QSqlQuery &q)
{
    return storage_detail::candleFromRow(q);
}

// A connection for this call only, closed when it goes out of scope.
class Connection
{
public:
    explicit Connection(const DatabaseUrl &url)
        : m_name(QStringLiteral("candle-history-%1").arg(s_next.fetch_add(1)))
    {
        Result<QSqlDatabase> db = openDatabase(url, m_name);
        if (db)
            m_db = *db;
        else
            m_error = db.error();
    }
    ~Connection()
    {
        m_db = QSqlDatabase();
        closeDatabase(m_name);
    }
    QSqlDatabase *db() { return m_db.isOpen() ? &m_db : nullptr; }
    const Error &error() const { return m_error; }

private:
    static inline std::atomic<int> s_next{0};
    QString m_name;
    QSqlDatabase m_db;
    Error m_error;
};

Error queryError(const QSqlQuery &q, const char *what)
{
    return Error{QStringLiteral("%1: %2").arg(QLatin1String(what), q.lastError().text()),
                 QStringLiteral("db_rejected")};
}

bool noDatabaseYet(const DatabaseUrl &url)
{
    return url.isSqlite() && !QFileInfo::exists(url.sqlitePath);
}

} // namespace

Result<std::vector<Candle>> CandleHistory::latest(const std::vector<int> &intervalsSec,
                                                  int perKey) const
{
    std::vector<Candle> out;
    if (noDatabaseYet(m_url))
        return out;
    Connection conn(m_url);
    if (!conn.db())
        return conn.error();
    QSqlQuery keys(*conn.db());
    keys.setForwardOnly(true);
    if (!keys.exec(QStringLiteral("SELECT DISTINCT asset_class, symbol, currency FROM candles")))
        return queryError(keys, "Reading the stored symbols");
    std::vector<CandleKey> all;
    while (keys.next())
        all.push_back({assetClassFromString(keys.value(0).toString().toStdString())
                           .value_or(AssetClass::Crypto),
                       keys.value(1).toString().toStdString(),
                       keys.value(2).toString().toStdString()});
    keys.finish();
    const bool pg = m_url.isPostgres();
    QSqlQuery q(*conn.db());
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT ") + columns(pg) +
        QStringLiteral(
            " FROM candles WHERE asset_class = ? AND symbol = ? AND currency = ? AND interval_s = ?"
            " ORDER BY bucket_start DESC LIMIT ?"));
    for (const CandleKey &k : all) {
        for (int interval : intervalsSec) {
            q.addBindValue(
                QString::fromLatin1(wireName(k.asset).data(), qsizetype(wireName(k.asset).size())));
            q.addBindValue(QString::fromStdString(k.symbol));
            q.addBindValue(QString::fromStdString(k.currency));
            q.addBindValue(interval);
            q.addBindValue(perKey);
            if (!q.exec())
                return queryError(q, "Reading the latest candles");
            const size_t first = out.size();
            while (q.next())
                out.push_back(readCandle(q));
            std::reverse(out.begin() + qsizetype(first), out.end());
        }
    }
    return out;
}

Result<std::vector<Candle>> CandleHistory::before(const CandleKey &key, int intervalSec,
                                                  qint64 beforeMs, int limit) const
{
    std::vector<Candle> out;
    if (noDatabaseYet(m_url))
        return out;
    Connection conn(m_url);
    if (!conn.db())
        return conn.error();
    const bool pg = m_url.isPostgres();
    QSqlQuery q(*conn.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ") + columns(pg) +
              QStringLiteral(" FROM candles WHERE asset_class = ? AND symbol = ? AND currency = ? "
                             "AND interval_s = ? AND ") +
              (pg ? QStringLiteral("bucket_start < CAST(? AS timestamptz)")
                  : QStringLiteral("bucket_start < ?")) +
              QStringLiteral(" ORDER BY bucket_start DESC LIMIT ?"));
    q.addBindValue(
        QString::fromLatin1(wireName(key.asset).data(), qsizetype(wireName(key.asset).size())));
    q.addBindValue(QString::fromStdString(key.symbol));
    q.addBindValue(QString::fromStdString(key.currency));
    q.addBindValue(intervalSec);
    q.addBindValue(timeParam(beforeMs));
    q.addBindValue(limit);
    if (!q.exec())
        return queryError(q, "Reading older candles");
    while (q.next())
        out.push_back(readCandle(q));
    std::reverse(out.begin(), out.end());
    return out;
}

} // namespace ms
