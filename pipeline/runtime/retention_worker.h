#pragma once
// The pipeline's background retention (storage/retention.h) and database-size probe: one thread
// per run with its own connection. Every `sizeEveryMs` it measures the database (metrics
// databaseBytes); every `passEveryMs` (first pass after `firstPassAfterMs`) it runs one retention
// pass when the policy deletes anything. Between batches it yields a moment, so the consumers'
// write transactions get the lock first; the stop flag is seen within 100 ms and between batches.
#include "model/result.h"
#include "storage/database_url.h"
#include "storage/retention.h"

#include <atomic>

namespace ms {

class MetricsRegistry;

struct RetentionWorkerOptions
{
    DatabaseUrl database;
    RetentionPolicy policy;
    qint64 firstPassAfterMs = 30'000;
    qint64 passEveryMs = 10 * 60'000;
    qint64 sizeEveryMs = 10'000;
    int yieldBetweenBatchesMs = 5;
};

class RetentionWorker
{
public:
    RetentionWorker(RetentionWorkerOptions options, MetricsRegistry &metrics);
    // Runs until `stop`. Errors of one pass are logged and retried at the next; only a database
    // that cannot be opened at all ends it (as an error value; the pipeline keeps running).
    Status run(const std::atomic_bool &stop);

    qint64 passes() const { return m_passes.load(); }

private:
    RetentionWorkerOptions m_options;
    MetricsRegistry &m_metrics;
    std::atomic<qint64> m_passes{0};
};

} // namespace ms
