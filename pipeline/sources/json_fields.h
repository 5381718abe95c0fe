#pragma once
// Tolerant readers for provider JSON: a field may be missing, null, a number, or a number written as
// a string (CryptoCompare FLAGS is "2050" in REST and 2050 in the streamer; LASTTRADEID was a number
// in 2017). Each reader returns nullopt / empty for anything it cannot use, never throws.
#include "model/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QLatin1String>
#include <QString>

#include <optional>

namespace ms::json {

// A whole body that must be one JSON object (every provider's REST answer and streamer frame).
// Empty, invalid or non-object → Error with code "invalid_json" and the parser's position.
Result<QJsonObject> parseObject(const QByteArray &body);

// A finite number, or a string holding one. null, missing, NaN, garbage → nullopt.
std::optional<double> number(const QJsonObject &o, QLatin1String key);
// An integral number (or integral string) that fits in qint64.
std::optional<qint64> integer(const QJsonObject &o, QLatin1String key);
// A string, or a number rendered as text (integers without a decimal point). Missing/null → "".
QString text(const QJsonObject &o, QLatin1String key);

}  // namespace ms::json
