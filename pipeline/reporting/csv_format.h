#pragma once
// CSV formatting for the Power BI Import path: RFC 4180 quoting, UTF-8, ISO-8601 UTC times, '.' decimals
// whatever the locale, NULL as an empty unquoted field and the empty string as "" (what COPY … CSV expects).
#include "reporting/star_schema.h"

#include <QByteArray>
#include <QVariant>

namespace ms::reporting {

// Appends one field (no separator) to out.
void appendCsvText(QByteArray &out, const QString &text);
// Appends the shortest decimal text that reads back to exactly `value` (std::to_chars): 189.39, never
// 189.39000000000001. Non-finite values are written as NULL (an empty field).
void appendCsvDouble(QByteArray &out, double value);
// Appends a database value of the given catalog type; NULL → nothing.
void appendCsvValue(QByteArray &out, const QVariant &value, ColumnType type);
// "2026-11-24T09:30:00.123Z" from a QDateTime (any zone) or SQLite's "2026-11-24 09:30:00.123" text.
QString isoUtc(const QVariant &value);
// The header line (with CRLF) for a view.
QByteArray csvHeader(const ViewInfo &view);

}  // namespace ms::reporting
