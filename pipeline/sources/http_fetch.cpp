#include "sources/http_fetch.h"

#include "sources/url_redaction.h"

#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QTimer>
#include <algorithm>

namespace ms {

namespace {

constexpr qint64 kMaxRetryAfterS = 86400;

std::optional<QDateTime> parseHttpDate(const QByteArray &value)
{
    // simplified(): asctime pads a one-digit day with a space ("Nov  6"); the C locale reads the
    // English day and month names whatever the user's locale.
    const QString text = QString::fromLatin1(value).simplified();
    const QLocale c = QLocale::c();
    // IMF-fixdate (preferred) and asctime (obsolete) carry four-digit years; Qt checks their
    // weekday.
    for (const char *format : {"ddd, dd MMM yyyy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy"}) {
        QDateTime parsed = c.toDateTime(text, QString::fromLatin1(format));
        if (parsed.isValid()) {
            parsed.setTimeSpec(Qt::UTC); // every form is in GMT
            return parsed;
        }
    }
    // Obsolete RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT". Qt reads a two-digit year as 19yy, where
    // the weekday would not match; RFC 9110 wants the century that puts it nearest (within 50
    // years) to now, and no server sends a Retry-After from the last century: 20yy. The weekday is
    // skipped.
    const qsizetype comma = text.indexOf(u", ");
    if (comma > 0) {
        QDateTime parsed =
            c.toDateTime(text.mid(comma + 2), QStringLiteral("dd-MMM-yy HH:mm:ss 'GMT'"));
        if (parsed.isValid()) {
            parsed.setTimeSpec(Qt::UTC);
            if (parsed.date().year() < 2000)
                parsed = parsed.addYears(100);
            return parsed;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<qint64> retryAfterDelayMs(const QByteArray &raw, const QDateTime &now)
{
    const QByteArray value = raw.trimmed();
    if (value.isEmpty())
        return std::nullopt;
    const bool allDigits =
        std::all_of(value.begin(), value.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (allDigits) {
        bool ok = false;
        const qint64 seconds = value.size() <= 18 ? value.toLongLong(&ok) : 0;
        if (!ok || seconds > kMaxRetryAfterS)
            return std::nullopt;
        return seconds * 1000;
    }
    const auto when = parseHttpDate(value);
    if (!when)
        return std::nullopt;
    const qint64 delayMs = now.msecsTo(*when);
    if (delayMs > kMaxRetryAfterS * 1000)
        return std::nullopt;
    return std::max<qint64>(0, delayMs);
}

HttpFetcher::HttpFetcher(int timeoutMs, QObject *parent) : QObject(parent), m_timeoutMs(timeoutMs)
{
}

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

    // The body cap: checked against the announced Content-Length as soon as the headers arrive and
    // against what actually arrived on every chunk (a chunked or lying reply announces nothing).
    auto tooLarge = std::make_shared<bool>(false);
    const qint64 maxBody = m_maxBodyBytes;
    auto checkSize = [reply, tooLarge, maxBody](qint64 received, qint64 announced) {
        if (!*tooLarge && (received > maxBody || announced > maxBody)) {
            *tooLarge = true;
            reply->abort();
        }
    };
    connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, checkSize] {
        bool ok = false;
        const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
        checkSize(0, ok ? length : -1);
    });
    connect(reply, &QNetworkReply::downloadProgress, reply, checkSize);

    const QString shownUrl = redactUrl(url);
    const int timeoutMs = m_timeoutMs;
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, done = std::move(done), timedOut, tooLarge, maxBody, shownUrl, secret,
             timeoutMs] {
                m_replies.removeAll(reply);
                reply->deleteLater();
                HttpResponse r;
                r.redactedUrl = shownUrl;
                r.timedOut = *timedOut;
                r.networkError = reply->error();
                r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                r.bodyTooLarge = *tooLarge;
                if (reply->isOpen() && !r.bodyTooLarge)
                    r.body = reply->readAll();
                r.retryAfterMs = retryAfterDelayMs(reply->rawHeader("Retry-After"),
                                                   QDateTime::currentDateTimeUtc())
                                     .value_or(0);
                if (r.bodyTooLarge) {
                    r.errorText =
                        QStringLiteral("response body over %1 bytes, aborted").arg(maxBody);
                } else if (r.timedOut) {
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
    const QString said =
        providerText.isEmpty() ? QString() : QStringLiteral(": \"%1\"").arg(providerText);
    if (r.bodyTooLarge) {
        s.state = SourceState::Malformed;
        s.message = QStringLiteral("%1 sent an oversized answer (%2) from %3")
                        .arg(provider, r.errorText, r.redactedUrl);
        return s;
    }
    if (r.httpStatus == 0 ||
        (r.networkError != QNetworkReply::NoError && r.httpStatus < 400 && r.httpStatus != 0)) {
        s.state = SourceState::NetworkDown;
        s.message = QStringLiteral("%1 unreachable (%2) at %3")
                        .arg(provider,
                             r.errorText.isEmpty() ? QStringLiteral("network error") : r.errorText,
                             r.redactedUrl);
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
        s.message =
            QStringLiteral("%1: %2 not found (HTTP 404)%3").arg(provider, r.redactedUrl, said);
    } else if (code >= 500) {
        s.state = SourceState::NetworkDown;
        s.message = QStringLiteral("%1 server error (HTTP %2)%3").arg(provider).arg(code).arg(said);
    } else {
        s.state = SourceState::Malformed;
        s.message = QStringLiteral("%1 answered HTTP %2 to %3%4")
                        .arg(provider)
                        .arg(code)
                        .arg(r.redactedUrl, said);
    }
    return s;
}

} // namespace ms
