#include "sources/http_fetch.h"

#include "sources/url_redaction.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QTimer>

namespace ms {

HttpFetcher::HttpFetcher(int timeoutMs, QObject *parent) : QObject(parent), m_timeoutMs(timeoutMs) {}

HttpFetcher::~HttpFetcher()
{
    abortAll();
}

void HttpFetcher::get(const QUrl &url, const HttpHeaders &headers,
                      std::function<void(HttpResponse)> done, const QString &secret)
{
    if (!m_nam)
        m_nam = new QNetworkAccessManager(this);
    QNetworkRequest request(url);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    QNetworkReply *reply = m_nam->get(request);
    m_replies.append(reply);

    // Our own deadline: covers servers that accept and then never answer (or trickle forever).
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    auto timedOut = std::make_shared<bool>(false);
    connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(m_timeoutMs);

    const QString shownUrl = redactUrl(url);
    const int timeoutMs = m_timeoutMs;
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, done = std::move(done), timedOut, shownUrl, secret, timeoutMs] {
                m_replies.removeAll(reply);
                reply->deleteLater();
                HttpResponse r;
                r.redactedUrl = shownUrl;
                r.timedOut = *timedOut;
                r.networkError = reply->error();
                r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (reply->isOpen())
                    r.body = reply->readAll();
                bool ok = false;
                const qint64 retryAfterS = reply->rawHeader("Retry-After").trimmed().toLongLong(&ok);
                if (ok && retryAfterS > 0)
                    r.retryAfterMs = retryAfterS * 1000;
                if (r.timedOut) {
                    r.httpStatus = 0;
                    r.errorText = QStringLiteral("no complete answer within %1 ms").arg(timeoutMs);
                } else if (r.networkError != QNetworkReply::NoError) {
                    r.errorText = redactSecret(reply->errorString(), secret);
                    // Qt's error strings quote the full URL: replace it with the redacted one.
                    r.errorText.replace(reply->url().toString(), shownUrl);
                    r.errorText.replace(reply->url().toDisplayString(), shownUrl);
                }
                if (done)
                    done(std::move(r));
            });
}

void HttpFetcher::abortAll()
{
    const auto replies = m_replies;
    m_replies.clear();
    for (const auto &reply : replies) {
        if (reply) {
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
    }
}

SourceStatus statusForHttpFailure(const QString &provider, const HttpResponse &r,
                                  const QString &providerText)
{
    SourceStatus s;
    const QString said = providerText.isEmpty() ? QString() : QStringLiteral(": \"%1\"").arg(providerText);
    if (r.httpStatus == 0 || (r.networkError != QNetworkReply::NoError && r.httpStatus < 400 && r.httpStatus != 0)) {
        s.state = SourceState::NetworkDown;
        s.message = QStringLiteral("%1 unreachable (%2) at %3").arg(provider,
                        r.errorText.isEmpty() ? QStringLiteral("network error") : r.errorText, r.redactedUrl);
        return s;
    }
    const int code = r.httpStatus;
    if (code == 401) {
        s.state = SourceState::Unauthorized;
        s.message = QStringLiteral("%1 rejected the API key (HTTP 401)%2").arg(provider, said);
    } else if (code == 403) {
        s.state = SourceState::Forbidden;
        s.message = QStringLiteral("%1: the plan of this API key does not include %2 (HTTP 403)%3")
                        .arg(provider, r.redactedUrl, said);
    } else if (code == 429) {
        s.state = SourceState::RateLimited;
        s.message = QStringLiteral("%1 rate limit reached (HTTP 429)%2").arg(provider, said);
    } else if (code == 404) {
        s.state = SourceState::NotFound;
        s.message = QStringLiteral("%1: %2 not found (HTTP 404)%3").arg(provider, r.redactedUrl, said);
    } else if (code >= 500) {
        s.state = SourceState::NetworkDown;
        s.message = QStringLiteral("%1 server error (HTTP %2)%3").arg(provider).arg(code).arg(said);
    } else {
        s.state = SourceState::Malformed;
        s.message = QStringLiteral("%1 answered HTTP %2 to %3%4").arg(provider).arg(code).arg(r.redactedUrl, said);
    }
    return s;
}

}  // namespace ms
