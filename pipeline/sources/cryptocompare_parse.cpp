#include "sources/cryptocompare_parse.h"

#include "codec/tick_codec.h"
#include "sources/checked_time.h"
#include "sources/json_fields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <cmath>

using namespace Qt::StringLiterals;

namespace ms::cryptocompare {

namespace {

constexpr qint64 kMaxCooldownS = 86400;

std::string utf8(const QString &s)
{
    return s.toStdString();
}

Error refusedByCodec(const DecodeError &bad)
{
    return makeError(
        QStringLiteral("the decoder would refuse it: %1").arg(QString::fromStdString(bad.detail)),
        QString::fromStdString(bad.reason));
}

} // namespace

QStringList currencyList(const QString &currency)
{
    QStringList out;
    for (const QString &c : currency.split(u',', Qt::SkipEmptyParts)) {
        if (const QString t = c.trimmed().toUpper(); !t.isEmpty())
            out << t;
    }
    if (out.isEmpty())
        out << QStringLiteral("USD");
    return out;
}

QStringList symbolList(QStringList symbols)
{
    for (QString &s : symbols)
        s = s.trimmed().toUpper();
    symbols.removeAll(QString());
    return symbols;
}

std::optional<SourceStatus> errorStatus(const QJsonObject &body)
{
    if (body.value("Response"_L1).toString() != u"Error")
        return std::nullopt;
    const QString message = body.value("Message"_L1).toString().left(300);
    const qint64 type = json::integer(body, "Type"_L1).value_or(-1);
    SourceStatus s;
    if (type == 99 || message.contains(u"rate limit", Qt::CaseInsensitive)) {
        s.state = SourceState::RateLimited;
        s.message = QStringLiteral("CryptoCompare rate limit: \"%1\"").arg(message);
        if (const auto cooldown = json::integer(body, "Cooldown"_L1); cooldown && *cooldown > 0) {
            // A day is far beyond any real cooldown; a larger value is refused, never wrapped.
            if (*cooldown <= kMaxCooldownS) {
                s.retryAfterMs = *cooldown * 1000;
                s.message += QStringLiteral(" (cooldown %1 s)").arg(*cooldown);
            } else {
                s.message +=
                    QStringLiteral(" (cooldown %1 s out of range, ignored)").arg(*cooldown);
            }
        }
    } else if (message.contains(u"api key", Qt::CaseInsensitive) ||
               message.contains(u"api_key", Qt::CaseInsensitive) ||
               message.contains(u"apikey", Qt::CaseInsensitive)) {
        s.state = SourceState::Unauthorized;
        s.message = QStringLiteral("CryptoCompare rejected the API key: \"%1\"").arg(message);
    } else if (message.contains(u"no data", Qt::CaseInsensitive)) {
        s.state = SourceState::NotFound;
        s.message = QStringLiteral("CryptoCompare: \"%1\"").arg(message.trimmed());
    } else {
        s.state = SourceState::Malformed;
        s.message = QStringLiteral("CryptoCompare rejected the request (Type %1): \"%2\"")
                        .arg(type)
                        .arg(message);
        const QString param = body.value("ParamWithError"_L1).toString();
        if (!param.isEmpty())
            s.message += QStringLiteral(" (parameter %1)").arg(param);
    }
    return s;
}

Result<Tick> quoteFromAggregate(const QJsonObject &raw, const QString &fallbackFrom,
                                const QString &fallbackTo)
{
    const auto price = json::number(raw, "PRICE"_L1);
    if (!price)
        return makeError(QStringLiteral("aggregate without a numeric PRICE"),
                         QStringLiteral("missing_price"));
    if (*price <= 0)
        return makeError(QStringLiteral("aggregate PRICE %1 is not positive").arg(*price),
                         QStringLiteral("bad_price"));
    const auto lastUpdate = json::integer(raw, "LASTUPDATE"_L1);
    if (!lastUpdate)
        return makeError(QStringLiteral("aggregate without an integral LASTUPDATE"),
                         QStringLiteral("missing_time"));
    const auto tsMs = checked::secondsToMs(*lastUpdate);
    if (!tsMs || *tsMs < kMinSaneTsMs || *tsMs >= kMaxSaneTsMs)
        return makeError(
            QStringLiteral("aggregate LASTUPDATE %1 s is outside 2000..2100").arg(*lastUpdate),
            QStringLiteral("absurd_timestamp"));
    QString from = json::text(raw, "FROMSYMBOL"_L1);
    QString to = json::text(raw, "TOSYMBOL"_L1);
    if (from.isEmpty())
        from = fallbackFrom;
    if (to.isEmpty())
        to = fallbackTo;
    if (from.isEmpty() || to.isEmpty())
        return makeError(QStringLiteral("aggregate without FROMSYMBOL/TOSYMBOL"),
                         QStringLiteral("missing_pair"));

    Tick t;
    t.source = SourceKind::CryptoCompare;
    t.kind = TickKind::Quote;
    t.asset = AssetClass::Crypto;
    t.symbol = utf8(from);
    t.currency = utf8(to);
    t.price = *price;
    t.volume = std::max(0.0, json::number(raw, "LASTVOLUME"_L1).value_or(0.0));
    t.tsMs = *tsMs;
    t.id = utf8(QStringLiteral("q-%1-%2").arg(to).arg(*lastUpdate));
    t.open = json::number(raw, "OPEN24HOUR"_L1);
    t.high = json::number(raw, "HIGH24HOUR"_L1);
    t.low = json::number(raw, "LOW24HOUR"_L1);
    if (const auto openDay = json::number(raw, "OPENDAY"_L1)) {
        t.previousClose = openDay;
    } else if (const auto changeDay = json::number(raw, "CHANGEDAY"_L1)) {
        t.previousClose = *price - *changeDay;
    }
    // Whatever the provider sent (a control character in TOSYMBOL, a 40-byte symbol, a negative
    // OPENDAY), a tick the consumers would dead-letter is not made: the decoder's reason is kept.
    if (const auto bad = validateTick(t))
        return refusedByCodec(*bad);
    return t;
}

Result<PriceMultiFull> parsePriceMultiFull(const QByteArray &body, const QStringList &fsyms,
                                           const QStringList &tsyms)
{
    auto obj = json::parseObject(body);
    if (!obj)
        return obj.error();
    if (const auto err = errorStatus(*obj))
        return makeError(err->message, QStringLiteral("provider_error"));
    const QJsonValue rawValue = obj->value("RAW"_L1);
    if (!rawValue.isObject())
        return makeError(QStringLiteral("CryptoCompare response has no RAW object"),
                         QStringLiteral("no_raw"));
    const QJsonObject raw = rawValue.toObject();

    PriceMultiFull out;
    QStringList froms = fsyms.isEmpty() ? raw.keys() : fsyms;
    for (const QString &from : froms) {
        const QJsonObject perTo = raw.value(from).toObject();
        const QStringList tos = tsyms.isEmpty() ? perTo.keys() : tsyms;
        for (const QString &to : tos) {
            const QJsonValue entry = perTo.value(to);
            if (!entry.isObject()) {
                out.missingPairs << from + u'/' + to;
                continue;
            }
            auto tick = quoteFromAggregate(entry.toObject(), from, to);
            if (tick)
                out.quotes.push_back(std::move(*tick));
            else
                out.refused.push_back({from + u'/' + to, tick.error()});
        }
    }
    return out;
}

Result<Tick> tradeFromStreamer(const QJsonObject &msg)
{
    const auto price = json::number(msg, "P"_L1);
    if (!price)
        return makeError(QStringLiteral("trade without a numeric P"),
                         QStringLiteral("missing_price"));
    if (*price <= 0)
        return makeError(QStringLiteral("trade price P %1 is not positive").arg(*price),
                         QStringLiteral("bad_price"));
    const auto ts = json::integer(msg, "TS"_L1);
    if (!ts)
        return makeError(QStringLiteral("trade without an integral TS"),
                         QStringLiteral("missing_time"));
    const QString from = json::text(msg, "FSYM"_L1);
    const QString to = json::text(msg, "TSYM"_L1);
    if (from.isEmpty() || to.isEmpty())
        return makeError(QStringLiteral("trade without FSYM/TSYM"), QStringLiteral("missing_pair"));
    const QString id = json::text(msg, "ID"_L1);
    if (id.isEmpty())
        return makeError(QStringLiteral("trade without an ID"), QStringLiteral("missing_id"));
    const auto qty = json::number(msg, "Q"_L1);
    auto tsMs = checked::secondsToMs(*ts);
    if (const auto ns = json::integer(msg, "TSNS"_L1); tsMs && ns && *ns >= 0 && *ns < 1000000000)
        tsMs = checked::add(*tsMs, *ns / 1000000);
    if (!tsMs || *tsMs < kMinSaneTsMs || *tsMs >= kMaxSaneTsMs)
        return makeError(QStringLiteral("trade TS %1 s is outside 2000..2100").arg(*ts),
                         QStringLiteral("absurd_timestamp"));
    Tick t;
    t.source = SourceKind::CryptoCompare;
    t.kind = TickKind::Trade;
    t.asset = AssetClass::Crypto;
    t.symbol = utf8(from);
    t.currency = utf8(to);
    t.price = *price;
    t.volume = std::max(0.0, qty.value_or(0.0));
    t.tsMs = *tsMs;
    t.id = utf8(QStringLiteral("t-%1-%2-%3").arg(json::text(msg, "M"_L1), to, id));
    if (const auto bad = validateTick(t))
        return refusedByCodec(*bad);
    return t;
}

Result<HistoPage> parseHisto(const QByteArray &body, const QString &symbol, const QString &currency,
                             int intervalSec)
{
    auto obj = json::parseObject(body);
    if (!obj)
        return obj.error();
    if (const auto err = errorStatus(*obj))
        return makeError(err->message, QStringLiteral("provider_error"));
    // v2: {"Data":{"TimeFrom","TimeTo","Data":[...]}}; v1: {"Data":[...],"TimeFrom","TimeTo"}.
    QJsonObject container = *obj;
    QJsonValue data = obj->value("Data"_L1);
    if (data.isObject()) {
        container = data.toObject();
        data = container.value("Data"_L1);
    }
    if (!data.isArray())
        return makeError(QStringLiteral("CryptoCompare history response has no Data array"),
                         QStringLiteral("no_data_array"));
    HistoPage page;
    page.timeFromS = json::integer(container, "TimeFrom"_L1).value_or(0);
    page.timeToS = json::integer(container, "TimeTo"_L1).value_or(0);
    const qint64 intervalMs = qint64(intervalSec) * 1000;
    for (const QJsonValue &v : data.toArray()) {
        const QJsonObject c = v.toObject();
        const auto time = json::integer(c, "time"_L1);
        const auto open = json::number(c, "open"_L1);
        const auto high = json::number(c, "high"_L1);
        const auto low = json::number(c, "low"_L1);
        const auto close = json::number(c, "close"_L1);
        if (!time || !open || !high || !low || !close)
            return makeError(
                QStringLiteral("CryptoCompare history candle without time/open/high/low/close"),
                QStringLiteral("bad_candle"));
        const auto startMs = checked::secondsToMs(*time);
        if (!startMs || *startMs < kMinSaneTsMs || *startMs >= kMaxSaneTsMs)
            return makeError(
                QStringLiteral("CryptoCompare history candle time %1 s is outside 2000..2100")
                    .arg(*time),
                QStringLiteral("absurd_timestamp"));
        Candle k;
        k.symbol = utf8(symbol);
        k.currency = utf8(currency);
        k.asset = AssetClass::Crypto;
        k.intervalSec = intervalSec;
        k.bucketStartMs = *startMs;
        k.open = *open;
        k.high = *high;
        k.low = *low;
        k.close = *close;
        k.volume = std::max(0.0, json::number(c, "volumefrom"_L1).value_or(0.0));
        const double quoteVolume = json::number(c, "volumeto"_L1).value_or(0.0);
        k.vwap = k.volume > 0 ? quoteVolume / k.volume : k.close;
        if (!std::isfinite(k.vwap)) // e.g. volumeto 1e300 over volumefrom 1e-300
            return makeError(
                QStringLiteral("CryptoCompare history candle with a VWAP that is not finite"),
                QStringLiteral("bad_candle"));
        k.trades = 0;
        k.firstTsMs = k.bucketStartMs;
        k.lastTsMs = k.bucketStartMs + intervalMs - 1;
        k.final = true;
        page.candles.push_back(std::move(k));
    }
    return page;
}

} // namespace ms::cryptocompare
