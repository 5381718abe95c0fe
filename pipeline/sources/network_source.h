#pragma once
// The part every network source shares: status reporting with backoff, the log category, the
// "stopping" flag and the secret to keep out of messages. Concrete clients only decide *what*
// failed; this class decides how long to wait and what the user reads.
#include "sources/backoff.h"
#include "sources/source.h"

#include "model/result.h"

#include <QHash>
#include <QLoggingCategory>

#include <span>

namespace ms {

Q_DECLARE_LOGGING_CATEGORY(lcSources)

class NetworkSource : public Source
{
    Q_OBJECT
public:
    explicit NetworkSource(BackoffPolicy backoff, QString secret, QObject *parent = nullptr);

    // Provider items (quotes, trades) the parsers refused, in total and by Error.code: the sources'
    // equivalent of the consumer's dead-letter counts (nothing refused here reaches Kafka).
    qint64 refusedItems() const { return m_refusedItems; }
    QHash<QString, qint64> refusalsByReason() const { return m_refusalsByReason; }

protected:
    // Counts each refusal by its reason and reports a Malformed note naming the first one, e.g.
    // "finnhub-ws refused 2 trades in a frame: trade price p -1 is not positive [bad_price]".
    void reportRefusals(const QString &what, std::span<const Error> refusals);
    // Reports `failure` (its message must already be free of secrets; the key is stripped again
    // anyway) and returns the delay before the next attempt: the provider's cooldown when it gave
    // one (failure.retryAfterMs), otherwise the next exponential backoff step with jitter.
    qint64 reportFailure(SourceStatus failure);
    // A successful exchange: resets the backoff and switches to Running (once).
    void reportRunning(const QString &message = {});
    // Non-fatal news while running (e.g. an unknown symbol among good ones): keeps the state.
    void reportNote(SourceState state, const QString &message);
    void reportConnecting(const QString &message);
    // Stopped + finished(); idempotent.
    void reportStopped();

    bool stopping() const { return m_stopping; }
    void setStopping(bool on) { m_stopping = on; }
    Backoff &backoff() { return m_backoff; }
    const QString &secret() const { return m_secret; }
    QString clean(const QString &text) const;

private:
    Backoff m_backoff;
    QString m_secret;
    bool m_stopping = false;
    qint64 m_refusedItems = 0;
    QHash<QString, qint64> m_refusalsByReason;
    bool m_stoppedReported = false;
};

}  // namespace ms
