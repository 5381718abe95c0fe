#pragma once
// Polls CryptoCompare's GET /data/pricemultifull?fsyms=..&tsyms=.. and publishes one quote tick per
// pair whose LASTUPDATE changed since the previous poll (mapping: cryptocompare_parse.h).
// Errors arrive in HTTP 200 bodies ({"Response":"Error"}); Type 99 is the rate limit and its
// Cooldown (s) is respected before the next call. Transport errors, timeouts and bad bodies back
// off exponentially with jitter and recover by themselves.
//
// The API key goes in the "authorization: Apikey <key>" header, never in the URL.
// Ownership: created parentless by the runtime and moved to a worker thread; owns its HttpFetcher.
#include "sources/rest_poll_source.h"

#include <QHash>
#include <QStringList>

namespace ms {

struct CryptoCompareRestOptions
{
    QString cryptoCompareUrl = QStringLiteral("https://min-api.cryptocompare.com"); // base URL
    QString apiKey; // may be empty (anonymous, lower limits)
    QStringList symbols{QStringLiteral("BTC"), QStringLiteral("ETH"), QStringLiteral("BNB")};
    QString currency = QStringLiteral("USD"); // tsyms; several allowed, comma-separated
    int pollIntervalMs = 10000;
    int requestTimeoutMs = 10000;
    BackoffPolicy backoff{};
};

class CryptoCompareRestSource : public RestPollSource
{
    Q_OBJECT
public:
    explicit CryptoCompareRestSource(CryptoCompareRestOptions options, QObject *parent = nullptr);
    ~CryptoCompareRestSource() override;

    QString name() const override { return QStringLiteral("cryptocompare"); }
    QUrl requestUrl() const;
    qint64 pollCount() const { return m_polls; }

protected:
    QString configurationProblem() const override;
    QString startMessage() const override;
    void pollOnce() override;
    qint64 backpressureRetryMs() const override { return m_opt.pollIntervalMs; }

private:
    void onAnswer(const HttpResponse &r);

    CryptoCompareRestOptions m_opt;
    QStringList m_currencies;
    QHash<QString, qint64> m_lastUpdate; // "FSYM/TSYM" → LASTUPDATE (ms) last published
    qint64 m_polls = 0;
};

} // namespace ms
