#pragma once
// "Test connection" for the Settings dialog: opens the database on a worker thread (QtConcurrent)
// and answers in one sentence. Never blocks the caller; the password never appears in the answer.
#include <QFuture>
#include <QString>

namespace ms::ui {

struct ProbeAnswer
{
    bool ok = false;
    QString message;
};

// Runs on the calling thread (blocking, bounded by the connect timeout). Used by probeDatabase().
ProbeAnswer probeDatabaseNow(const QString &databaseUrl, int connectTimeoutSec = 3);
// Runs probeDatabaseNow on the global thread pool.
QFuture<ProbeAnswer> probeDatabase(const QString &databaseUrl, int connectTimeoutSec = 3);

}  // namespace ms::ui
