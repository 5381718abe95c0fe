#include "storage/alert_history.h"

#include "storage/database.h"
#include "storage/sql_time.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <atomic>

namespace ms {

using storage_detail::timeValue;

namespace {

std::atomic<int> s_nextConnection{0};

QString utcText(bool pg, const char *column)
{
    return pg ? QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')")
                    .arg(QLatin1String(column))
              : QLatin1String(column);
}

} // namespace

Result<std::vector<StoredAlert>> AlertHistory::latest(int limit) const
{
    std::vector<StoredAlert> out;
    if (m_url.isSqlite() && !QFileInfo::exists(m_url.sqlitePath))
        return out;
    const QString name = QStringLiteral("alert-history-%1").arg(s_nextConnection.fetch_add(1));
    Result<std::vector<StoredAlert>> result = out;
    {
        Result<QSqlDatabase> db = openDatabase(m_url, name);
        if (!db) {
            result = db.error();
        } else {
            const bool pg = m_url.isPostgres();
            QSqlQuery exists(*db);
            const bool ok = exists.exec(
                pg ? QStringLiteral("SELECT to_regclass('alerts') IS NOT NULL")
                   : QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                    "AND name = 'alerts'"));
            if (!ok) {
                result = makeError(QStringLiteral("Reading alerts: ") + exists.lastError().text(),
                                   QStringLiteral("db_rejected"));
            } else if (exists.next() && exists.value(0).toBool()) {
                QSqlQuery q(*db);
                q.setForwardOnly(true);
                q.prepare(
                    QStringLiteral(
                        "SELECT rule, source, symbol, trade_id, asset_class, currency, price, ") +
                    utcText(pg, "\"timestamp\"") + QStringLiteral(", detail, ") +
                    utcText(pg, "triggered_at") +
                    QStringLiteral(" FROM alerts ORDER BY \"timestamp\" DESC, rule LIMIT ?"));
                q.addBindValue(limit);
                if (!q.exec()) {
                    result = makeError(QStringLiteral("Reading alerts: ") + q.lastError().text(),
                                       QStringLiteral("db_rejected"));
                } else {
                    while (q.next()) {
                        StoredAlert a;
                        a.trigger.rule = q.value(0).toString().toStdString();
                        a.trigger.tick.source =
                            sourceKindFromString(q.value(1).toString().toStdString())
                                .value_or(SourceKind::Simulator);
                        a.trigger.tick.symbol = q.value(2).toString().toStdString();
                        a.trigger.tick.id = q.value(3).toString().toStdString();
                        a.trigger.tick.asset =
                            assetClassFromString(q.value(4).toString().toStdString())
                                .value_or(AssetClass::Crypto);
                        a.trigger.tick.currency = q.value(5).toString().toStdString();
                        a.trigger.tick.price = q.value(6).toDouble();
                        a.trigger.tick.tsMs = timeValue(q.value(7));
                        a.trigger.detail = q.value(8).toString().toStdString();
                        a.triggeredAtMs = timeValue(q.value(9));
                        out.push_back(std::move(a));
                    }
                    result = std::move(out);
                }
            }
        }
    }
    closeDatabase(name);
    return result;
}

} // namespace ms
