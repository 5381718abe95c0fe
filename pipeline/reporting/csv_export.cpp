#include "reporting/csv_export.h"

#include "reporting/csv_format.h"

#include <QSaveFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace ms::reporting {

namespace {

constexpr qsizetype kFlushBytes = 1 << 20;
constexpr qint64 kProgressEvery = 20000;

QString quotedIdent(const QString &name)
{
    return u'"' + QString(name).replace(u'"', QStringLiteral("\"\"")) + u'"';
}

// PostgreSQL formats integers, booleans and times itself (UTC ISO-8601): the rows arrive as text and
// need no QDateTime conversion on our side, several times faster. Doubles are not left to the server:
// its text depends on the session's extra_float_digits (3, as older drivers and poolers set it, gives
// 17 digits: 189.39000000000001), so they are read as doubles and written with std::to_chars.
QString selectExpression(const ColumnInfo &c, bool postgres)
{
    const QString id = quotedIdent(c.name);
    if (!postgres)
        return id;
    switch (c.type) {
    case ColumnType::DateTime:
        return QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')").arg(id);
    case ColumnType::UtcDateTime:  // already UTC, no zone: formatted as it is (no session time zone involved)
        return QStringLiteral("to_char(%1, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS')").arg(id);
    case ColumnType::Date:
        return QStringLiteral("to_char(%1, 'YYYY-MM-DD')").arg(id);
    case ColumnType::Boolean:
    case ColumnType::Int64:
        return id + QStringLiteral("::text");
    case ColumnType::Double:
    case ColumnType::String:
        return id;
    }
    return id;
}

}  // namespace

Result<qint64> exportViewCsv(QSqlDatabase &db, const ViewInfo &view, const QString &filePath,
                             const RowProgressFn &progress, const std::atomic_bool *cancel)
{
    qint64 total = -1;
    if (progress) {
        QSqlQuery count(db);
        if (count.exec(QStringLiteral("SELECT count(*) FROM %1").arg(quotedIdent(view.name))) && count.next())
            total = count.value(0).toLongLong();
        progress(0, total);
    }

    const bool postgres = backendOf(db) == Backend::PostgreSQL;
    QStringList cols;
    for (const ColumnInfo &c : view.columns)
        cols.append(selectExpression(c, postgres));
    QSqlQuery q(db);
    q.setForwardOnly(true);  // QPSQL: single-row mode, rows arrive as we read them
    q.setNumericalPrecisionPolicy(QSql::LowPrecisionDouble);  // REAL/float8 as the double itself, never text
    if (!q.exec(QStringLiteral("SELECT %1 FROM %2").arg(cols.join(QStringLiteral(", ")), quotedIdent(view.name))))
        return makeError(QStringLiteral("cannot read %1: %2").arg(view.name, q.lastError().text()),
                         QStringLiteral("db_query"));

    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("cannot write %1: %2").arg(filePath, file.errorString()),
                         QStringLiteral("io"));

    QByteArray buf = csvHeader(view);
    buf.reserve(kFlushBytes + 4096);
    const qsizetype n = view.columns.size();
    qint64 rows = 0;
    while (q.next()) {
        for (qsizetype i = 0; i < n; ++i) {
            if (i)
                buf.append(',');
            const ColumnType type = view.columns.at(i).type;
            if (postgres && type != ColumnType::String && type != ColumnType::Double) {
                buf.append(q.value(int(i)).toString().toLatin1());  // already formatted by the server; NULL → ""
            } else {
                appendCsvValue(buf, q.value(int(i)), type);
            }
        }
        buf.append("\r\n");
        ++rows;
        if (buf.size() >= kFlushBytes) {
            if (file.write(buf) != buf.size())
                return makeError(QStringLiteral("cannot write %1: %2").arg(filePath, file.errorString()),
                                 QStringLiteral("io"));
            buf.clear();
        }
        if (rows % kProgressEvery == 0) {
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                q.finish();
                file.cancelWriting();
                return makeError(QStringLiteral("export cancelled"), QStringLiteral("cancelled"));
            }
            if (progress)
                progress(rows, total);
        }
    }
    if (q.lastError().isValid())
        return makeError(QStringLiteral("reading %1 failed: %2").arg(view.name, q.lastError().text()),
                         QStringLiteral("db_query"));
    if (file.write(buf) != buf.size() || !file.commit())
        return makeError(QStringLiteral("cannot write %1: %2").arg(filePath, file.errorString()),
                         QStringLiteral("io"));
    if (progress)
        progress(rows, total < 0 ? rows : total);
    return rows;
}

}  // namespace ms::reporting
