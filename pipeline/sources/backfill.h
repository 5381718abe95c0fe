#pragma once
// Historical candles from CryptoCompare: GET <url>/data/v2/histominute (intervalSec 60) or
// /data/v2/histohour (3600) with fsym, tsym, limit and toTs, for each symbol over [fromMs, toMs).
//
// Paging: a response for (limit=N, toTs=T) holds the N+1 candles T-N*interval .. T (ascending). We
// start at the last bucket before toMs and walk backwards: next toTs = earliest candle - interval,
// until the first bucket (fromMs floored to the interval) is covered or the provider has nothing
// older. Candles outside the range are dropped.
// The open candle: the newest candle of a response is still being built when its bucket has not
// ended yet (bucketStart + interval > clock()); it is delivered with final=false (everything else
// final=true). The backfill command skips it: the live pipeline builds that bucket.
// Candle mapping: cryptocompare_parse.h parseHisto (volume = volumefrom, vwap = volumeto/volumefrom).
// Errors: rate limits (Type 99, Cooldown s) and network failures are retried up to maxRetries times
// with backoff; other errors (unknown symbol, bad response) end that symbol with a message and the
// backfill goes on with the next one.
// progress(fraction) in [0,1]: (symbols done + share of the current symbol's range) / symbols.
//
// Ownership: a QObject on the caller's thread (all async); owns its HttpFetcher and timer.
#include "model/candle.h"
#include "model/result.h"
#include "model/time_util.h"
#include "sources/backoff.h"
#include "sources/source_status.h"

#include <QObject>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <span>

class QTimer;

namespace ms {

class HttpFetcher;

struct BackfillOptions
{
    QString cryptoCompareUrl = QStringLiteral("https://min-api.cryptocompare.com");
    QString apiKey;            // "authorization: Apikey" header
    QStringList symbols{QStringLiteral("BTC")};
    QString currency = QStringLiteral("USD");
    int intervalSec = 60;      // 60 (histominute) or 3600 (histohour)
    qint64 fromMs = 0;         // range [fromMs, toMs), UTC
    qint64 toMs = 0;
    int limit = 2000;          // candles per request (CryptoCompare's maximum)
    int requestTimeoutMs = 15000;
    int maxRetries = 5;        // per page, for rate limits and network failures
    BackoffPolicy backoff{1000, 60000, 2.0, 0.2};
    std::function<qint64()> clock = [] { return nowMs(); };
};

using CandleHandler = std::function<void(std::span<const Candle> candles)>;

class Backfill : public QObject
{
    Q_OBJECT
public:
    explicit Backfill(BackfillOptions options, QObject *parent = nullptr);
    ~Backfill() override;

    void setCandleHandler(CandleHandler handler) { m_handler = std::move(handler); }
    // Validates the options (interval, range, symbols): an Error instead of starting.
    Status validate() const;
    void start();
    void cancel();

    QUrl pageUrl(const QString &symbol, qint64 toTsSec, int limit) const;
    int pagesFetched() const { return m_pages; }
    qint64 candlesDelivered() const { return m_delivered; }
    QStringList errors() const { return m_errors; }

Q_SIGNALS:
    void progress(double fraction);
    // Each page: which symbol, how many candles were kept, the overall fraction.
    void pageDone(const QString &symbol, int candles, double fraction);
    // Waiting before a retry (rate limit with cooldown, network down): for the UI and the log.
    void statusChanged(const ms::SourceStatus &status);
    void finished(bool ok, const QString &summary);

private:
    void fetchPage();
    void nextSymbol();
    double fraction() const;

    BackfillOptions m_opt;
    CandleHandler m_handler;
    HttpFetcher *m_fetcher = nullptr;  // child
    QTimer *m_retry = nullptr;         // child
    Backoff m_backoff;
    int m_symbol = -1;
    qint64 m_firstBucketS = 0, m_lastBucketS = 0, m_nextToS = 0;
    int m_attempts = 0;
    int m_pages = 0;
    qint64 m_delivered = 0;
    QStringList m_errors;
    bool m_cancelled = false;
    bool m_done = false;
};

}  // namespace ms
