#pragma once
// One asynchronous HTTP GET with a hard deadline, shared by the REST sources and the backfill.
// Never blocks: the callback runs later on the fetcher's thread. Every error text it produces names
// the URL only through redactUrl(), so callers can show it as is.
#include "sources/source_status.h"

#include <QByteArray>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace ms {

struct HttpResponse
{
    int httpStatus = 0;     // 0 = no HTTP response at all (refused, timeout, reset, DNS)
    QByteArray body;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    bool timedOut = false;
    qint64 retryAfterMs = 0;  // from a Retry-After header (seconds), 0 if absent
    QString redactedUrl;      // for messages
    QString errorText;        // Qt's words for a transport error (redacted)

    bool transportFailed() const { return httpStatus == 0 || (networkError != QNetworkReply::NoError && httpStatus < 400); }
};

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

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

private:
    int m_timeoutMs;
    QNetworkAccessManager *m_nam = nullptr;  // child of this
    QList<QPointer<QNetworkReply>> m_replies;
};

// Maps a failed or non-2xx HTTP response onto a source status (provider = "Finnhub", ...).
// Transport errors → NetworkDown; 401 → Unauthorized; 403 → Forbidden; 429 → RateLimited;
// 404 → NotFound; other 4xx → Malformed; 5xx → NetworkDown. `providerText` is the provider's own
// error words when the body carried some. retryAfterMs is left 0 (the caller applies its backoff).
SourceStatus statusForHttpFailure(const QString &provider, const HttpResponse &response,
                                  const QString &providerText = {});

}  // namespace ms
