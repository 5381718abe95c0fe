#pragma once
// Internal to storage/: libpq calls of the write path and of the start path's reads (offsets,
// candle restore) with a client-side deadline and the stop flag. The connection is in libpq's
// nonblocking mode (Qt's own PQexec calls still block, as documented); every wait is a poll() on
// PQsocket in short slices, so a frozen server (TCP accepts, nobody answers) makes the call fail
// after the deadline, and a stop request ends it at once. Either way the command is left half done:
// the caller must drop the connection (PgLimits::abandoned).
#include "storage/native_handles.h"

#include <QElapsedTimer>
#include <atomic>
#include <string>
#include <string_view>
#include <vector>

namespace ms::storage_detail {

struct PgLimits
{
    int timeoutMs = 15000;                  // per call (a whole COPY, a whole pipeline)
    const std::atomic_bool *stop = nullptr; // checked between slices
    bool abandoned = false;                 // set when a call gave up mid-command
};

// One libpq exchange under a deadline.
class PgCall
{
public:
    PgCall(PGconn *conn, PgLimits &limits, QString what);
    Status flush();          // until libpq's output buffer is empty
    Status waitReadable();   // until a whole result is in (PQisBusy() false)
    Result<PgResult> next(); // the next result (null at the end of a command)
    Status putCopyData(std::string_view data);
    Status putCopyEnd(const char *errorOrNull);
    // Sends `sql` (no parameters, several statements allowed) and reads all its results; returns
    // the last one, or the first error.
    Result<PgResult> exec(const char *sql);
    // One statement with text parameters ($1, $2, …; NULL-free); returns its result or its error.
    Result<PgResult> execParams(const char *sql, const std::vector<std::string> &params);

private:
    Result<PgResult> collect(); // after a send: all results of the command, as exec() returns them
    Status wait(bool forWrite);
    Error giveUp(const QString &why);

    PGconn *m_conn;
    PgLimits &m_limits;
    QString m_what;
    QElapsedTimer m_clock;
};

// Runs one statement (or several) under the limits; COMMAND_OK/TUPLES_OK expected.
Status pgExecLimited(PGconn *conn, const char *sql, PgLimits &limits, const QString &what);

} // namespace ms::storage_detail
