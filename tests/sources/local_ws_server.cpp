#include "local_ws_server.h"

namespace ms::test {

LocalWsServer::LocalWsServer(QObject *parent)
    : QObject(parent), m_server(QStringLiteral("test"), QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *ws = m_server.nextPendingConnection()) {
            ws->setParent(this);
            ++m_connectionCount;
            m_clients.append(ws);
            m_urls.append(ws->requestUrl());
            connect(ws, &QWebSocket::textMessageReceived, this, [this, ws](const QString &text) {
                m_received.append(text);
                if (m_onMessage)
                    m_onMessage(ws, text);
            });
            connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
            if (m_onConnect)
                m_onConnect(ws);
        }
    });
}

bool LocalWsServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl LocalWsServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()));
}

void LocalWsServer::sendToAll(const QString &text)
{
    for (const auto &c : m_clients)
        if (c && c->state() == QAbstractSocket::ConnectedState)
            c->sendTextMessage(text);
}

void LocalWsServer::closeAll()
{
    for (const auto &c : m_clients)
        if (c)
            c->abort();
}

int LocalWsServer::liveConnections() const
{
    int n = 0;
    for (const auto &c : m_clients)
        if (c && c->state() == QAbstractSocket::ConnectedState)
            ++n;
    return n;
}

}  // namespace ms::test
