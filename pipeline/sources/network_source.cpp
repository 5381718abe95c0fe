#include "sources/network_source.h"

#include "sources/url_redaction.h"

namespace ms {

Q_LOGGING_CATEGORY(lcSources, "ms.sources")

NetworkSource::NetworkSource(BackoffPolicy backoff, QString secret, QObject *parent)
    : Source(parent), m_backoff(backoff), m_secret(std::move(secret))
{
}

QString NetworkSource::clean(const QString &text) const
{
    return redactSecret(text, m_secret);
}

qint64 NetworkSource::reportFailure(SourceStatus failure)
{
    const qint64 backoffMs = backoff().nextDelayMs();
    const qint64 delay = failure.retryAfterMs > 0 ? std::max(failure.retryAfterMs, qint64(1)) : backoffMs;
    failure.retryAfterMs = delay;
    const QString when = delay < 1000 ? QStringLiteral("%1 ms").arg(delay)
                                      : QStringLiteral("%1 s").arg(double(delay) / 1000.0, 0, 'f', 1);
    failure.message = clean(failure.message) + QStringLiteral("; retrying in ") + when;
    qCWarning(lcSources).noquote() << name() << toString(failure.state) << failure.message;
    setStatus(std::move(failure));
    return delay;
}

void NetworkSource::reportRefusals(const QString &what, std::span<const Error> refusals)
{
    if (refusals.empty())
        return;
    for (const Error &e : refusals)
        ++m_refusalsByReason[e.code];
    m_refusedItems += qint64(refusals.size());
    const Error &first = refusals.front();
    reportNote(SourceState::Malformed, QStringLiteral("%1 refused %2 %3: %4 [%5] (%6 refused so far)")
                                           .arg(name())
                                           .arg(refusals.size())
                                           .arg(what, first.message, first.code)
                                           .arg(m_refusedItems));
}

void NetworkSource::reportRunning(const QString &message)
{
    m_backoff.reset();
    if (status().state == SourceState::Running && (message.isEmpty() || message == status().message))
        return;
    SourceStatus s;
    s.state = SourceState::Running;
    s.message = message.isEmpty() ? QStringLiteral("%1 delivering data").arg(name()) : clean(message);
    qCInfo(lcSources).noquote() << name() << "running:" << s.message;
    setStatus(std::move(s));
}

void NetworkSource::reportNote(SourceState state, const QString &message)
{
    SourceStatus s;
    s.state = state;
    s.message = clean(message);
    qCWarning(lcSources).noquote() << name() << toString(state) << s.message;
    setStatus(std::move(s));
}

void NetworkSource::reportConnecting(const QString &message)
{
    SourceStatus s;
    s.state = SourceState::Connecting;
    s.message = clean(message);
    qCInfo(lcSources).noquote() << name() << "connecting:" << s.message;
    setStatus(std::move(s));
}

void NetworkSource::reportStopped()
{
    m_stopping = true;
    if (m_stoppedReported)
        return;
    m_stoppedReported = true;
    SourceStatus s;
    s.state = SourceState::Stopped;
    s.message = QStringLiteral("%1 stopped").arg(name());
    setStatus(std::move(s));
    Q_EMIT finished();
}

}  // namespace ms
