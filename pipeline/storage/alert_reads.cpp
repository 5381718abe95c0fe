// TickStore's reads for price alerts: what restores the evaluator after a restart or an assignment.
#include "storage/database.h"
#include "storage/sql_time.h"
#include "storage/tick_store.h"
#include "storage/tick_store_impl.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <algorithm>

namespace ms {

using storage_detail::timeValue;

Result<std::vector<AlertRuleState>>
TickStore::loadAlertStates(const std::vector<std::string> &rules)
{
    if (Status s = ensureConnected(); !s)
        return s.error();
    const bool pg = m_url.isPostgres();
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    const QString ts =
        pg ? QStringLiteral("to_char(last_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')")
           : QStringLiteral("last_ts");
    if (!q.exec(QStringLiteral("SELECT rule, ") + ts +
                QStringLiteral(", condition_held FROM alert_state"))) {
        return makeError(
            QStringLiteral("Reading alert state: ") + q.lastError().text().simplified(),
            connectionLost() ? QStringLiteral("db_unreachable") : QStringLiteral("db_rejected"));
    }
    std::vector<AlertRuleState> out;
    while (q.next()) {
        AlertRuleState s{q.value(0).toString().toStdString(), timeValue(q.value(1)),
                         q.value(2).toBool()};
        if (std::find(rules.begin(), rules.end(), s.rule) != rules.end())
            out.push_back(std::move(s));
    }
    return out;
}

Result<std::vector<Tick>> TickStore::loadAlertWindow(const std::string &symbol, qint64 fromMs,
                                                     qint64 toMs)
{
    // loadTicks reads [from, to): (fromMs, toMs] in whole milliseconds is [fromMs + 1, toMs + 1).
    auto crypto = loadTicks(AssetClass::Crypto, symbol, fromMs + 1, toMs + 1);
    if (!crypto)
        return crypto.error();
    auto stock = loadTicks(AssetClass::Stock, symbol, fromMs + 1, toMs + 1);
    if (!stock)
        return stock.error();
    std::vector<Tick> out = std::move(crypto.value());
    out.insert(out.end(), stock->begin(), stock->end());
    std::stable_sort(out.begin(), out.end(),
                     [](const Tick &a, const Tick &b) { return a.tsMs < b.tsMs; });
    return out;
}

} // namespace ms
