#pragma once
// Pure text formatting for the write paths (no I/O): timestamps, numbers and COPY text escaping.
// Hot path: everything appends to a caller-owned std::string, no allocation per value.
#include "model/tick.h"

#include <QtGlobal>

#include <optional>
#include <string>
#include <string_view>

namespace ms::rowfmt {

// "YYYY-MM-DD HH:MM:SS.mmm" (UTC, proleptic Gregorian, years 0000-9999). SQLite's time format.
void appendUtcTimestamp(std::string &out, qint64 epochMs);
// Same plus "+00": an unambiguous timestamptz literal for PostgreSQL whatever the session TimeZone.
void appendPgTimestamp(std::string &out, qint64 epochMs);
// Parses "YYYY-MM-DD HH:MM:SS[.fff...]" or with 'T', optional "Z"/"+00"/"+00:00" suffix (UTC only).
std::optional<qint64> parseUtcTimestamp(std::string_view text);

// The UTC day of a time as YYYYMMDD (dim_date's date_key), same clamp as appendUtcTimestamp. The
// PostgreSQL tick tables store it (migration 045) so date filters use a plain-column BRIN index.
qint32 utcDateKey(qint64 epochMs);

// Shortest text that reads back as the same double; "NaN"/"Infinity"/"-Infinity" for non-finite.
void appendDouble(std::string &out, double v);
void appendInt(std::string &out, qint64 v);

// COPY ... FROM STDIN (FORMAT text): backslash, tab, newline, carriage return escaped.
void appendCopyText(std::string &out, std::string_view s);
// "\N": the text format's NULL.
inline void appendCopyNull(std::string &out) { out += "\\N"; }

// One COPY text line (with '\n') for a tick, columns: symbol, price, "timestamp", currency, volume,
// source, kind, trade_id, high, low, open, previous_close (NULL as \N), date_key (utcDateKey).
void appendCopyTickRow(std::string &out, const Tick &t);

// COPY ... FROM STDIN (FORMAT binary): the same columns without any text parsing on the server
// (timestamps as int64 µs since 2000-01-01 UTC, doubles as big-endian IEEE-754, text as raw UTF-8).
void appendCopyBinaryHeader(std::string &out);
void appendCopyBinaryTickRow(std::string &out, const Tick &t);
void appendCopyBinaryTrailer(std::string &out);

}  // namespace ms::rowfmt
