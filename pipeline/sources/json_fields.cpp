#include "sources/json_fields.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include <cmath>

namespace ms::json {

Result<QJsonObject> parseObject(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return makeError(QStringLiteral("empty response body"), QStringLiteral("invalid_json"));
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return makeError(QStringLiteral("invalid JSON at byte %1: %2").arg(err.offset).arg(err.errorString()),
                         QStringLiteral("invalid_json"));
    if (!doc.isObject())
        return makeError(QStringLiteral("expected a JSON object"), QStringLiteral("invalid_json"));
    return doc.object();
}

std::optional<double> number(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    double d = 0;
    if (v.isDouble()) {
        d = v.toDouble();
    } else if (v.isString()) {
        bool ok = false;
        d = v.toString().trimmed().toDouble(&ok);
        if (!ok)
            return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (!std::isfinite(d))
        return std::nullopt;
    return d;
}

std::optional<qint64> integer(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    if (v.isString()) {
        bool ok = false;
        const qint64 i = v.toString().trimmed().toLongLong(&ok);
        if (ok)
            return i;
    }
    const auto d = number(o, key);
    if (!d || std::floor(*d) != *d || std::fabs(*d) > 9.0e18)
        return std::nullopt;
    return qint64(*d);
}

QString text(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    if (v.isString())
        return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e18)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    return {};
}

}  // namespace ms::json
