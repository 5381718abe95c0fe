#include "database_probe.h"

#include "storage/database.h"

#include <QAtomicInt>
#include <QSqlQuery>
#include "database_pool.h"

#include <QtConcurrent>

namespace ms::ui {

ProbeAnswer probeDatabaseNow(const QString &databaseUrl, int connectTimeoutSec)
{
    auto url = DatabaseUrl::parse(databaseUrl);
    if (!url.ok())
        return {false, QObject::tr("The database setting is not valid: %1").arg(url.errorMessage())};
    static QAtomicInt counter;
    const QString name = QStringLiteral("ms-ui-probe-%1").arg(counter.fetchAndAddRelaxed(1));
    ProbeAnswer answer;
    {
        auto db = openDatabase(*url, name, connectTimeoutSec);
        if (!db.ok()) {
            answer = {false, db.errorMessage()};  // "Cannot connect to <redacted URL>: why", the URL once
        } else {
            QSqlQuery q(*db);
            QString version;
            if (url->isPostgres() && q.exec(QStringLiteral("SHOW server_version")) && q.next())
                version = QObject::tr("PostgreSQL %1").arg(q.value(0).toString());
            else if (url->isSqlite() && q.exec(QStringLiteral("SELECT sqlite_version()")) && q.next())
                version = QObject::tr("SQLite %1").arg(q.value(0).toString());
            if (version.isEmpty())
                answer = {false, QObject::tr("Connected to %1, but a test query failed.").arg(url->redacted())};
            else
                answer = {true, QObject::tr("Connected: %1 at %2.").arg(version, url->redacted())};
        }
    }
    closeDatabase(name);
    return answer;
}

QFuture<ProbeAnswer> probeDatabase(const QString &databaseUrl, int connectTimeoutSec)
{
    return QtConcurrent::run(databaseThreadPool(), [databaseUrl, connectTimeoutSec] { return probeDatabaseNow(databaseUrl, connectTimeoutSec); });
}

}  // namespace ms::ui
