#include "sources/cryptocompare_ws_source.h"

#include "sources/cryptocompare_parse.h"
#include "sources/json_fields.h"
#include "sources/ws_connection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace ms {

CryptoCompareWsSource::CryptoCompareWsSource(CryptoCompareWsOptions options, QObject *parent)
    : WsSource(options.backoff, options.apiKey, options.idleTimeoutMs, options.connectTimeoutMs,
               parent),
      m_opt(std::move(options))
{
    m_currencies = cryptocompare::currencyList(m_opt.currency);
    m_opt.symbols = cryptocompare::symbolList(m_opt.symbols);
}

CryptoCompareWsSource::~CryptoCompareWsSource() = default;

QUrl CryptoCompareWsSource::connectUrl() const
{
    return withKeyParam(m_opt.cryptoCompareWsUrl, QStringLiteral("api_key"));
}

QStringList CryptoCompareWsSource::subscriptions() const
{
    QStringList subs;
    for (const QString &s : m_opt.symbols)
        for (const QString &c : m_currencies)
            subs << QStringLiteral("5~CCCAGG~%1~%2").arg(s, c);
    for (const QString &e : m_opt.tradeExchanges)
        for (const QString &s : m_opt.symbols)
            for (const QString &c : m_currencies)
                subs << QStringLiteral("0~%1~%2~%3").arg(e, s, c);
    return subs;
}

void CryptoCompareWsSource::onConnected()
{
    m_state.clear(); // a fresh snapshot follows every SubAdd
    QJsonObject msg;
    msg.insert(QStringLiteral("action"), QStringLiteral("SubAdd"));
    msg.insert(QStringLiteral("subs"), QJsonArray::fromStringList(subscriptions()));
    connection()->sendText(QJsonDocument(msg).toJson(QJsonDocument::Compact));
    reportConnecting(QStringLiteral("connected to %1, subscribing to %2 streams")
                         .arg(connection()->shownUrl())
                         .arg(subscriptions().size()));
}

void CryptoCompareWsSource::onText(const QString &text)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        ++m_malformed;
        reportNote(SourceState::Malformed,
                   QStringLiteral("cryptocompare-ws sent a frame that is not a JSON object "
                                  "(%1 so far); connection kept")
                       .arg(m_malformed));
        return;
    }
    const QJsonObject msg = doc.object();
    const qint64 type = json::integer(msg, "TYPE"_L1).value_or(-1);
    const QString message = msg.value("MESSAGE"_L1).toString();
    const QString info = msg.value("INFO"_L1).toString();
    switch (type) {
    case 5:
        onAggregate(msg);
        return;
    case 0:
        if (auto tick = cryptocompare::tradeFromStreamer(msg)) {
            reportRunning();
            publish(std::span<const Tick>(&*tick, 1));
        } else {
            ++m_malformed;
            reportRefusals(QStringLiteral("trade"), std::span<const Error>(&tick.error(), 1));
        }
        return;
    case 20:
        qCInfo(lcSources).noquote() << name() << "welcome from server"
                                    << msg.value("SERVER_NAME"_L1).toVariant().toString();
        return;
    case 16:
    case 17:
    case 18:
        qCDebug(lcSources).noquote() << name() << message << msg.value("SUB"_L1).toString();
        return;
    case 3:
        reportRunning(QStringLiteral("cryptocompare-ws streaming %1 subscriptions")
                          .arg(subscriptions().size()));
        return;
    case 999:
        ++m_heartbeats; // the idle watchdog was re-armed by the frame itself
        return;
    case 401:
        reconnectLater({SourceState::Unauthorized,
                        QStringLiteral("CryptoCompare streamer rejected the API key: %1 %2")
                            .arg(message, info),
                        0},
                       true);
        return;
    case 429:
        reconnectLater({SourceState::RateLimited,
                        QStringLiteral("CryptoCompare streamer rate limit: %1 %2")
                            .arg(message, info)
                            .trimmed(),
                        0},
                       true);
        return;
    case 500: {
        const QString param = msg.value("PARAMETER"_L1).toString();
        if (message == u"FORCE_DISCONNECT") {
            reconnectLater({SourceState::NetworkDown,
                            QStringLiteral("CryptoCompare streamer forced a disconnect %1")
                                .arg(info)
                                .trimmed(),
                            0},
                           true);
        } else if (message == u"INVALID_SUB" || message == u"SUBSCRIPTION_UNRECOGNIZED") {
            reportNote(SourceState::NotFound,
                       QStringLiteral("CryptoCompare streamer has no data for %1 (%2)")
                           .arg(param, message));
        } else if (message == u"SUBSCRIPTION_ALREADY_ACTIVE") {
            qCDebug(lcSources).noquote() << name() << "already subscribed:" << param;
        } else {
            reportNote(SourceState::Malformed,
                       QStringLiteral("CryptoCompare streamer error %1 %2 %3")
                           .arg(message, param, info)
                           .trimmed());
        }
        return;
    }
    default:
        return; // other stream types (2 ticker, 8 order book, ...) are not subscribed to
    }
}

void CryptoCompareWsSource::onAggregate(const QJsonObject &delta)
{
    const QString from = json::text(delta, "FROMSYMBOL"_L1);
    const QString to = json::text(delta, "TOSYMBOL"_L1);
    if (from.isEmpty() || to.isEmpty()) {
        ++m_malformed;
        reportNote(SourceState::Malformed,
                   QStringLiteral("cryptocompare-ws: aggregate frame without its pair"));
        return;
    }
    const QString key = from + u'~' + to;
    QJsonObject &state = m_state[key];
    for (auto it = delta.begin(); it != delta.end(); ++it)
        state.insert(it.key(), it.value());
    auto tick = cryptocompare::quoteFromAggregate(state, from, to);
    if (!tick) {
        // Deltas before the first complete snapshot of a pair are waited for, not refused: the
        // merged state simply has no PRICE or LASTUPDATE yet. Anything else is a refusal.
        const QString &code = tick.error().code;
        if (code != u"missing_price" && code != u"missing_time") {
            ++m_malformed;
            reportRefusals(QStringLiteral("aggregate for %1/%2").arg(from, to),
                           std::span<const Error>(&tick.error(), 1));
        }
        return;
    }
    auto last = m_lastEmitted.find(key);
    if (last != m_lastEmitted.end() && *last >= tick->tsMs)
        return; // same second as the last quote (its id would repeat): nothing new to store
    m_lastEmitted.insert(key, tick->tsMs);
    reportRunning();
    publish(std::span<const Tick>(&*tick, 1));
}

} // namespace ms
