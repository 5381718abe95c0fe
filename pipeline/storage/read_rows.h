#pragma once
// Internal to storage/: the rows of one read query, from either backend. PostgreSQL's come from
// libpq under the store's limits (pg_async.h: a deadline and the stop flag), because Qt's QPSQL
// waits for an answer without a bound and a frozen server would hold the consumer's start, and its
// stop, for ever. SQLite's come from QSqlQuery (a local file: no such wait).
#include "storage/native_handles.h"

#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <optional>

namespace ms::storage_detail {

class ReadRows
{
public:
    void setPg(PgResult res)
    {
        m_pg = std::move(res);
        m_row = -1;
    }
    void setSql(QSqlQuery q) { m_sql.emplace(std::move(q)); }

    bool next()
    {
        if (m_sql)
            return m_sql->next();
        return m_pg && ++m_row < PQntuples(m_pg.get());
    }
    // NULL as an invalid QVariant; PostgreSQL text values as strings, booleans as bool.
    QVariant value(int column) const
    {
        if (m_sql)
            return m_sql->value(column);
        if (PQgetisnull(m_pg.get(), m_row, column))
            return {};
        const char *text = PQgetvalue(m_pg.get(), m_row, column);
        constexpr Oid kBoolOid = 16;
        if (PQftype(m_pg.get(), column) == kBoolOid)
            return QVariant(text[0] == 't');
        return QVariant(QString::fromUtf8(text));
    }

private:
    PgResult m_pg;
    int m_row = -1;
    std::optional<QSqlQuery> m_sql;
};

} // namespace ms::storage_detail
