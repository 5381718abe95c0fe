#pragma once
// The small set of states a source can be in, for the UI and the logs. Errors from every provider
// are mapped onto these.
#include <QMetaType>
#include <QString>

namespace ms {

enum class SourceState {
    Idle,          // created, not started
    Connecting,    // connecting / first request in flight
    Running,       // delivering ticks
    Unauthorized,  // bad or missing API key
    Forbidden,     // the plan does not include the endpoint
    RateLimited,   // provider rate limit; retryAfterMs tells when to retry
    NotFound,      // unknown symbol (reported, nothing emitted)
    NetworkDown,   // connection refused, timeout, DNS, closed mid-response
    Malformed,     // a response that could not be understood
    Throttled,     // back-pressure: the pipeline is behind, generating/polling paused
    Finished,      // finite source delivered everything
    Stopped,
};

struct SourceStatus
{
    SourceState state = SourceState::Idle;
    QString message;        // words for the user; never contains an API key
    qint64 retryAfterMs = 0;  // when backing off: delay before the next attempt
};

QString toString(SourceState s);

}  // namespace ms

Q_DECLARE_METATYPE(ms::SourceStatus)
