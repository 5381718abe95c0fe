#pragma once
// CryptoCompare streamer v2: wss://streamer.cryptocompare.com/v2?api_key=KEY.
// Sends {"action":"SubAdd","subs":[...]} on every (re)connect: "5~CCCAGG~SYM~CUR" aggregates for
// each symbol/currency, plus "0~EXCHANGE~SYM~CUR" trades for each of tradeExchanges.
// Server frames by TYPE (a string):
//   5   aggregate: merged into per-pair state (only changed fields arrive after the first snapshot);
//       a quote tick (cryptocompare_parse.h mapping) whenever the merged LASTUPDATE moves on
//   0   trade → trade tick                 20  welcome        16/17/18  (un)subscribe acks
//   3   load complete → Running            999 heartbeat (feeds the idle watchdog)
//   401 unauthorized → Unauthorized, reconnect with backoff
//   429 rate limits → RateLimited, reconnect with backoff
//   500 INVALID_SUB / SUBSCRIPTION_UNRECOGNIZED → NotFound note (others keep streaming);
//       FORCE_DISCONNECT → reconnect with backoff; other 500s → Malformed note
// No frame for idleTimeoutMs (heartbeats stopped) or a closed socket → reconnect with exponential
// backoff + jitter, then SubAdd again.
//
// Ownership: created parentless by the runtime and moved to a worker thread; owns its children.
#include "sources/ws_source.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

class QTimer;

namespace ms {

class WsConnection;

struct CryptoCompareWsOptions
{
    QString cryptoCompareWsUrl = QStringLiteral("wss://streamer.cryptocompare.com/v2");
    QString apiKey;  // goes in the URL (?api_key=), as the streamer requires; shown only as ***
    QStringList symbols{QStringLiteral("BTC"), QStringLiteral("ETH"), QStringLiteral("BNB")};
    QString currency = QStringLiteral("USD");          // several allowed, comma-separated
    QStringList tradeExchanges{QStringLiteral("Coinbase")};  // TYPE 0 trade subscriptions; may be empty
    qint64 idleTimeoutMs = 90000;   // heartbeats come every 30-60 s
    int connectTimeoutMs = 10000;
    BackoffPolicy backoff{};
};

class CryptoCompareWsSource : public WsSource
{
    Q_OBJECT
public:
    explicit CryptoCompareWsSource(CryptoCompareWsOptions options, QObject *parent = nullptr);
    ~CryptoCompareWsSource() override;

    QString name() const override { return QStringLiteral("cryptocompare-ws"); }
    QUrl connectUrl() const override;
    QStringList subscriptions() const;
    qint64 heartbeats() const { return m_heartbeats; }
    qint64 malformedFrames() const { return m_malformed; }

protected:
    void onConnected() override;
    void onText(const QString &text) override;

private:
    void onAggregate(const QJsonObject &delta);

    CryptoCompareWsOptions m_opt;
    QStringList m_currencies;
    QHash<QString, QJsonObject> m_state;     // "FSYM~TSYM" → merged aggregate fields
    QHash<QString, qint64> m_lastEmitted;    // "FSYM~TSYM" → LASTUPDATE of the last quote tick
    qint64 m_heartbeats = 0;
    qint64 m_malformed = 0;
};

}  // namespace ms
