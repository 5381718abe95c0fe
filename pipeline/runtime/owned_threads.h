#pragma once
// The worker threads of one pipeline run, owned in one place.
//
// Rules kept here, so no caller can get them wrong:
// - a QThread is never destroyed while it runs: joinAll() waits against ONE deadline for every
// thread
//   (the stop flags were set for all of them before, so the waits overlap: the total is the
//   deadline, not the sum), and a thread that misses it stays owned and is named in the answer;
// - the destructor joins what has finished; a thread still running then (stuck in a call that has
// no
//   deadline of its own) is released on purpose and reported, because deleting it would abort the
//   process and taking its resources from under it would crash it.
#include <QDeadlineTimer>
#include <QStringList>
#include <QThread>
#include <functional>
#include <memory>
#include <vector>

namespace ms {

class OwnedThreads
{
public:
    OwnedThreads() = default;
    OwnedThreads(const OwnedThreads &) = delete;
    OwnedThreads &operator=(const OwnedThreads &) = delete;
    ~OwnedThreads();

    // Starts `body` on a new thread named `name` (no event loop).
    void startFunction(const QString &name, std::function<void()> body);
    // Takes a thread that runs an event loop (sources); started by the caller. quitAll() ends its
    // loop.
    QThread *adoptEventLoopThread(std::unique_ptr<QThread> thread);

    void quitAll();
    // Waits until every thread finished or `deadline` passed; returns the names still running.
    QStringList joinAll(QDeadlineTimer deadline);
    bool allFinished() const;
    bool empty() const { return m_threads.empty(); }
    size_t size() const { return m_threads.size(); }

private:
    std::vector<std::unique_ptr<QThread>> m_threads;
};

} // namespace ms
