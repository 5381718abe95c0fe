#pragma once
// A QWebSocketServer on 127.0.0.1 for the streaming-source tests: records what clients send and the
// URL they connected with, pushes fixture frames, and can go silent or drop connections on purpose.
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <functional>

namespace ms::test {

class LocalWsServer : public QObject
{
    Q_OBJECT
public:
    explicit LocalWsServer(QObject *parent = nullptr);
    bool listen();
    QUrl url() const;  // ws://127.0.0.1:port

    // Called for every new connection (e.g. to send a welcome frame).
    void setOnConnect(std::function<void(QWebSocket *)> f) { m_onConnect = std::move(f); }
    // Called for every text frame a client sends.
    void setOnMessage(std::function<void(QWebSocket *, const QString &)> f) { m_onMessage = std::move(f); }

    void sendToAll(const QString &text);
    void closeAll();
    int connectionCount() const { return m_connectionCount; }  // total accepted so far
    int liveConnections() const;
    QWebSocket *latest() const { return m_clients.isEmpty() ? nullptr : m_clients.last().data(); }
    const QList<QUrl> &connectUrls() const { return m_urls; }
    const QStringList &received() const { return m_received; }

private:
    QWebSocketServer m_server;
    QList<QPointer<QWebSocket>> m_clients;
    QList<QUrl> m_urls;
    QStringList m_received;
    int m_connectionCount = 0;
    std::function<void(QWebSocket *)> m_onConnect;
    std::function<void(QWebSocket *, const QString &)> m_onMessage;
};

}  // namespace ms::test
