#pragma once
// The reporting star schema (migration 020): the views Power BI reads, their columns and types.
// One catalog drives the CSV export, the TMDL model and the tests, and is checked against the live
// database so an export never names a column that does not exist.
#include "model/result.h"

#include <QList>
#include <QString>

class QSqlDatabase;

namespace ms::reporting {

enum class Backend { PostgreSQL, SQLite };
// DateTime: an instant (timestamptz; SQLite's UTC text). UtcDateTime: "timestamp without time zone"
// holding the same instant in UTC: Power BI has no time-zone-aware column type, the model uses these.
enum class ColumnType { Int64, Double, String, DateTime, UtcDateTime, Date, Boolean };

struct ColumnInfo
{
    QString name;
    ColumnType type = ColumnType::String;
    bool operator==(const ColumnInfo &) const = default;
};

enum class ViewRole { Dimension, Fact, Summary };

struct ViewInfo
{
    QString name;
    ViewRole role = ViewRole::Fact;
    QList<ColumnInfo> columns;
    const ColumnInfo *column(const QString &name) const;
};

// The star views in export order (dimensions first), as migrations 020 and 040 define them.
const QList<ViewInfo> &starViews();
const ViewInfo *findStarView(const QString &name);

Backend backendOf(const QSqlDatabase &db);

// The star views as the live database has them: PostgreSQL types from information_schema (current
// schema); SQLite (whose views carry no types) keeps the catalog type of each column that exists.
// Fails when a view is missing (migration 020 not applied) or a catalog column is absent.
Result<QList<ViewInfo>> liveStarViews(QSqlDatabase &db);

// information_schema.columns.data_type → our type; false in *ok for a type we do not map.
ColumnType columnTypeFromPostgres(const QString &dataType, bool *ok = nullptr);
// TMDL dataType keyword: int64, double, string, dateTime, boolean.
QString tmdlDataType(ColumnType type);
// The schema that holds the views (PostgreSQL current_schema(), "main" on SQLite).
QString currentSchema(QSqlDatabase &db);

}  // namespace ms::reporting
