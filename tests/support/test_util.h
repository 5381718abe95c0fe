#pragma once
// Small helpers shared by tests.
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QThread>

#include <csignal>
#include <functional>

#include <sys/prctl.h>

namespace ms::test {

// Spins the event loop until pred() is true or timeoutMs passes. Returns pred()'s last value.
inline bool waitUntil(const std::function<bool()> &pred, int timeoutMs = 10000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!pred()) {
        if (deadline.hasExpired())
            return pred();
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

// Call before start(): the child dies with the test process. A test that aborts (QFATAL, a crash)
// never runs QProcess's destructor, and a headless child whose source retries would run on for
// ever (seen: one left from an aborted run kept a core 10 % busy for 20 minutes).
inline void dieWithTest(QProcess &p)
{
    p.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

}  // namespace ms::test
