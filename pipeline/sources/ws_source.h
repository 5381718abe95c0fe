#pragma once
// A streaming source over one WebSocket. This class owns the connection and the reconnect timer:
// start() connects, a lost connection is reported (with the backoff NetworkSource computes) and
// reopened after the delay, stop() closes. Subclasses say where to connect and what to do with the
// connection and its frames.
//
// Ownership: the WsConnection and the timer are children of this object.
#include "sources/network_source.h"

#include <QUrl>

class QTimer;

namespace ms {

class WsConnection;

class WsSource : public NetworkSource
{
    Q_OBJECT
public:
    // The API key is kept out of every shown URL and message.
    WsSource(BackoffPolicy backoff, QString apiKey, qint64 idleTimeoutMs, int connectTimeoutMs,
             QObject *parent = nullptr);
    ~WsSource() override;

    // Where to connect (keys included as the provider requires; only ever shown redacted).
    virtual QUrl connectUrl() const = 0;

public Q_SLOTS:
    void start() override;
    void stop() override;

protected:
    // `base` with the API key (when there is one) as the query item `param`: the streamers want
    // it in the URL, which is only ever shown redacted.
    QUrl withKeyParam(const QString &base, const QString &param) const;
    virtual void onConnected() = 0;
    virtual void onText(const QString &text) = 0;
    // Reports `status` and reopens the connection after the backoff delay; closes it first if
    // asked.
    void reconnectLater(SourceStatus status, bool closeConnection);
    WsConnection *connection() const { return m_ws; }

private:
    void onLost(const QString &reason);

    QString m_apiKey;
    qint64 m_idleTimeoutMs;
    int m_connectTimeoutMs;
    WsConnection *m_ws = nullptr;  // child
    QTimer *m_reconnect = nullptr; // child
};

} // namespace ms
