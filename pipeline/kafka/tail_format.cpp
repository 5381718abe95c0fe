#include "kafka/tail_format.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>

namespace ms::kafka {

namespace {

// The text of bytes that are valid UTF-8, else nullopt.
std::optional<QString> utf8Text(const QByteArray &b)
{
    QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString s = decode(b);
    if (decode.hasError())
        return std::nullopt;
    return s;
}

// Sets obj[field] (and obj[field + "_encoding"] for binary data).
void putBytes(QJsonObject &obj, const QString &field, const QString &encodingField,
              const std::optional<QByteArray> &b, bool embedJson)
{
    if (!b) {
        obj.insert(field, QJsonValue::Null);
        return;
    }
    if (embedJson && !b->isEmpty() && (b->front() == '{' || b->front() == '[')) {
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(*b, &err);
        if (err.error == QJsonParseError::NoError) {
            obj.insert(field, doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()));
            return;
        }
    }
    if (const std::optional<QString> text = utf8Text(*b)) {
        obj.insert(field, *text);
        return;
    }
    obj.insert(field, QString::fromLatin1(b->toBase64()));
    obj.insert(encodingField, QStringLiteral("base64"));
}

} // namespace

QJsonObject tailRecordJson(const TailRecord &r)
{
    QJsonObject o;
    o.insert(QStringLiteral("topic"), r.topic);
    o.insert(QStringLiteral("partition"), r.partition);
    o.insert(QStringLiteral("offset"), qint64(r.offset));
    if (r.timestampMs >= 0) {
        o.insert(QStringLiteral("timestamp"), qint64(r.timestampMs));
        o.insert(
            QStringLiteral("timestamp_iso"),
            QDateTime::fromMSecsSinceEpoch(r.timestampMs, Qt::UTC).toString(Qt::ISODateWithMs));
        if (r.logAppendTime)
            o.insert(QStringLiteral("timestamp_type"), QStringLiteral("log_append"));
    } else {
        o.insert(QStringLiteral("timestamp"), QJsonValue::Null);
    }
    putBytes(o, QStringLiteral("key"), QStringLiteral("key_encoding"), r.key, false);
    QJsonArray headers;
    for (const auto &[name, value] : r.headers) {
        QJsonObject h;
        h.insert(QStringLiteral("name"), name);
        putBytes(h, QStringLiteral("value"), QStringLiteral("encoding"), value, false);
        headers.append(h);
    }
    o.insert(QStringLiteral("headers"), headers);
    putBytes(o, QStringLiteral("value"), QStringLiteral("value_encoding"), r.value, true);
    return o;
}

QByteArray tailRecordLine(const TailRecord &r)
{
    return QJsonDocument(tailRecordJson(r)).toJson(QJsonDocument::Compact);
}

QString tailValueText(const TailRecord &r)
{
    if (!r.value)
        return QStringLiteral("(null: a tombstone)");
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(*r.value, &err);
    if (err.error == QJsonParseError::NoError && !doc.isNull())
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    if (const std::optional<QString> text = utf8Text(*r.value))
        return *text;
    return QStringLiteral("(binary, %1 bytes, base64) ").arg(r.value->size()) +
           QString::fromLatin1(r.value->toBase64());
}

} // namespace ms::kafka
