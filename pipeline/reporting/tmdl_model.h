#pragma once
// The Power BI semantic model in TMDL (the text format of a .pbip's SemanticModel/definition folder),
// generated from the live star views so it never names a column the database does not have.
#include "reporting/star_schema.h"

#include <QList>
#include <QMap>
#include <QString>

namespace ms::reporting {

struct MeasureDef
{
    QString table;       // the table the measure lives on
    QString name;        // as shown in Power BI ("Last Price")
    QString expression;  // DAX, may span several lines
    QString formatString;
    bool hidden = false;
};

// The model's DAX measures (Last Price, Change %, Volume, VWAP, Trades, High, Low + helpers).
// They read the 1-minute candles (interval_s = 60) whatever interval filter a visual has.
const QList<MeasureDef> &modelMeasures();

struct RelationshipDef
{
    QString fromTable, fromColumn, toTable, toColumn;
    bool relyOnReferentialIntegrity = false;
};
const QList<RelationshipDef> &modelRelationships();

enum class ModelSource {
    PostgreSqlDirectQuery,  // partitions: PostgreSQL.Database(Server, Database), DirectQuery
    CsvImport               // partitions: Csv.Document(File.Contents(CsvFolder & "/<view>.csv")), Import
};

struct TmdlParams
{
    QString modelName = QStringLiteral("MarketStream");
    ModelSource source = ModelSource::PostgreSqlDirectQuery;
    QString server = QStringLiteral("localhost:5432");  // default value of the Server parameter
    QString database = QStringLiteral("marketdata");   // default value of the Database parameter
    QString schema = QStringLiteral("public");         // where the views live
    QString csvFolder;                                  // default value of CsvFolder (CsvImport)
};

// Relative path (e.g. "definition/tables/fact_candle.tmdl") → file content (UTF-8 text, tabs).
// Relationships and measures whose columns are missing from `views` are left out.
QMap<QString, QString> buildTmdl(const QList<ViewInfo> &views, const TmdlParams &params);

// The columns a view contributes to the model: all but a time-zone-aware DateTime column whose UTC
// "timestamp without time zone" twin (<name>_utc) exists; Power BI has no zone-aware column type.
QList<ColumnInfo> modelColumns(const ViewInfo &view);

// A TMDL object name, quoted with '...' when it has characters other than letters, digits and '_'.
QString tmdlName(const QString &name);
// An M text literal: "…" with embedded quotes doubled.
QString mString(const QString &text);

}  // namespace ms::reporting
