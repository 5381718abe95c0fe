#pragma once
// One asynchronous HTTP GET with a hard deadline, shared by the REST sources and the backfill.
// Never blocks: the callback runs later on the fetcher's thread. Every error text it produces names
// the URL only through redactUrl(), so callers can show it as is.
#include "sources/source_status.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QUrl>
#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace ms {

struct HttpResponse
{
    int httpStatus = 0; // 0 = no HTTP response at all (refused, timeout, reset, DNS)
    QByteArray body;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    bool timedOut = false;
    qint64 retryAfterMs = 0; // from a Retry-After header (either form), 0 if absent or unusable
    bool bodyTooLarge =
        false;           // the body passed the fetcher's cap: the reply was aborted, body empty
    QString redactedUrl; // for messages
    QString errorText;   // Qt's words for a transport error (redacted)

    bool transportFailed() const
    {
        return bodyTooLarge || httpStatus == 0 ||
               (networkError != QNetworkReply::NoError && httpStatus < 400);
    }
};

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// The delay a Retry-After value asks for (RFC 9110 §10.2.3), in ms from `now`: delta-seconds
// ("120") or an HTTP-date, in the preferred IMF-fixdate form ("Sun, 06 Nov 1994 08:49:37 GMT") or
// the obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994")
// forms. A date in the past means "now" (0). nullopt: absent, unparsable, or more than a day away
// (no provider cools down for a day; such a value is a bug or an attack, and backoff applies).
std::optional<qint64> retryAfterDelayMs(const QByteArray &value, const QDateTime &now);

// Owns one QNetworkAccessManager (created on first use, on the calling thread) and its replies.
class HttpFetcher : public QObject
{
    Q_OBJECT
public:
    explicit HttpFetcher(int timeoutMs, QObject *parent = nullptr);
    ~HttpFetcher() override;

    // Starts a GET; `done` is called exactly once unless abortAll() runs first.
    // `secret` (an API key) is removed from error texts.
    void get(const QUrl &url, const HttpHeaders &headers, std::function<void(HttpResponse)> done,
             const QString &secret = {});
    // Cancels every request in flight; their callbacks are not called.
    void abortAll();
    int inFlight() const { return int(m_replies.size()); }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // Largest body accepted; a reply announcing or delivering more is aborted at once, so a
    // provider answering with gigabytes costs at most about this much memory.
    static constexpr qint64 kDefaultMaxBodyBytes = 32 * 1024 * 1024;
    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }
    qint64 maxBodyBytes() const { return m_maxBodyBytes; }

private:
    int m_timeoutMs;
    qint64 m_maxBodyBytes = kDefaultMaxBodyBytes;
    QNetworkAccessManager *m_nam = nullptr; // child of this
    QList<QPointer<QNetworkReply>> m_replies;
};

// Maps a failed or non-2xx HTTP response onto a source status (provider = "Finnhub", ...).
// Transport errors → NetworkDown; a body over the cap → Malformed; 401 → Unauthorized; 403 →
// Forbidden; 429 → RateLimited; 404 → NotFound; other 4xx → Malformed; 5xx → NetworkDown.
// `providerText` is the provider's own error words when the body carried some. retryAfterMs is left
// 0 (the caller applies its backoff).
SourceStatus statusForHttpFailure(const QString &provider, const HttpResponse &response,
                                  const QString &providerText = {});

} // namespace ms
