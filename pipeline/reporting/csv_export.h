#pragma once
// Streams one reporting view into a CSV file: a forward-only query (rows are fetched as they are
// written, never all held), a 1 MiB write buffer, a progress callback and a cancel flag. The file is
// written through QSaveFile: a cancelled or failed export leaves no partial file behind.
#include "reporting/star_schema.h"

#include <QString>

#include <atomic>
#include <functional>

class QSqlDatabase;

namespace ms::reporting {

// rowsDone, rowsTotal (from COUNT(*) before streaming; -1 if unknown). Called every ~20k rows.
using RowProgressFn = std::function<void(qint64 rowsDone, qint64 rowsTotal)>;

// Returns the number of data rows written.
Result<qint64> exportViewCsv(QSqlDatabase &db, const ViewInfo &view, const QString &filePath,
                             const RowProgressFn &progress = {}, const std::atomic_bool *cancel = nullptr);

}  // namespace ms::reporting
