#include "sources/ws_connection.h"

#include "sources/url_redaction.h"

#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <limits>

namespace ms {

WsConnection::WsConnection(QUrl url, qint64 idleTimeoutMs, int connectTimeoutMs, QString secret, QObject *parent)
    : QObject(parent), m_url(std::move(url)), m_idleTimeoutMs(idleTimeoutMs), m_connectTimeoutMs(connectTimeoutMs),
      m_secret(std::move(secret))
{
}

WsConnection::~WsConnection()
{
    close();
}

QString WsConnection::shownUrl() const
{
    return redactUrl(m_url);
}

bool WsConnection::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void WsConnection::open()
{
    if (m_attemptActive)
        return;
    if (!m_socket) {
        m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        m_connectTimer = new QTimer(this);
        m_connectTimer->setSingleShot(true);
        m_idleTimer = new QTimer(this);
        m_idleTimer->setSingleShot(true);
        connect(m_connectTimer, &QTimer::timeout, this, [this] {
            drop(QStringLiteral("no WebSocket handshake within %1 ms").arg(m_connectTimeoutMs));
        });
        connect(m_idleTimer, &QTimer::timeout, this, [this] {
            drop(QStringLiteral("nothing received for %1 ms (heartbeats stopped)").arg(m_idleTimeoutMs));
        });
        connect(m_socket, &QWebSocket::connected, this, [this] {
            m_connectTimer->stop();
            armIdle();
            Q_EMIT connected();
        });
        connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            armIdle();
            Q_EMIT textReceived(text);
        });
        connect(m_socket, &QWebSocket::pong, this, [this] { armIdle(); });
        connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this](QAbstractSocket::SocketError) {
            onLost(redactSecret(m_socket->errorString(), m_secret));
        });
        connect(m_socket, &QWebSocket::disconnected, this, [this] {
            QString reason = QStringLiteral("closed by the server");
            if (m_socket->closeCode() != QWebSocketProtocol::CloseCodeNormal || !m_socket->closeReason().isEmpty())
                reason += QStringLiteral(" (code %1%2)").arg(int(m_socket->closeCode()))
                              .arg(m_socket->closeReason().isEmpty() ? QString() : QStringLiteral(": ") + m_socket->closeReason());
            onLost(redactSecret(reason, m_secret));
        });
    }
    m_closing = false;
    m_attemptActive = true;
    m_pendingReason.clear();
    ++m_attempts;
    m_connectTimer->start(m_connectTimeoutMs);
    m_socket->open(m_url);
}

void WsConnection::armIdle()
{
    if (m_idleTimeoutMs > 0)
        m_idleTimer->start(int(std::min<qint64>(m_idleTimeoutMs, std::numeric_limits<int>::max())));
}

void WsConnection::close()
{
    m_closing = true;
    m_attemptActive = false;
    if (m_connectTimer)
        m_connectTimer->stop();
    if (m_idleTimer)
        m_idleTimer->stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
        // Timers are children: keep them; a later open() makes a fresh socket with new connections.
        m_connectTimer->deleteLater();
        m_idleTimer->deleteLater();
        m_connectTimer = m_idleTimer = nullptr;
    }
}

void WsConnection::drop(const QString &reason)
{
    if (!m_socket || !m_attemptActive)
        return;
    m_pendingReason = reason;
    m_socket->abort();
    onLost(reason);  // in case abort() on a half-open socket emits nothing
}

qint64 WsConnection::sendText(const QByteArray &utf8Json)
{
    if (!isConnected())
        return -1;
    return m_socket->sendTextMessage(QString::fromUtf8(utf8Json));
}

void WsConnection::onLost(const QString &reason)
{
    if (m_closing || !m_attemptActive)
        return;
    m_attemptActive = false;
    m_connectTimer->stop();
    m_idleTimer->stop();
    const QString why = m_pendingReason.isEmpty() ? reason : m_pendingReason;
    m_pendingReason.clear();
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    Q_EMIT lost(why);
}

}  // namespace ms
