#include "sources/source_status.h"

namespace ms {

QString toString(SourceState s)
{
    switch (s) {
    case SourceState::Idle: return QStringLiteral("idle");
    case SourceState::Connecting: return QStringLiteral("connecting");
    case SourceState::Running: return QStringLiteral("running");
    case SourceState::Unauthorized: return QStringLiteral("unauthorized");
    case SourceState::Forbidden: return QStringLiteral("forbidden");
    case SourceState::RateLimited: return QStringLiteral("rate-limited");
    case SourceState::NotFound: return QStringLiteral("not-found");
    case SourceState::NetworkDown: return QStringLiteral("network-down");
    case SourceState::Malformed: return QStringLiteral("malformed");
    case SourceState::Throttled: return QStringLiteral("throttled");
    case SourceState::Finished: return QStringLiteral("finished");
    case SourceState::Stopped: return QStringLiteral("stopped");
    }
    return QStringLiteral("unknown");
}

}  // namespace ms
