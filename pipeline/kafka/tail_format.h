#pragma once
// How the message inspector shows a TailRecord: one JSON object per message (the `tail` command's
// output line, the panel's detail view), binary-safe.
//
//   {"topic":"crypto_topic","partition":2,"offset":17,"timestamp":1700000000123,
//    "timestamp_iso":"2023-11-14T22:13:20.123Z","key":"BTC","headers":[{"name":"ms-reason","value":"x"}],
//    "value":{...}}
//
// A value (or key, or header value) that is valid UTF-8 is a string, and a value that parses as a
// JSON object or array is embedded as JSON. Anything else is base64 with a sibling
// "<field>_encoding":"base64" ("encoding" inside a header), so no byte is lost or altered. A NULL
// key, value or header value is JSON null.
#include "kafka/topic_tail.h"

#include <QByteArray>
#include <QJsonObject>

namespace ms::kafka {

QJsonObject tailRecordJson(const TailRecord &record);
// Compact, one line, no trailing newline.
QByteArray tailRecordLine(const TailRecord &record);
// The value alone, pretty-printed when it is JSON (the panel's value view).
QString tailValueText(const TailRecord &record);

} // namespace ms::kafka
