#pragma once
// Internal to storage/: multi-row parameterized statements for libpq (text parameters, NULLs).
#include "storage/native_handles.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace ms::storage_detail {

struct PgLimits;  // pg_async.h

// Collects the parameters of a multi-row "VALUES ($1,..),($n,..)" statement.
struct PgParams
{
    std::vector<std::string> values;
    std::vector<bool> isNull;
    std::string placeholders;  // "($1,$2),($3,$4)"

    void add(std::string v);
    void addDouble(double v);
    void addOptional(const std::optional<double> &v);
    void addTimestamp(qint64 epochMs);
    void addInt(qint64 v);
    // Call after adding one row's `columns` values.
    void endRow(int columns);
    bool empty() const { return values.empty(); }
};

// Statements sent together in libpq's pipeline mode: one network round trip for all of them
// instead of one each (a batch's upserts and its COMMIT; COPY cannot be pipelined). Results are
// read in order; after a failure the server skips the rest (PGRES_PIPELINE_ABORTED), and the
// first error is returned. Each statement may add its affected row count to a counter.
class PgPipeline
{
public:
    void add(std::string sql, PgParams params, QString what, qint64 *rowsOut = nullptr);
    void add(std::string sql, QString what) { add(std::move(sql), PgParams{}, std::move(what)); }
    size_t size() const { return m_statements.size(); }
    // Under the limits (pg_async.h): a frozen server fails it after the deadline, stop at once.
    Status run(PGconn *conn, PgLimits &limits);

private:
    struct Statement
    {
        std::string sql;
        PgParams params;
        QString what;
        qint64 *rowsOut = nullptr;
    };
    std::vector<Statement> m_statements;
};

}  // namespace ms::storage_detail
