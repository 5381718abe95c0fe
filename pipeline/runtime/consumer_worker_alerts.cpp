// ConsumerWorker, price alerts: evaluated on the ticks the database inserted, inside the batch's
// transaction, so a trigger commits exactly when its tick does (and a replayed tick, not inserted
// again, is never evaluated again). The rules' hysteresis state is stored in the same transaction
// (alert_state) and read back on assignment, after a restart, and after a write that did not
// commit.
#include "runtime/consumer_worker.h"
#include "runtime/issue_log.h"

#include <QDateTime>
#include <set>
#include <tuple>

namespace ms {

namespace {
const QString kComponent = QStringLiteral("alerts");
} // namespace

Status ConsumerWorker::restoreAlerts(const std::vector<quint8> *newInBatch)
{
    m_alerts->reset();
    std::vector<std::string> rules;
    for (const AlertRule &r : m_alerts->rules())
        rules.push_back(r.text);
    auto states = m_store->loadAlertStates(rules);
    if (!states.ok()) {
        IssueLog::instance().error(
            kComponent,
            QStringLiteral("cannot restore the alert rules' state: %1").arg(states.errorMessage()));
        return states.error();
    }
    // Inside a batch's transaction the tick tables already hold its new ticks: not part of the
    // past.
    std::set<std::tuple<SourceKind, std::string_view, std::string_view>> fresh;
    if (newInBatch) {
        for (size_t i = 0; i < m_ticks.size() && i < newInBatch->size(); ++i) {
            if ((*newInBatch)[i])
                fresh.emplace(m_ticks[i].source, m_ticks[i].symbol, m_ticks[i].id);
        }
    }
    for (const AlertRuleState &state : states.value()) {
        std::vector<Tick> window;
        for (const AlertRule &r : m_alerts->rules()) {
            if (r.text != state.rule || r.kind != AlertKind::Move)
                continue;
            auto stored =
                m_store->loadAlertWindow(r.symbol, state.lastTsMs - r.windowMs, state.lastTsMs);
            if (!stored.ok())
                return stored.error();
            for (Tick &t : stored.value()) {
                if (!fresh.count({t.source, t.symbol, t.id}))
                    window.push_back(std::move(t));
            }
        }
        m_alerts->restore(state, window);
    }
    m_alertsStale = false;
    return {};
}

Status ConsumerWorker::evaluateAlerts(std::span<const quint8> inserted, DerivedRows &out)
{
    m_alertsThisBatch.clear();
    if (!m_alerts)
        return {};
    if (m_alertsStale) {
        const std::vector<quint8> fresh(inserted.begin(), inserted.end());
        if (Status s = restoreAlerts(&fresh); !s.ok())
            return s;
    }
    m_alertsStale = true; // until the batch commits (processBatch → reportAlerts)
    for (size_t i = 0; i < m_ticks.size() && i < inserted.size(); ++i) {
        if (inserted[i])
            m_alerts->feed(m_ticks[i], m_alertsThisBatch);
    }
    out.alerts = m_alertsThisBatch;
    out.alertStates = m_alerts->takeChangedStates();
    return {};
}

void ConsumerWorker::reportAlerts(qint64 written)
{
    if (!m_alerts)
        return;
    m_alertsStale = false; // committed: the evaluator holds what the database holds
    m_metrics.alertsTriggered.fetch_add(written, std::memory_order_relaxed);
    for (const AlertTrigger &a : m_alertsThisBatch) {
        IssueLog::instance().info(
            kComponent,
            QStringLiteral("alert %1: %2 at %3 (%4), event time %5")
                .arg(QString::fromStdString(a.rule), QString::fromStdString(a.tick.symbol))
                .arg(a.tick.price, 0, 'g', 12)
                .arg(QString::fromStdString(a.detail))
                .arg(QDateTime::fromMSecsSinceEpoch(a.tick.tsMs, Qt::UTC)
                         .toString(Qt::ISODateWithMs)));
    }
    m_alertsThisBatch.clear();
}

} // namespace ms
