#pragma once
// Finnhub's trade stream: wss://ws.finnhub.io?token=KEY, {"type":"subscribe","symbol":S} per
// symbol (no server ack), "trade" frames holding many trades (each → a trade tick, mapping in
// finnhub_parse.h), "ping" keep-alives, "error" frames (e.g. too many symbols → Forbidden note;
// the connection stays). When nothing arrives for idleTimeoutMs (pings stopped) or the server
// closes, it reconnects with exponential backoff + jitter and subscribes again; duplicates after a
// reconnect are harmless (idempotent writes).
//
// Ownership: created parentless by the runtime and moved to a worker thread; owns its WsConnection.
#include "model/tick.h"
#include "sources/ws_source.h"

#include <QStringList>

class QTimer;

namespace ms {

class WsConnection;

struct FinnhubWsOptions
{
    QString finnhubWsUrl = QStringLiteral("wss://ws.finnhub.io");
    QString apiKey;  // goes in the URL (?token=), as Finnhub requires; shown only as ***
    QStringList symbols{QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("GOOGL")};
    QString currency = QStringLiteral("USD");  // label only
    AssetClass asset = AssetClass::Stock;
    qint64 idleTimeoutMs = 60000;  // Finnhub pings about every 20-30 s when the market is quiet
    int connectTimeoutMs = 10000;
    BackoffPolicy backoff{};
};

class FinnhubWsSource : public WsSource
{
    Q_OBJECT
public:
    explicit FinnhubWsSource(FinnhubWsOptions options, QObject *parent = nullptr);
    ~FinnhubWsSource() override;

    QString name() const override { return QStringLiteral("finnhub-ws"); }
    QUrl connectUrl() const override;
    qint64 malformedFrames() const { return m_malformed; }

public Q_SLOTS:
    // Changes the subscriptions on the live connection (subscribe/unsubscribe per symbol).
    void setSymbols(const QStringList &symbols);

protected:
    void onConnected() override;
    void onText(const QString &text) override;

private:
    void sendSubscription(const char *type, const QString &symbol);

    FinnhubWsOptions m_opt;
    qint64 m_malformed = 0;
    bool m_gotData = false;
};

}  // namespace ms
