#include "sources/finnhub_ws_source.h"

#include "sources/finnhub_parse.h"
#include "sources/ws_connection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ms {

FinnhubWsSource::FinnhubWsSource(FinnhubWsOptions options, QObject *parent)
    : WsSource(options.backoff, options.apiKey, options.idleTimeoutMs, options.connectTimeoutMs,
               parent),
      m_opt(std::move(options))
{
    for (QString &s : m_opt.symbols)
        s = s.trimmed();
    m_opt.symbols.removeAll(QString());
    m_opt.symbols.removeDuplicates();
}

FinnhubWsSource::~FinnhubWsSource() = default;

QUrl FinnhubWsSource::connectUrl() const
{
    return withKeyParam(m_opt.finnhubWsUrl, QStringLiteral("token"));
}

void FinnhubWsSource::sendSubscription(const char *type, const QString &symbol)
{
    // Written by hand to keep the documented key order ({"type":..,"symbol":..}).
    const QByteArray quoted =
        QJsonDocument(QJsonArray{symbol}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    connection()->sendText(QByteArray("{\"type\":\"") + type + "\",\"symbol\":" + quoted + '}');
}

void FinnhubWsSource::setSymbols(const QStringList &symbols)
{
    QStringList wanted;
    for (const QString &s : symbols)
        if (!s.trimmed().isEmpty() && !wanted.contains(s.trimmed()))
            wanted << s.trimmed();
    if (connection() && connection()->isConnected()) {
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
    reportRunning(QStringLiteral("finnhub-ws subscribed to %1 symbols at %2")
                      .arg(m_opt.symbols.size())
                      .arg(connection()->shownUrl()));
}

void FinnhubWsSource::onText(const QString &text)
{
    auto msg = finnhub::parseWsMessage(text.toUtf8(), m_opt.currency, m_opt.asset);
    if (!msg) {
        ++m_malformed;
        reportNote(
            SourceState::Malformed,
            QStringLiteral(
                "finnhub-ws sent a frame that is not usable (%1); %2 so far, connection kept")
                .arg(msg.errorMessage())
                .arg(m_malformed));
        return;
    }
    switch (msg->type) {
    case finnhub::WsMessageType::Ping:
        return;
    case finnhub::WsMessageType::Error: {
        const QString said =
            msg->errorMessage.isEmpty() ? QStringLiteral("(no message)") : msg->errorMessage;
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
        if (!msg->refused.empty()) {
            m_malformed += qint64(msg->refused.size());
            reportRefusals(QStringLiteral("trades in a frame"), msg->refused);
        }
        return;
    case finnhub::WsMessageType::Other:
        return; // news/press-release streams and future types: not ours
    }
}

} // namespace ms
