#include "sources/cryptocompare_rest_source.h"

#include "sources/cryptocompare_parse.h"
#include "sources/http_fetch.h"
#include "sources/url_redaction.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace ms {

CryptoCompareRestSource::CryptoCompareRestSource(CryptoCompareRestOptions options, QObject *parent)
    : RestPollSource(options.backoff, options.apiKey, options.requestTimeoutMs, parent),
      m_opt(std::move(options))
{
    m_currencies = cryptocompare::currencyList(m_opt.currency);
    m_opt.symbols = cryptocompare::symbolList(m_opt.symbols);
}

CryptoCompareRestSource::~CryptoCompareRestSource() = default;

QUrl CryptoCompareRestSource::requestUrl() const
{
    QString base = m_opt.cryptoCompareUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    QUrl url(base + QStringLiteral("/data/pricemultifull"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("fsyms"), m_opt.symbols.join(u','));
    q.addQueryItem(QStringLiteral("tsyms"), m_currencies.join(u','));
    url.setQuery(q);
    return url;
}

QString CryptoCompareRestSource::configurationProblem() const
{
    return m_opt.symbols.isEmpty() ? QStringLiteral("CryptoCompare: no symbols configured")
                                   : QString();
}

QString CryptoCompareRestSource::startMessage() const
{
    return QStringLiteral("polling %1 every %2 ms")
        .arg(redactUrl(requestUrl()))
        .arg(m_opt.pollIntervalMs);
}

void CryptoCompareRestSource::pollOnce()
{
    ++m_polls;
    HttpHeaders headers;
    if (!m_opt.apiKey.isEmpty())
        headers.append({QByteArrayLiteral("authorization"), "Apikey " + m_opt.apiKey.toUtf8()});
    get(requestUrl(), headers, [this](HttpResponse r) { onAnswer(r); });
}

void CryptoCompareRestSource::onAnswer(const HttpResponse &r)
{
    if (r.transportFailed() || r.httpStatus < 200 || r.httpStatus >= 300) {
        SourceStatus s = statusForHttpFailure(QStringLiteral("CryptoCompare"), r);
        if (r.retryAfterMs > 0)
            s.retryAfterMs = r.retryAfterMs;
        scheduleNext(reportFailure(std::move(s)));
        return;
    }
    // Error bodies come with HTTP 200: look at them before treating the body as data.
    const QJsonDocument doc = QJsonDocument::fromJson(r.body);
    if (doc.isObject()) {
        if (auto err = cryptocompare::errorStatus(doc.object())) {
            scheduleNext(reportFailure(std::move(*err)));
            return;
        }
    }
    auto parsed = cryptocompare::parsePriceMultiFull(r.body, m_opt.symbols, m_currencies);
    if (!parsed) {
        SourceStatus s{SourceState::Malformed,
                       QStringLiteral("CryptoCompare sent an unusable response (%1) from %2")
                           .arg(parsed.errorMessage(), r.redactedUrl),
                       0};
        scheduleNext(reportFailure(std::move(s)));
        return;
    }
    std::vector<Tick> fresh;
    for (Tick &t : parsed->quotes) {
        const QString key =
            QString::fromStdString(t.symbol) + u'/' + QString::fromStdString(t.currency);
        auto it = m_lastUpdate.find(key);
        if (it != m_lastUpdate.end() && *it == t.tsMs)
            continue; // nothing changed since the last poll
        m_lastUpdate.insert(key, t.tsMs);
        fresh.push_back(std::move(t));
    }
    if (!parsed->quotes.empty() || !fresh.empty() || parsed->missingPairs.isEmpty()) {
        if (parsed->missingPairs.isEmpty())
            reportRunning();
        else
            reportRunning(QStringLiteral("CryptoCompare delivering data; no data for %1")
                              .arg(parsed->missingPairs.join(QStringLiteral(", "))));
    } else {
        backoff().reset();
        reportNote(SourceState::NotFound,
                   QStringLiteral("CryptoCompare has no data for %1")
                       .arg(parsed->missingPairs.join(QStringLiteral(", "))));
    }
    publish(fresh);
    if (!parsed->refused.empty()) {
        std::vector<Error> reasons;
        QStringList pairs;
        for (const auto &refusal : parsed->refused) {
            pairs << refusal.pair;
            reasons.push_back(refusal.reason);
        }
        reportRefusals(QStringLiteral("quotes (%1)").arg(pairs.join(QStringLiteral(", "))),
                       reasons);
    }
    scheduleNext(m_opt.pollIntervalMs);
}

} // namespace ms
