#include "runtime/owned_threads.h"

#include "runtime/issue_log.h"

namespace ms {

OwnedThreads::~OwnedThreads()
{
    for (auto &t : m_threads) {
        if (t->isRunning() && !t->wait(QDeadlineTimer(0))) {
            IssueLog::instance().error(
                QStringLiteral("pipeline"),
                QStringLiteral("thread %1 is still running at teardown; it is left to the "
                               "process exit instead of being destroyed")
                    .arg(t->objectName()));
            (void)t.release(); // deliberate: destroying a running QThread aborts the process
        }
    }
}

void OwnedThreads::startFunction(const QString &name, std::function<void()> body)
{
    std::unique_ptr<QThread> t(QThread::create(std::move(body)));
    t->setObjectName(name);
    t->start();
    m_threads.push_back(std::move(t));
}

QThread *OwnedThreads::adoptEventLoopThread(std::unique_ptr<QThread> thread)
{
    m_threads.push_back(std::move(thread));
    return m_threads.back().get();
}

void OwnedThreads::quitAll()
{
    for (auto &t : m_threads)
        t->quit();
}

QStringList OwnedThreads::joinAll(QDeadlineTimer deadline)
{
    QStringList stuck;
    for (auto &t : m_threads) {
        if (!t->wait(deadline))
            stuck << t->objectName();
    }
    return stuck;
}

bool OwnedThreads::allFinished() const
{
    for (const auto &t : m_threads) {
        if (t->isRunning())
            return false;
    }
    return true;
}

} // namespace ms
