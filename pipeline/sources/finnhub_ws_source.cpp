#include "sources/finnhub_ws_source.h"

#include "sources/finnhub_parse.h"
#include "sources/ws_connection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <limits>

namespace ms {

FinnhubWsSource::FinnhubWsSource(FinnhubWsOptions options, QObject *parent)
    : NetworkSource(options.backoff, options.apiKey, parent), m_opt(std::move(options))
{
    for (QString &s : m_opt.symbols)
        s = s.trimmed();
    m_opt.symbols.removeAll(QString());
    m_opt.symbols.removeDuplicates();
}

FinnhubWsSource::~FinnhubWsSource() = default;

QUrl FinnhubWsSource::connectUrl() const
{
    QUrl url(m_opt.finnhubWsUrl);
    if (!m_opt.apiKey.isEmpty()) {
        QUrlQuery q(url);
        q.addQueryItem(QStringLiteral("token"), m_opt.apiKey);
        url.setQuery(q);
    }
    return url;
}

void FinnhubWsSource::start()
{
    setStopping(false);
    if (!m_ws) {
        m_ws = new WsConnection(connectUrl(), m_opt.idleTimeoutMs, m_opt.connectTimeoutMs, m_opt.apiKey, this);
        connect(m_ws, &WsConnection::connected, this, &FinnhubWsSource::onConnected);
        connect(m_ws, &WsConnection::textReceived, this, &FinnhubWsSource::onText);
        connect(m_ws, &WsConnection::lost, this, &FinnhubWsSource::onLost);
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

void FinnhubWsSource::stop()
{
    setStopping(true);
    if (m_reconnect)
        m_reconnect->stop();
    if (m_ws)
        m_ws->close();
    reportStopped();
}

void FinnhubWsSource::sendSubscription(const char *type, const QString &symbol)
{
    // Written by hand to keep the documented key order ({"type":..,"symbol":..}).
    const QByteArray quoted = QJsonDocument(QJsonArray{symbol}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    m_ws->sendText(QByteArray("{\"type\":\"") + type + "\",\"symbol\":" + quoted + '}');
}

void FinnhubWsSource::setSymbols(const QStringList &symbols)
{
    QStringList wanted;
    for (const QString &s : symbols)
        if (!s.trimmed().isEmpty() && !wanted.contains(s.trimmed()))
            wanted << s.trimmed();
    if (m_ws && m_ws->isConnected()) {
        for (const QString &s : m_opt.symbols)
            if (!wanted.contains(s))
                sendSubscription("unsubscribe", s);
        for (const QString &s : wanted)
            if (!m_opt.symbols.contains(s))
                sendSubscription("subscribe", s);
    }
    m_opt.symbols = wanted;
}

void FinnhubWsSource::onConnected()
{
    m_gotData = false;
    for (const QString &s : m_opt.symbols)
        sendSubscription("subscribe", s);
    // Finnhub does not acknowledge subscriptions: connected + subscribed is "running".
    reportRunning(QStringLiteral("finnhub-ws subscribed to %1 symbols at %2").arg(m_opt.symbols.size()).arg(m_ws->shownUrl()));
}

void FinnhubWsSource::onText(const QString &text)
{
    auto msg = finnhub::parseWsMessage(text.toUtf8(), m_opt.currency, m_opt.asset);
    if (!msg) {
        ++m_malformed;
        reportNote(SourceState::Malformed,
                   QStringLiteral("finnhub-ws sent a frame that is not usable (%1); %2 so far, connection kept")
                       .arg(msg.errorMessage()).arg(m_malformed));
        return;
    }
    switch (msg->type) {
    case finnhub::WsMessageType::Ping:
        return;
    case finnhub::WsMessageType::Error: {
        const QString said = msg->errorMessage.isEmpty() ? QStringLiteral("(no message)") : msg->errorMessage;
        const bool limit = said.contains(QStringLiteral("too many"), Qt::CaseInsensitive);
        reportNote(limit ? SourceState::Forbidden : SourceState::Malformed,
                   QStringLiteral("Finnhub stream error: \"%1\"").arg(said));
        return;
    }
    case finnhub::WsMessageType::Trade:
        if (!msg->trades.empty()) {
            if (status().state != SourceState::Running || !m_gotData)
                reportRunning(QStringLiteral("finnhub-ws receiving trades"));
            m_gotData = true;
            publish(msg->trades);
        }
        if (msg->skipped > 0) {
            m_malformed += msg->skipped;
            reportNote(SourceState::Malformed,
                       QStringLiteral("finnhub-ws: skipped %1 unusable trades in a frame").arg(msg->skipped));
        }
        return;
    case finnhub::WsMessageType::Other:
        return;  // news/press-release streams and future types: not ours
    }
}

void FinnhubWsSource::onLost(const QString &reason)
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
    s.message = QStringLiteral("finnhub-ws connection to %1 lost: %2").arg(m_ws->shownUrl(), reason);
    const qint64 delay = reportFailure(std::move(s));
    m_reconnect->start(int(std::clamp<qint64>(delay, 0, std::numeric_limits<int>::max())));
}

}  // namespace ms
