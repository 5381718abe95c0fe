#include "sources/source.h"

namespace ms {

namespace {
constexpr int kRetryMs = 1;  // how often a throttled source offers its backlog again
} // namespace

Source::~Source()
{
    if (const size_t held = m_backlog.size() - m_backlogHead; held > 0)
        qWarning("a source ended with %zu ticks held by back-pressure, not published", held);
}

void Source::setTickHandler(TickHandler handler)
{
    m_sink = [handler = std::move(handler)](std::span<const Tick> ticks) {
        handler(ticks);
        return ticks.size();
    };
}

void Source::publish(std::span<const Tick> ticks)
{
    if (!m_sink || ticks.empty())
        return;
    if (!backpressured()) {
        const size_t taken = std::min(m_sink(ticks), ticks.size());
        if (taken == ticks.size())
            return;
        ticks = ticks.subspan(taken);
        m_backlog.clear();
        m_backlogHead = 0;
        m_statusBeforeThrottle = m_status;
        emitStatus({SourceState::Throttled,
                    QStringLiteral("throttled: the pipeline is behind; generating and "
                                   "polling paused"),
                    0});
        if (!m_retryTimer) {
            m_retryTimer = new QTimer(this);
            m_retryTimer->setInterval(kRetryMs);
            connect(m_retryTimer, &QTimer::timeout, this, &Source::offerBacklog);
        }
        m_retryTimer->start();
    }
    const size_t room =
        kMaxBacklogTicks - std::min(kMaxBacklogTicks, m_backlog.size() - m_backlogHead);
    const size_t kept = std::min(room, ticks.size());
    m_backlog.insert(m_backlog.end(), ticks.begin(), ticks.begin() + qsizetype(kept));
    if (kept < ticks.size()) {
        const bool first = m_overflowed == 0;
        m_overflowed += qint64(ticks.size() - kept);
        if (first)
            qWarning("source %s: back-pressure backlog full (%zu ticks); further ticks are counted "
                     "as lost",
                     qPrintable(name()), kMaxBacklogTicks);
    }
}

void Source::offerBacklog()
{
    if (backpressured() && m_sink) {
        const std::span<const Tick> held(m_backlog.data() + m_backlogHead,
                                         m_backlog.size() - m_backlogHead);
        m_backlogHead += std::min(m_sink(held), held.size());
        // Compact once the taken part dominates: amortised O(1) per tick.
        if (m_backlogHead > m_backlog.size() / 2) {
            m_backlog.erase(m_backlog.begin(), m_backlog.begin() + qsizetype(m_backlogHead));
            m_backlogHead = 0;
        }
    }
    if (backpressured())
        return;
    m_retryTimer->stop();
    m_backlog.clear();
    m_backlogHead = 0;
    if (m_status.state == SourceState::Throttled)
        emitStatus(m_statusBeforeThrottle);
    backpressureEnded();
}

void Source::setStatus(SourceStatus status)
{
    if (backpressured() && status.state == SourceState::Running) {
        m_statusBeforeThrottle = std::move(status);
        return;
    }
    emitStatus(std::move(status));
}

void Source::emitStatus(SourceStatus status)
{
    m_status = std::move(status);
    Q_EMIT statusChanged(m_status);
}

} // namespace ms
