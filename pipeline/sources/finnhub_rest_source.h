#pragma once
// Polls Finnhub's GET <finnhubUrl>/quote?symbol=S for each symbol in turn and publishes a quote
// tick when a symbol's quote time `t` changed (mapping: finnhub_parse.h).
//
// Rate budget: calls are spread evenly, never in bursts: one request at a time, started every
// callSpacingMs() = max(pollIntervalMs / symbols, 60000 / callsPerMinute) (free tier: 60/min →
// one call per second at most). Errors back off exponentially (with jitter) on top of that.
// An unknown symbol (HTTP 200 with zeros/nulls) → NotFound status, no tick; the others go on.
//
// The token goes in the X-Finnhub-Token header, never in the URL.
// Ownership: created parentless by the runtime and moved to a worker thread; owns its children.
#include "model/tick.h"
#include "sources/rest_poll_source.h"

#include <QHash>
#include <QSet>
#include <QStringList>

namespace ms {

struct FinnhubRestOptions
{
    QString finnhubUrl = QStringLiteral("https://finnhub.io/api/v1"); // base URL (…/api/v1)
    QString apiKey;
    QStringList symbols{QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("GOOGL")};
    QString currency = QStringLiteral("USD"); // label only: Finnhub quotes carry no currency
    AssetClass asset = AssetClass::Stock;
    int pollIntervalMs = 10000; // desired refresh of each symbol
    int callsPerMinute = 60;    // the plan's budget
    int requestTimeoutMs = 10000;
    BackoffPolicy backoff{};
};

class FinnhubRestSource : public RestPollSource
{
    Q_OBJECT
public:
    explicit FinnhubRestSource(FinnhubRestOptions options, QObject *parent = nullptr);
    ~FinnhubRestSource() override;

    QString name() const override { return QStringLiteral("finnhub"); }
    qint64 callSpacingMs() const;
    QUrl quoteUrl(const QString &symbol) const;
    qint64 callCount() const { return m_calls; }

protected:
    QString configurationProblem() const override;
    QString startMessage() const override;
    void pollOnce() override;
    qint64 backpressureRetryMs() const override { return 1000; }

private:
    void onAnswer(const QString &symbol, qint64 spacingLeftMs, const HttpResponse &r);

    FinnhubRestOptions m_opt;
    int m_next = 0;                 // index of the next symbol to ask for
    QHash<QString, qint64> m_lastT; // symbol → quote time (ms) last published
    QSet<QString> m_unknown;        // symbols Finnhub does not know (reported once each)
    qint64 m_calls = 0;
};

} // namespace ms
