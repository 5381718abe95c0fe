#pragma once
// Internal to storage/: multi-row parameterized statements for libpq (text parameters, NULLs).
#include "storage/native_handles.h"

#include <optional>
#include <string>
#include <vector>

namespace ms::storage_detail {

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

// Runs `sql` with the collected parameters; returns the affected row count.
Result<qint64> execParams(PGconn *conn, const std::string &sql, const PgParams &params, const QString &what);

}  // namespace ms::storage_detail
