#pragma once
// The TickStore tests' shared set-up: one throwaway PostgreSQL 15 server and a temporary directory,
// and a fresh database per test for the current backend (global data rows "postgres", "sqlite").
#include "pg_server.h"
#include "storage/database.h"
#include "storage/tick_store.h"
#include "storage_test_util.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace ms::test {

class TickStoreFixture
{
protected:
    PgServer m_pg;
    QTemporaryDir m_dir;
    int m_seq = 0;

    // A fresh, empty database for the current backend.
    DatabaseUrl freshUrl()
    {
        QFETCH_GLOBAL(QString, backend);
        ++m_seq;
        if (backend == QLatin1String("postgres")) {
            // A schema per test (CREATE DATABASE costs seconds on this disk); search_path selects it.
            const QString schema = QStringLiteral("t%1").arg(m_seq);
            QSqlQuery q(QSqlDatabase::database(QStringLiteral("admin")));
            if (!q.exec(QStringLiteral("CREATE SCHEMA ") + schema))
                qFatal("CREATE SCHEMA failed");
            return *DatabaseUrl::parse(m_pg.url() + QStringLiteral("?options=-csearch_path%3D") + schema);
        }
        return *DatabaseUrl::parse(QStringLiteral("sqlite://") + m_dir.path() + QStringLiteral("/t%1/db.sqlite").arg(m_seq));
    }

    std::unique_ptr<TickStore> openStore(const DatabaseUrl &url, const QString &name = QStringLiteral("store"))
    {
        auto store = TickStore::open(url, name);
        if (!store)
            qWarning("open failed: %s", qPrintable(store.errorMessage()));
        return store ? std::move(store).value() : nullptr;
    }

    // The slots every TickStore test class repeats (QTest runs only a class's own slots).
    void startServer()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(m_dir.isValid());
        QVERIFY(openDatabase(*DatabaseUrl::parse(m_pg.url()), QStringLiteral("admin")));
    }
    static void backendRows()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("postgres") << QStringLiteral("postgres");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
    }
};

}  // namespace ms::test
