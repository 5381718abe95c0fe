#include "sources/backfill.h"

#include "sources/cryptocompare_parse.h"
#include "sources/http_fetch.h"
#include "sources/url_redaction.h"

#include <QJsonDocument>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <limits>

namespace ms {

Backfill::Backfill(BackfillOptions options, QObject *parent)
    : QObject(parent), m_opt(std::move(options)), m_backoff(m_opt.backoff)
{
    for (QString &s : m_opt.symbols)
        s = s.trimmed().toUpper();
    m_opt.symbols.removeAll(QString());
    m_opt.currency = m_opt.currency.trimmed().toUpper();
    m_opt.limit = std::clamp(m_opt.limit, 1, 2000);
}

Backfill::~Backfill() = default;

Status Backfill::validate() const
{
    if (m_opt.intervalSec != 60 && m_opt.intervalSec != 3600)
        return makeError(QStringLiteral("backfill interval must be 1m or 1h"), QStringLiteral("bad_interval"));
    if (m_opt.toMs <= m_opt.fromMs)
        return makeError(QStringLiteral("backfill range is empty: --to must be after --from"), QStringLiteral("bad_range"));
    if (m_opt.symbols.isEmpty())
        return makeError(QStringLiteral("backfill needs at least one symbol"), QStringLiteral("no_symbols"));
    return {};
}

QUrl Backfill::pageUrl(const QString &symbol, qint64 toTsSec, int limit) const
{
    QString base = m_opt.cryptoCompareUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    QUrl url(base + (m_opt.intervalSec == 3600 ? QStringLiteral("/data/v2/histohour") : QStringLiteral("/data/v2/histominute")));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("fsym"), symbol);
    q.addQueryItem(QStringLiteral("tsym"), m_opt.currency);
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    q.addQueryItem(QStringLiteral("toTs"), QString::number(toTsSec));
    url.setQuery(q);
    return url;
}

void Backfill::start()
{
    if (auto v = validate(); !v) {
        m_done = true;
        Q_EMIT finished(false, v.errorMessage());
        return;
    }
    m_fetcher = new HttpFetcher(m_opt.requestTimeoutMs, this);
    m_retry = new QTimer(this);
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &Backfill::fetchPage);
    Q_EMIT progress(0.0);
    nextSymbol();
}

void Backfill::cancel()
{
    m_cancelled = true;
    if (m_retry)
        m_retry->stop();
    if (m_fetcher)
        m_fetcher->abortAll();
    if (!m_done) {
        m_done = true;
        Q_EMIT finished(false, QStringLiteral("backfill cancelled after %1 candles").arg(m_delivered));
    }
}

double Backfill::fraction() const
{
    const int n = int(m_opt.symbols.size());
    if (m_symbol >= n)
        return 1.0;
    const qint64 span = m_lastBucketS - m_firstBucketS + m_opt.intervalSec;
    const double within = span <= 0 ? 1.0
                                    : std::clamp(double(m_lastBucketS - m_nextToS) / double(span), 0.0, 1.0);
    return (double(m_symbol) + within) / double(n);
}

void Backfill::nextSymbol()
{
    ++m_symbol;
    if (m_symbol >= int(m_opt.symbols.size())) {
        m_done = true;
        Q_EMIT progress(1.0);
        const bool ok = m_errors.isEmpty();
        QString summary = QStringLiteral("backfill %1: %2 candles in %3 pages for %4")
                              .arg(ok ? QStringLiteral("complete") : QStringLiteral("incomplete"))
                              .arg(m_delivered).arg(m_pages).arg(m_opt.symbols.join(u','));
        if (!ok)
            summary += QStringLiteral("; errors: ") + m_errors.join(QStringLiteral("; "));
        Q_EMIT finished(ok, summary);
        return;
    }
    const qint64 intervalMs = qint64(m_opt.intervalSec) * 1000;
    m_firstBucketS = floorTo(m_opt.fromMs, intervalMs) / 1000;
    m_lastBucketS = floorTo(m_opt.toMs - 1, intervalMs) / 1000;
    m_nextToS = m_lastBucketS;
    m_attempts = 0;
    m_backoff.reset();
    fetchPage();
}

void Backfill::fetchPage()
{
    if (m_cancelled)
        return;
    const QString symbol = m_opt.symbols.at(m_symbol);
    const qint64 remaining = (m_nextToS - m_firstBucketS) / m_opt.intervalSec;  // candles before toTs
    const int limit = int(std::clamp<qint64>(remaining, 1, m_opt.limit));
    HttpHeaders headers;
    if (!m_opt.apiKey.isEmpty())
        headers.append({QByteArrayLiteral("authorization"), "Apikey " + m_opt.apiKey.toUtf8()});
    m_fetcher->get(pageUrl(symbol, m_nextToS, limit), headers, [this, symbol](HttpResponse r) {
        if (m_cancelled)
            return;
        auto retryOrFail = [&](SourceStatus s) {
            s.message = redactSecret(s.message, m_opt.apiKey);
            if (++m_attempts > m_opt.maxRetries) {
                m_errors << QStringLiteral("%1: %2").arg(symbol, s.message);
                nextSymbol();
                return;
            }
            const qint64 delay = s.retryAfterMs > 0 ? s.retryAfterMs : m_backoff.nextDelayMs();
            s.retryAfterMs = delay;
            s.message += QStringLiteral("; retry %1/%2 in %3 ms").arg(m_attempts).arg(m_opt.maxRetries).arg(delay);
            Q_EMIT statusChanged(s);
            m_retry->start(int(std::min<qint64>(delay, std::numeric_limits<int>::max())));
        };
        if (r.transportFailed() || r.httpStatus < 200 || r.httpStatus >= 300) {
            SourceStatus s = statusForHttpFailure(QStringLiteral("CryptoCompare"), r);
            if (r.retryAfterMs > 0)
                s.retryAfterMs = r.retryAfterMs;
            if (s.state == SourceState::NetworkDown || s.state == SourceState::RateLimited) {
                retryOrFail(std::move(s));
            } else {
                m_errors << QStringLiteral("%1: %2").arg(symbol, redactSecret(s.message, m_opt.apiKey));
                nextSymbol();
            }
            return;
        }
        const QJsonDocument doc = QJsonDocument::fromJson(r.body);
        if (doc.isObject()) {
            if (auto err = cryptocompare::errorStatus(doc.object())) {
                if (err->state == SourceState::RateLimited) {
                    retryOrFail(std::move(*err));
                } else {
                    m_errors << QStringLiteral("%1: %2").arg(symbol, err->message);
                    nextSymbol();
                }
                return;
            }
        }
        auto page = cryptocompare::parseHisto(r.body, symbol, m_opt.currency, m_opt.intervalSec);
        if (!page) {  // truncated or garbled: worth another try
            retryOrFail({SourceState::Malformed, QStringLiteral("unusable history response (%1) from %2")
                                                     .arg(page.errorMessage(), r.redactedUrl), 0});
            return;
        }
        m_attempts = 0;
        m_backoff.reset();
        ++m_pages;
        std::vector<Candle> kept;
        qint64 earliestS = std::numeric_limits<qint64>::max();
        const qint64 now = m_opt.clock();
        for (Candle &c : page->candles) {
            const qint64 startS = c.bucketStartMs / 1000;
            earliestS = std::min(earliestS, startS);
            if (startS < m_firstBucketS || startS > m_nextToS)
                continue;
            c.final = c.bucketStartMs + qint64(m_opt.intervalSec) * 1000 <= now;
            kept.push_back(std::move(c));
        }
        if (m_handler && !kept.empty())
            m_handler(kept);
        m_delivered += qint64(kept.size());
        const bool exhausted = page->candles.empty() || earliestS > m_nextToS;
        m_nextToS = page->candles.empty() ? m_firstBucketS - m_opt.intervalSec : earliestS - m_opt.intervalSec;
        const double f = fraction();
        Q_EMIT pageDone(symbol, int(kept.size()), f);
        Q_EMIT progress(f);
        if (exhausted || m_nextToS < m_firstBucketS)
            nextSymbol();
        else
            fetchPage();
    }, m_opt.apiKey);
}

}  // namespace ms
