#include "database_pool.h"

namespace ms::ui {

QThreadPool *databaseThreadPool()
{
    // Two: the launch's history read and a page or the stored quotes can overlap; more would only
    // compete for the same cores and the same database file.
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool; // lives as long as the process: jobs may outlive any window
        p->setMaxThreadCount(2);
        p->setObjectName(QStringLiteral("ms-database-reads"));
        return p;
    }();
    return pool;
}

} // namespace ms::ui
