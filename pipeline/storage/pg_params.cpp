#include "storage/pg_params.h"

#include "storage/pg_async.h"
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

void PgPipeline::add(std::string sql, PgParams params, QString what, qint64 *rowsOut)
{
    m_statements.push_back(Statement{std::move(sql), std::move(params), std::move(what), rowsOut});
}

Status PgPipeline::run(PGconn *conn, PgLimits &limits)
{
    if (m_statements.empty())
        return {};
    if (PQenterPipelineMode(conn) != 1)
        return pgError(conn, nullptr, QStringLiteral("Entering pipeline mode"));
    Status out;
    bool sent = true;
    for (const Statement &s : m_statements) {
        std::vector<const char *> values(s.params.values.size());
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = s.params.isNull[i] ? nullptr : s.params.values[i].c_str();
        if (PQsendQueryParams(conn, s.sql.c_str(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0) != 1) {
            out = pgError(conn, nullptr, s.what);
            sent = false;
            break;
        }
    }
    if (sent && PQpipelineSync(conn) != 1) {
        out = pgError(conn, nullptr, QStringLiteral("Sending the pipeline"));
        sent = false;
    }
    PgCall call(conn, limits, QStringLiteral("Pipeline"));
    if (sent) {
        if (Status s = call.flush(); !s) {
            out = s;
            sent = false;
        }
    }
    if (sent) {
        // Per statement: its result(s), then NULL; after the last, the PIPELINE_SYNC result.
        size_t index = 0;
        int nullsInARow = 0;
        while (true) {
            auto next = call.next();
            if (!next) {
                if (out.ok())
                    out = next.error();
                break;
            }
            PgResult res = std::move(next.value());
            if (!res) {
                ++index;
                // A dead connection answers NULL for ever: stop instead of spinning.
                if (++nullsInARow > 1 || PQstatus(conn) != CONNECTION_OK) {
                    if (out.ok())
                        out = pgError(conn, nullptr, QStringLiteral("Reading the pipeline results"));
                    break;
                }
                continue;
            }
            nullsInARow = 0;
            const ExecStatusType st = PQresultStatus(res.get());
            if (st == PGRES_PIPELINE_SYNC)
                break;
            const Statement *s = index < m_statements.size() ? &m_statements[index] : nullptr;
            if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
                if (s && s->rowsOut)
                    *s->rowsOut += qint64(std::atoll(PQcmdTuples(res.get())));
            } else if (st != PGRES_PIPELINE_ABORTED && out.ok()) {
                out = pgError(conn, res.get(), s ? s->what : QStringLiteral("Pipeline"));
            }
        }
    }
    if (limits.abandoned) {  // mid-command: the connection is dropped by the caller
        m_statements.clear();
        return out;
    }
    if (PQpipelineStatus(conn) != PQ_PIPELINE_OFF && PQexitPipelineMode(conn) != 1 && out.ok())
        out = pgError(conn, nullptr, QStringLiteral("Leaving pipeline mode"));
    m_statements.clear();
    return out;
}

}  // namespace ms::storage_detail
