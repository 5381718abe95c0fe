#include "runtime/owned_threads.h"

#include "runtime/issue_log.h"
#include "sources/source.h"

namespace ms {

SourceThread::SourceThread(std::unique_ptr<Source> source)
    : m_source(std::move(source)), m_sourceForCalls(m_source.get())
{
    m_source->moveToThread(this);
}

SourceThread::~SourceThread() = default; // OwnedThreads never destroys a running thread

void SourceThread::requestStop()
{
    QMetaObject::invokeMethod(m_sourceForCalls, &Source::stop, Qt::QueuedConnection);
    quit();
}

void SourceThread::run()
{
    exec();
    // On this thread, where the source's timers, sockets and deferred deletes live; what its
    // destructor deleteLater()s is flushed by QThread's own finish right after.
    m_source.reset();
}

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
