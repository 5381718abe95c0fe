#include "sources/finnhub_parse.h"

#include "codec/tick_codec.h"
#include "sources/checked_time.h"
#include "sources/json_fields.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace ms::finnhub {

namespace {

quint32 fnv1a(const QByteArray &bytes)
{
    quint32 h = 2166136261u;
    for (const char c : bytes) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    return h;
}

}  // namespace

Result<QuoteResult> parseQuote(const QByteArray &body, const QString &symbol, const QString &currency,
                               AssetClass asset)
{
    auto obj = json::parseObject(body);
    if (!obj)
        return obj.error();
    if (obj->contains("error"_L1))
        return makeError(QStringLiteral("Finnhub error: \"%1\"").arg(obj->value("error"_L1).toString()),
                         QStringLiteral("provider_error"));
    if (!obj->contains("c"_L1))
        return makeError(QStringLiteral("Finnhub quote without a price field 'c'"), QStringLiteral("missing_field"));
    const auto price = json::number(*obj, "c"_L1);
    const auto t = json::integer(*obj, "t"_L1);
    QuoteResult out;
    if (!price || *price <= 0) {
        out.outcome = QuoteOutcome::UnknownSymbol;
        return out;
    }
    if (!t || *t <= 0) {
        // The 2020 swagger shape always has t; a price without a time cannot be placed.
        if (obj->contains("t"_L1) && t.value_or(1) == 0) {
            out.outcome = QuoteOutcome::UnknownSymbol;
            return out;
        }
        return makeError(QStringLiteral("Finnhub quote without a usable time 't'"), QStringLiteral("missing_field"));
    }
    const qint64 tsMs = checked::secondsToMs(*t).value_or(kMaxSaneTsMs);  // overflow: refused below
    if (tsMs < kMinSaneTsMs || tsMs >= kMaxSaneTsMs)
        return makeError(QStringLiteral("Finnhub quote time %1 is not plausible").arg(*t), QStringLiteral("absurd_timestamp"));
    Tick &tick = out.tick;
    tick.source = SourceKind::Finnhub;
    tick.kind = TickKind::Quote;
    tick.asset = asset;
    tick.symbol = symbol.toStdString();
    tick.currency = currency.toStdString();
    tick.price = *price;
    tick.volume = 0;
    tick.tsMs = tsMs;
    tick.id = "q-" + std::to_string(*t);
    tick.open = json::number(*obj, "o"_L1);
    tick.high = json::number(*obj, "h"_L1);
    tick.low = json::number(*obj, "l"_L1);
    tick.previousClose = json::number(*obj, "pc"_L1);
    // Zeros stand for "not reported" in Finnhub quotes.
    for (auto *field : {&tick.open, &tick.high, &tick.low, &tick.previousClose}) {
        if (*field && **field <= 0)
            field->reset();
    }
    if (const auto bad = validateTick(tick))
        return makeError(QStringLiteral("Finnhub quote refused: %1").arg(QString::fromStdString(bad->detail)),
                         QString::fromStdString(bad->reason));
    return out;
}

QString errorText(const QByteArray &body)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error == QJsonParseError::NoError && doc.isObject()) {
        const QJsonObject o = doc.object();
        const QString e = o.value("error"_L1).toString();
        return e.isEmpty() ? o.value("msg"_L1).toString() : e;
    }
    const QString text = QString::fromUtf8(body).trimmed();
    return text.size() <= 200 ? text : text.left(200) + u'…';
}

Result<WsMessage> parseWsMessage(const QByteArray &frame, const QString &currency, AssetClass asset)
{
    auto obj = json::parseObject(frame);
    if (!obj)
        return obj.error();
    WsMessage out;
    out.rawType = obj->value("type"_L1).toString();
    if (out.rawType == u"ping") {
        out.type = WsMessageType::Ping;
        return out;
    }
    if (out.rawType == u"error") {
        out.type = WsMessageType::Error;
        out.errorMessage = obj->value("msg"_L1).toString();
        return out;
    }
    if (out.rawType != u"trade")
        return out;
    out.type = WsMessageType::Trade;
    const QJsonValue data = obj->value("data"_L1);
    if (!data.isArray())
        return makeError(QStringLiteral("Finnhub trade frame without a data array"), QStringLiteral("missing_field"));
    QHash<QByteArray, int> seen;
    for (const QJsonValue &v : data.toArray()) {
        const QJsonObject tr = v.toObject();
        const auto p = json::number(tr, "p"_L1);
        const auto t = json::integer(tr, "t"_L1);
        const QString s = json::text(tr, "s"_L1);
        if (auto refusal = !p             ? makeError(u"trade without a numeric p"_s, u"missing_price"_s)
                           : *p <= 0      ? makeError(u"trade price p %1 is not positive"_s.arg(*p), u"bad_price"_s)
                           : !t           ? makeError(u"trade without an integral t"_s, u"missing_time"_s)
                           : *t < kMinSaneTsMs || *t >= kMaxSaneTsMs
                               ? makeError(u"trade time t %1 ms is outside 2000..2100"_s.arg(*t), u"absurd_timestamp"_s)
                           : s.isEmpty() ? makeError(u"trade without a symbol s"_s, u"missing_pair"_s)
                                         : Error{};
            !refusal.code.isEmpty()) {
            out.refused.push_back(std::move(refusal));
            continue;
        }
        const double vol = std::max(0.0, json::number(tr, "v"_L1).value_or(0.0));
        QByteArray key = QByteArray::number(*t) + '|' + QByteArray::number(*p, 'g', 17) + '|'
                         + QByteArray::number(vol, 'g', 17) + '|';
        for (const QJsonValue &c : tr.value("c"_L1).toArray())
            key += c.toVariant().toString().toUtf8() + ',';
        const int n = seen.value(key, 0);
        seen.insert(key, n + 1);
        Tick tick;
        tick.source = SourceKind::Finnhub;
        tick.kind = TickKind::Trade;
        tick.asset = asset;
        tick.symbol = s.toStdString();
        tick.currency = currency.toStdString();
        tick.price = *p;
        tick.volume = vol;
        tick.tsMs = *t;
        char hash[16];
        std::snprintf(hash, sizeof hash, "%08x", fnv1a(key));
        tick.id = "t-" + std::to_string(*t) + '-' + hash + '-' + std::to_string(n);
        if (const auto bad = validateTick(tick)) {  // e.g. a symbol with a control character
            out.refused.push_back(makeError(
                u"the decoder would refuse it: %1"_s.arg(QString::fromStdString(bad->detail)),
                QString::fromStdString(bad->reason)));
            continue;
        }
        out.trades.push_back(std::move(tick));
    }
    return out;
}

}  // namespace ms::finnhub
