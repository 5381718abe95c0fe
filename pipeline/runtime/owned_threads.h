#pragma once
// The worker threads of one pipeline run, owned in one place.
//
// Rules kept here, so no caller can get them wrong:
// - a QThread is never destroyed while it runs: joinAll() waits against ONE deadline for every
//   thread (the stop flags were set for all of them before, so the waits overlap: the total is the
//   deadline, not the sum), and a thread that misses it stays owned and is named in the answer;
// - the destructor joins what has finished; a thread still running then (stuck in a call that has
//   no deadline of its own) is released on purpose and reported, because deleting it would abort
//   the process and taking its resources from under it would crash it.
// Not thread-safe itself: one thread (the pipeline's control thread) starts, joins and frees.
#include <QDeadlineTimer>
#include <QStringList>
#include <QThread>
#include <functional>
#include <memory>
#include <vector>

namespace ms {

class Source;

// A source's thread: runs the source's event loop and owns the source. The source lives on this
// thread and is destroyed on it, right after the loop ends (its timers and sockets belong to it).
class SourceThread : public QThread
{
public:
    explicit SourceThread(std::unique_ptr<Source> source);
    ~SourceThread() override; // deletes the source here only if the thread never ran

    Source *source() const { return m_sourceForCalls; }
    // Queues Source::stop on the source's thread, then ends its loop (the source is destroyed
    // after that, on its thread). Call once; source() is not to be used after it.
    void requestStop();

protected:
    void run() override;

private:
    std::unique_ptr<Source> m_source; // reset on this thread at the end of run()
    Source *const m_sourceForCalls;   // for other threads, valid until requestStop()
};

class OwnedThreads
{
public:
    OwnedThreads() = default;
    OwnedThreads(const OwnedThreads &) = delete;
    OwnedThreads &operator=(const OwnedThreads &) = delete;
    ~OwnedThreads();

    // Starts `body` on a new thread named `name` (no event loop).
    void startFunction(const QString &name, std::function<void()> body);
    // Takes a thread that runs an event loop (a SourceThread), for the caller to start and stop.
    template <class T> T *adopt(std::unique_ptr<T> thread)
    {
        T *raw = thread.get();
        m_threads.push_back(std::move(thread));
        return raw;
    }

    // Waits until every thread finished or `deadline` passed; returns the names still running.
    QStringList joinAll(QDeadlineTimer deadline);
    bool allFinished() const;
    bool empty() const { return m_threads.empty(); }
    size_t size() const { return m_threads.size(); }

private:
    std::vector<std::unique_ptr<QThread>> m_threads;
};

} // namespace ms
