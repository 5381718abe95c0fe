#include "storage/pg_async.h"

#include <algorithm>
#include <poll.h>

namespace ms::storage_detail {

namespace {
constexpr int kSliceMs = 50; // how often a wait looks at the stop flag
}

PgCall::PgCall(PGconn *conn, PgLimits &limits, QString what)
    : m_conn(conn), m_limits(limits), m_what(std::move(what))
{
    m_clock.start();
}

Error PgCall::giveUp(const QString &why)
{
    m_limits.abandoned = true;
    return makeError(m_what + QStringLiteral(": ") + why, QStringLiteral("db_unreachable"));
}

Status PgCall::wait(bool forWrite)
{
    const int fd = PQsocket(m_conn);
    if (fd < 0)
        return pgError(m_conn, nullptr, m_what);
    while (true) {
        if (m_limits.stop && m_limits.stop->load())
            return giveUp(QStringLiteral("stopped while waiting for the database"));
        const qint64 left = m_limits.timeoutMs - m_clock.elapsed();
        if (left <= 0)
            return giveUp(
                QStringLiteral("no answer from the database within %1 ms").arg(m_limits.timeoutMs));
        pollfd p{fd, short(POLLIN | (forWrite ? POLLOUT : 0)), 0};
        const int n = ::poll(&p, 1, int(std::min<qint64>(kSliceMs, left)));
        if (n > 0)
            return {};
        if (n < 0 && errno != EINTR)
            return giveUp(QStringLiteral("poll failed"));
    }
}

Status PgCall::flush()
{
    while (true) {
        const int r = PQflush(m_conn);
        if (r == 0)
            return {};
        if (r < 0)
            return pgError(m_conn, nullptr, m_what);
        if (Status s = wait(true); !s)
            return s;
        // Read what the server sent meanwhile, or it may stop reading our data (libpq's advice).
        if (!PQconsumeInput(m_conn))
            return pgError(m_conn, nullptr, m_what);
    }
}

Status PgCall::waitReadable()
{
    while (PQisBusy(m_conn)) {
        if (Status s = wait(false); !s)
            return s;
        if (!PQconsumeInput(m_conn))
            return pgError(m_conn, nullptr, m_what);
    }
    return {};
}

Result<PgResult> PgCall::next()
{
    if (Status s = waitReadable(); !s)
        return s.error();
    return PgResult(PQgetResult(m_conn));
}

Status PgCall::putCopyData(std::string_view data)
{
    while (true) {
        const int r = PQputCopyData(m_conn, data.data(), int(data.size()));
        if (r == 1)
            return {};
        if (r < 0)
            return pgError(m_conn, nullptr, m_what);
        if (Status s = wait(true); !s) // 0: the buffer is full, try again once writable
            return s;
        if (!PQconsumeInput(m_conn))
            return pgError(m_conn, nullptr, m_what);
        if (Status s = flush(); !s)
            return s;
    }
}

Status PgCall::putCopyEnd(const char *errorOrNull)
{
    while (true) {
        const int r = PQputCopyEnd(m_conn, errorOrNull);
        if (r == 1)
            return flush();
        if (r < 0)
            return pgError(m_conn, nullptr, m_what);
        if (Status s = wait(true); !s)
            return s;
        if (Status s = flush(); !s)
            return s;
    }
}

Result<PgResult> PgCall::exec(const char *sql)
{
    if (PQsendQuery(m_conn, sql) != 1)
        return pgError(m_conn, nullptr, m_what);
    return collect();
}

Result<PgResult> PgCall::execParams(const char *sql, const std::vector<std::string> &params)
{
    std::vector<const char *> values;
    values.reserve(params.size());
    for (const std::string &p : params)
        values.push_back(p.c_str());
    if (PQsendQueryParams(m_conn, sql, int(values.size()), nullptr, values.data(), nullptr, nullptr,
                          0) != 1)
        return pgError(m_conn, nullptr, m_what);
    return collect();
}

Result<PgResult> PgCall::collect()
{
    if (Status s = flush(); !s)
        return s.error();
    PgResult last;
    std::optional<Error> first;
    while (true) {
        auto r = next();
        if (!r)
            return r.error();
        if (!r.value())
            break;
        const ExecStatusType st = PQresultStatus(r.value().get());
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && !first)
            first = pgError(m_conn, r.value().get(), m_what);
        last = std::move(r.value());
    }
    if (first)
        return *first;
    if (!last)
        return pgError(m_conn, nullptr, m_what);
    return last;
}

Status pgExecLimited(PGconn *conn, const char *sql, PgLimits &limits, const QString &what)
{
    if (!conn)
        return makeError(what + QStringLiteral(": no database connection"),
                         QStringLiteral("db_unreachable"));
    PgCall call(conn, limits, what);
    auto r = call.exec(sql);
    if (!r)
        return r.error();
    return {};
}

} // namespace ms::storage_detail
