#pragma once
// One WebSocket with the two watchdogs every streaming source needs: a connect deadline and an
// idle deadline (no frame at all — data or heartbeat — for idleTimeoutMs means the connection is
// dead even if TCP has not noticed). It does not reconnect by itself: it reports the loss once per
// attempt (lost()) and the owning source decides when to open() again (backoff lives there).
// The URL may carry the API key (providers want it in the query): it is only ever shown redacted.
#include <QObject>
#include <QString>
#include <QUrl>

class QTimer;
class QWebSocket;

namespace ms {

class WsConnection : public QObject
{
    Q_OBJECT
public:
    WsConnection(QUrl url, qint64 idleTimeoutMs, int connectTimeoutMs, QString secret, QObject *parent = nullptr);
    ~WsConnection() override;

    void open();                        // starts an attempt unless one is under way
    void close();                       // for good (stop): no lost() afterwards
    void drop(const QString &reason);   // aborts the current connection; lost(reason) follows
    bool isConnected() const;
    qint64 sendText(const QByteArray &utf8Json);
    QString shownUrl() const;           // redacted
    int attempts() const { return m_attempts; }

Q_SIGNALS:
    void connected();
    void textReceived(const QString &text);
    // The attempt failed or the connection died (refused, handshake rejected, closed by the
    // server, idle or connect deadline). `reason` never contains the key. Emitted once per attempt.
    void lost(const QString &reason);

private:
    void onLost(const QString &reason);
    void armIdle();

    QUrl m_url;
    qint64 m_idleTimeoutMs;
    int m_connectTimeoutMs;
    QString m_secret;
    QWebSocket *m_socket = nullptr;  // child, created on first open() (on the owner's thread)
    QTimer *m_connectTimer = nullptr;
    QTimer *m_idleTimer = nullptr;
    bool m_attemptActive = false;
    bool m_closing = false;
    QString m_pendingReason;
    int m_attempts = 0;
};

}  // namespace ms
