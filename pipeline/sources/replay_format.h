#pragma once
// Reading replay files, line by line (pure; no I/O).
//
// JSONL: one v1 tick per line (codec/tick_codec.h), optionally with "asset":"crypto"|"stock" as
//   TickRecorder writes it. Without that key: finnhub ticks are stocks, others `defaultAsset`.
//   Blank lines and lines starting with '#' are skipped.
// CSV: a header row naming the columns, in any order (case-insensitive), comma-separated, fields
//   may be wrapped in double quotes but may not contain commas:
//     required  symbol, price, and ts (integer ms since the epoch, UTC) or timestamp (epoch
//               seconds, fractions allowed, or ISO 8601 such as 2024-02-13T13:53:47Z / ...47.123Z)
//     optional  volume (default 0), currency (USD), source (replay), kind (trade), id
//               (default "csv-<line number>"), asset (crypto, or stock for finnhub rows),
//               open, high, low, previous_close (empty = absent)
#include "model/result.h"
#include "model/tick.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace ms::replay {

enum class Format { Jsonl, Csv };

// By extension (.csv → Csv, anything else → Jsonl), unless the first non-empty line says otherwise
// (a line starting with '{' is JSONL).
Format detectFormat(const QString &path, const QByteArray &firstLine);

// Empty value + ok = a line to skip (blank or comment).
Result<std::optional<Tick>> parseJsonlLine(const QByteArray &line, AssetClass defaultAsset);

struct CsvHeader
{
    QHash<QString, int> column;  // lower-case name → index
};
Result<CsvHeader> parseCsvHeader(const QByteArray &line);
Result<std::optional<Tick>> parseCsvRow(const CsvHeader &header, const QByteArray &line, qint64 lineNumber,
                                        AssetClass defaultAsset);

}  // namespace ms::replay
