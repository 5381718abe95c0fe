#include "sources/finnhub_rest_source.h"

#include "sources/finnhub_parse.h"
#include "sources/http_fetch.h"
#include "sources/url_redaction.h"

#include <QElapsedTimer>
#include <QUrlQuery>
#include <algorithm>

namespace ms {

FinnhubRestSource::FinnhubRestSource(FinnhubRestOptions options, QObject *parent)
    : RestPollSource(options.backoff, options.apiKey, options.requestTimeoutMs, parent),
      m_opt(std::move(options))
{
    for (QString &s : m_opt.symbols)
        s = s.trimmed();
    m_opt.symbols.removeAll(QString());
    m_opt.callsPerMinute = std::max(1, m_opt.callsPerMinute);
}

FinnhubRestSource::~FinnhubRestSource() = default;

qint64 FinnhubRestSource::callSpacingMs() const
{
    const qint64 budget = (60000 + m_opt.callsPerMinute - 1) / m_opt.callsPerMinute;
    const qint64 wanted = m_opt.symbols.isEmpty() ? m_opt.pollIntervalMs
                                                  : m_opt.pollIntervalMs / m_opt.symbols.size();
    return std::max(budget, wanted);
}

QUrl FinnhubRestSource::quoteUrl(const QString &symbol) const
{
    QString base = m_opt.finnhubUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    QUrl url(base + QStringLiteral("/quote"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("symbol"), symbol);
    url.setQuery(q);
    return url;
}

QString FinnhubRestSource::configurationProblem() const
{
    return m_opt.symbols.isEmpty() ? QStringLiteral("Finnhub: no symbols configured") : QString();
}

QString FinnhubRestSource::startMessage() const
{
    return QStringLiteral("polling %1 symbols from %2, one call every %3 ms")
        .arg(m_opt.symbols.size())
        .arg(redactUrl(QUrl(m_opt.finnhubUrl)))
        .arg(callSpacingMs());
}

void FinnhubRestSource::pollOnce()
{
    const QString symbol = m_opt.symbols.at(m_next % m_opt.symbols.size());
    ++m_calls;
    // The next call is paced from the start of this one, so the budget holds whatever the latency.
    QElapsedTimer started;
    started.start();
    HttpHeaders headers;
    if (!m_opt.apiKey.isEmpty())
        headers.append({QByteArrayLiteral("X-Finnhub-Token"), m_opt.apiKey.toUtf8()});
    get(quoteUrl(symbol), headers, [this, symbol, started](HttpResponse r) {
        onAnswer(symbol, std::max<qint64>(0, callSpacingMs() - started.elapsed()), r);
    });
}

void FinnhubRestSource::onAnswer(const QString &symbol, qint64 spacingLeft, const HttpResponse &r)
{
    if (r.transportFailed() || r.httpStatus < 200 || r.httpStatus >= 300) {
        SourceStatus s =
            statusForHttpFailure(QStringLiteral("Finnhub"), r,
                                 r.transportFailed() ? QString() : finnhub::errorText(r.body));
        if (r.retryAfterMs > 0)
            s.retryAfterMs = r.retryAfterMs;
        if (s.state == SourceState::NotFound || s.state == SourceState::Forbidden) {
            // Per-symbol problems: report and go on with the others at the normal pace.
            ++m_next;
            reportNote(s.state, s.message + QStringLiteral(" (symbol %1)").arg(symbol));
            scheduleNext(std::max(spacingLeft, backoff().nextDelayMs()));
            return;
        }
        scheduleNext(std::max(spacingLeft, reportFailure(std::move(s))));
        return;
    }
    auto parsed = finnhub::parseQuote(r.body, symbol, m_opt.currency, m_opt.asset);
    if (!parsed) {
        SourceStatus s{SourceState::Malformed,
                       QStringLiteral("Finnhub sent an unusable quote for %1 (%2)")
                           .arg(symbol, parsed.errorMessage()),
                       0};
        scheduleNext(std::max(spacingLeft, reportFailure(std::move(s))));
        return;
    }
    ++m_next;
    if (parsed->outcome == finnhub::QuoteOutcome::UnknownSymbol) {
        backoff().reset();
        if (m_unknown.contains(symbol)) {
            scheduleNext(spacingLeft);
            return;
        }
        m_unknown.insert(symbol);
        reportNote(
            SourceState::NotFound,
            QStringLiteral("Finnhub does not know the symbol %1 (answered with an empty quote)")
                .arg(symbol));
        scheduleNext(spacingLeft);
        return;
    }
    m_unknown.remove(symbol);
    if (m_unknown.isEmpty())
        reportRunning();
    else
        reportRunning(QStringLiteral("finnhub delivering data; unknown symbols: %1")
                          .arg(QStringList(m_unknown.values()).join(QStringLiteral(", "))));
    const Tick &tick = parsed->tick;
    auto it = m_lastT.find(symbol);
    if (it == m_lastT.end() || *it != tick.tsMs) {
        m_lastT.insert(symbol, tick.tsMs);
        publish(std::span<const Tick>(&tick, 1));
    }
    scheduleNext(spacingLeft);
}

} // namespace ms
