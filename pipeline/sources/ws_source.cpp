#include "sources/ws_source.h"

#include "sources/ws_connection.h"

#include <QTimer>
#include <QUrlQuery>
#include <algorithm>
#include <limits>

namespace ms {

WsSource::WsSource(BackoffPolicy backoff, QString apiKey, qint64 idleTimeoutMs,
                   int connectTimeoutMs, QObject *parent)
    : NetworkSource(backoff, apiKey, parent), m_apiKey(std::move(apiKey)),
      m_idleTimeoutMs(idleTimeoutMs), m_connectTimeoutMs(connectTimeoutMs)
{
}

WsSource::~WsSource() = default;

QUrl WsSource::withKeyParam(const QString &base, const QString &param) const
{
    QUrl url(base);
    if (!m_apiKey.isEmpty()) {
        QUrlQuery q(url);
        q.addQueryItem(param, m_apiKey);
        url.setQuery(q);
    }
    return url;
}

void WsSource::start()
{
    setStopping(false);
    if (!m_ws) {
        m_ws = new WsConnection(connectUrl(), m_idleTimeoutMs, m_connectTimeoutMs, m_apiKey, this);
        connect(m_ws, &WsConnection::connected, this, &WsSource::onConnected);
        connect(m_ws, &WsConnection::textReceived, this, &WsSource::onText);
        connect(m_ws, &WsConnection::lost, this, &WsSource::onLost);
        m_reconnect = new QTimer(this);
        m_reconnect->setSingleShot(true);
        connect(m_reconnect, &QTimer::timeout, this, [this] {
            if (!stopping()) {
                reportConnecting(QStringLiteral("reconnecting to %1").arg(m_ws->shownUrl()));
                m_ws->open();
            }
        });
    }
    reportConnecting(QStringLiteral("connecting to %1").arg(m_ws->shownUrl()));
    m_ws->open();
}

void WsSource::stop()
{
    setStopping(true);
    if (m_reconnect)
        m_reconnect->stop();
    if (m_ws)
        m_ws->close();
    reportStopped();
}

void WsSource::reconnectLater(SourceStatus status, bool closeConnection)
{
    const qint64 delay = reportFailure(std::move(status));
    if (closeConnection)
        m_ws->close();
    m_reconnect->start(int(std::clamp<qint64>(delay, 0, std::numeric_limits<int>::max())));
}

void WsSource::onLost(const QString &reason)
{
    if (stopping())
        return;
    SourceStatus s;
    s.state = SourceState::NetworkDown;
    if (reason.contains(QStringLiteral("401")))
        s.state = SourceState::Unauthorized;
    else if (reason.contains(QStringLiteral("403")))
        s.state = SourceState::Forbidden;
    else if (reason.contains(QStringLiteral("429")))
        s.state = SourceState::RateLimited;
    s.message =
        QStringLiteral("%1 connection to %2 lost: %3").arg(name(), m_ws->shownUrl(), reason);
    reconnectLater(std::move(s), false);
}

} // namespace ms
