#pragma once
// Reads stored price alerts (table alerts, migration 050) for the Alerts panel and the chart
// markers. Like CandleHistory: one short-lived connection per call (any worker thread), read-only,
// and a database without the table yet (a first launch) simply has no alerts.
#include "alerts/alert_evaluator.h"
#include "model/result.h"
#include "storage/database_url.h"

#include <vector>

namespace ms {

struct StoredAlert
{
    AlertTrigger trigger;     // rule, tick (source, symbol, trade id, asset, currency, price, event
                              // time), detail
    qint64 triggeredAtMs = 0; // when the database stored it
};

class AlertHistory
{
public:
    explicit AlertHistory(DatabaseUrl url) : m_url(std::move(url)) {}
    // The newest `limit` alerts by event time, newest first.
    Result<std::vector<StoredAlert>> latest(int limit) const;

private:
    DatabaseUrl m_url;
};

} // namespace ms
