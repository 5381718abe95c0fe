#include "sources/rest_poll_source.h"

#include <QTimer>
#include <algorithm>
#include <limits>

namespace ms {

RestPollSource::RestPollSource(BackoffPolicy backoff, QString apiKey, int requestTimeoutMs,
                               QObject *parent)
    : NetworkSource(backoff, std::move(apiKey), parent), m_requestTimeoutMs(requestTimeoutMs)
{
}

RestPollSource::~RestPollSource() = default;

void RestPollSource::start()
{
    setStopping(false);
    if (!m_fetcher) { // created here, on the source's own thread (the constructor ran elsewhere)
        m_fetcher = new HttpFetcher(m_requestTimeoutMs, this);
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, &RestPollSource::poll);
    }
    if (const QString problem = configurationProblem(); !problem.isEmpty()) {
        reportNote(SourceState::NotFound, problem);
        return;
    }
    reportConnecting(startMessage());
    poll();
}

void RestPollSource::stop()
{
    setStopping(true);
    if (m_timer)
        m_timer->stop();
    if (m_fetcher)
        m_fetcher->abortAll();
    reportStopped();
}

void RestPollSource::scheduleNext(qint64 delayMs)
{
    if (stopping() || !m_timer)
        return;
    m_timer->start(int(std::clamp<qint64>(delayMs, 0, std::numeric_limits<int>::max())));
}

void RestPollSource::poll()
{
    if (stopping() || m_fetcher->inFlight() > 0)
        return;
    if (backpressured()) {
        scheduleNext(backpressureRetryMs());
        return;
    }
    pollOnce();
}

void RestPollSource::get(const QUrl &url, const HttpHeaders &headers,
                         std::function<void(HttpResponse)> done)
{
    m_fetcher->get(
        url, headers,
        [this, done = std::move(done)](HttpResponse r) {
            if (!stopping())
                done(std::move(r));
        },
        secret());
}

} // namespace ms
