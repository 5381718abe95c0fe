#include "storage/pg_params.h"

#include "storage/row_format.h"

namespace ms::storage_detail {

void PgParams::add(std::string v)
{
    values.push_back(std::move(v));
    isNull.push_back(false);
}

void PgParams::addDouble(double v)
{
    std::string s;
    rowfmt::appendDouble(s, v);
    add(std::move(s));
}

void PgParams::addOptional(const std::optional<double> &v)
{
    if (v) {
        addDouble(*v);
    } else {
        values.emplace_back();
        isNull.push_back(true);
    }
}

void PgParams::addTimestamp(qint64 epochMs)
{
    std::string s;
    rowfmt::appendPgTimestamp(s, epochMs);
    add(std::move(s));
}

void PgParams::addInt(qint64 v)
{
    std::string s;
    rowfmt::appendInt(s, v);
    add(std::move(s));
}

void PgParams::endRow(int columns)
{
    placeholders += placeholders.empty() ? "(" : ",(";
    const size_t first = values.size() - size_t(columns) + 1;
    for (int c = 0; c < columns; ++c) {
        if (c)
            placeholders += ',';
        placeholders += '$';
        rowfmt::appendInt(placeholders, qint64(first) + c);
    }
    placeholders += ')';
}

Result<qint64> execParams(PGconn *conn, const std::string &sql, const PgParams &p, const QString &what)
{
    std::vector<const char *> params(p.values.size());
    for (size_t i = 0; i < p.values.size(); ++i)
        params[i] = p.isNull[i] ? nullptr : p.values[i].c_str();
    PgResult res(PQexecParams(conn, sql.c_str(), int(params.size()), nullptr, params.data(), nullptr, nullptr, 0));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
        return pgError(conn, res.get(), what);
    return qint64(std::atoll(PQcmdTuples(res.get())));
}

}  // namespace ms::storage_detail
