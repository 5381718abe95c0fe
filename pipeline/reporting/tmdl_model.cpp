#include "reporting/tmdl_model.h"

#include <QRegularExpression>
#include <QUuid>

namespace ms::reporting {

namespace {

const QString kTab = QStringLiteral("\t");

MeasureDef measure(const char *name, const char *expr, const char *format, bool hidden = false)
{
    return MeasureDef{QStringLiteral("fact_candle"), QString::fromUtf8(name), QString::fromUtf8(expr),
                      QString::fromUtf8(format), hidden};
}

bool hasColumn(const QList<ViewInfo> &views, const QString &table, const QString &column)
{
    for (const ViewInfo &v : views) {
        if (v.name != table)
            continue;
        for (const ColumnInfo &c : modelColumns(v)) {
            if (c.name == column)
                return true;
        }
        return false;
    }
    return false;
}

bool isKeyColumn(const QString &c)
{
    return c == QLatin1String("symbol_key") || c == QLatin1String("date_key");
}

QString summarizeBy(const ViewInfo &v, const ColumnInfo &c)
{
    if (v.role == ViewRole::Dimension)
        return QStringLiteral("none");
    if ((c.type == ColumnType::Double || c.type == ColumnType::Int64)
        && (c.name == QLatin1String("volume") || c.name == QLatin1String("trades")
            || c.name == QLatin1String("candles") || c.name == QLatin1String("late_ticks")
            || c.name == QLatin1String("late_volume")))
        return QStringLiteral("sum");
    return QStringLiteral("none");
}

QString mType(ColumnType t)
{
    switch (t) {
    case ColumnType::Int64: return QStringLiteral("Int64.Type");
    case ColumnType::Double: return QStringLiteral("type number");
    case ColumnType::String: return QStringLiteral("type text");
    case ColumnType::DateTime: return QStringLiteral("type datetimezone");
    case ColumnType::UtcDateTime: return QStringLiteral("type datetime");
    case ColumnType::Date: return QStringLiteral("type date");
    case ColumnType::Boolean: return QStringLiteral("type logical");
    }
    return QStringLiteral("type text");
}

QString mColumnList(const QList<ColumnInfo> &cols)
{
    QStringList names;
    for (const ColumnInfo &c : cols)
        names.append(mString(c.name));
    return u'{' + names.join(QStringLiteral(", ")) + u'}';
}

// M query lines (without indentation) for one view's partition. Both select the model's columns only
// (in DirectQuery, Table.SelectColumns folds into the SELECT list).
QStringList partitionLines(const ViewInfo &v, const TmdlParams &p)
{
    const QList<ColumnInfo> cols = modelColumns(v);
    if (p.source == ModelSource::PostgreSqlDirectQuery) {
        const QString step = QString(p.schema + u'_' + v.name).replace(QRegularExpression(QStringLiteral("\\W")),
                                                                          QStringLiteral("_"));
        return {QStringLiteral("let"),
                QStringLiteral("    Source = PostgreSQL.Database(Server, Database),"),
                QStringLiteral("    %1 = Source{[Schema=%2,Item=%3]}[Data],").arg(step, mString(p.schema), mString(v.name)),
                QStringLiteral("    Columns = Table.SelectColumns(%1, %2)").arg(step, mColumnList(cols)),
                QStringLiteral("in"), QStringLiteral("    Columns")};
    }
    QStringList types, zoned;
    for (const ColumnInfo &c : cols) {
        types.append(QStringLiteral("{%1, %2}").arg(mString(c.name), mType(c.type)));
        if (c.type == ColumnType::DateTime)
            zoned.append(QStringLiteral("{%1, DateTimeZone.RemoveZone, type datetime}").arg(mString(c.name)));
    }
    QStringList lines = {
        QStringLiteral("let"),
        QStringLiteral("    Source = Csv.Document(File.Contents(CsvFolder & %1), [Delimiter=\",\", Encoding=65001, "
                       "QuoteStyle=QuoteStyle.Csv]),").arg(mString(u'/' + v.name + QStringLiteral(".csv"))),
        QStringLiteral("    Headers = Table.PromoteHeaders(Source, [PromoteAllScalars=true]),"),
        QStringLiteral("    Columns = Table.SelectColumns(Headers, %1),").arg(mColumnList(cols)),
        QStringLiteral("    Typed = Table.TransformColumnTypes(Columns, {%1}, \"en-US\"),").arg(types.join(QStringLiteral(", "))),
        QStringLiteral("    Utc = Table.TransformColumns(Typed, {%1})").arg(zoned.join(QStringLiteral(", "))),
        QStringLiteral("in"), QStringLiteral("    Utc")};
    return lines;
}

QString tableTmdl(const ViewInfo &v, const TmdlParams &p, const QList<ViewInfo> &views)
{
    QString out = QStringLiteral("table ") + tmdlName(v.name) + u'\n';
    if (v.name == QLatin1String("dim_date"))
        out += kTab + QStringLiteral("dataCategory: Time\n");
    out += u'\n';

    for (const MeasureDef &m : modelMeasures()) {
        if (m.table != v.name)
            continue;
        const QStringList lines = m.expression.split(u'\n');
        if (lines.size() == 1) {
            out += kTab + QStringLiteral("measure ") + tmdlName(m.name) + QStringLiteral(" = ") + lines.first() + u'\n';
        } else {
            out += kTab + QStringLiteral("measure ") + tmdlName(m.name) + QStringLiteral(" =\n");
            for (const QString &l : lines)
                out += kTab + kTab + kTab + l + u'\n';
        }
        if (!m.formatString.isEmpty())
            out += kTab + kTab + QStringLiteral("formatString: ") + m.formatString + u'\n';
        if (m.hidden)
            out += kTab + kTab + QStringLiteral("isHidden\n");
        out += u'\n';
    }

    for (const ColumnInfo &c : modelColumns(v)) {
        out += kTab + QStringLiteral("column ") + tmdlName(c.name) + u'\n';
        out += kTab + kTab + QStringLiteral("dataType: ") + tmdlDataType(c.type) + u'\n';
        if (c.type == ColumnType::Date)
            out += kTab + kTab + QStringLiteral("formatString: Short Date\n");
        else if (c.type == ColumnType::DateTime || c.type == ColumnType::UtcDateTime)
            out += kTab + kTab + QStringLiteral("formatString: yyyy-mm-dd hh:nn:ss\n");
        if (isKeyColumn(c.name))
            out += kTab + kTab + QStringLiteral("isHidden\n");
        if (v.name == QLatin1String("dim_date") && c.name == QLatin1String("date"))
            out += kTab + kTab + QStringLiteral("isKey\n");
        if (v.name == QLatin1String("dim_date") && c.name == QLatin1String("month_name")
            && hasColumn(views, v.name, QStringLiteral("month")))
            out += kTab + kTab + QStringLiteral("sortByColumn: month\n");
        if (v.name == QLatin1String("dim_date") && c.name == QLatin1String("weekday_name")
            && hasColumn(views, v.name, QStringLiteral("weekday")))
            out += kTab + kTab + QStringLiteral("sortByColumn: weekday\n");
        out += kTab + kTab + QStringLiteral("sourceColumn: ") + c.name + u'\n';
        out += kTab + kTab + QStringLiteral("summarizeBy: ") + summarizeBy(v, c) + u'\n';
        out += u'\n';
    }

    out += kTab + QStringLiteral("partition ") + tmdlName(v.name) + QStringLiteral(" = m\n");
    out += kTab + kTab + QStringLiteral("mode: ")
           + (p.source == ModelSource::PostgreSqlDirectQuery ? QStringLiteral("directQuery") : QStringLiteral("import"))
           + u'\n';
    out += kTab + kTab + QStringLiteral("source =\n");
    for (const QString &l : partitionLines(v, p))
        out += kTab + kTab + kTab + kTab + l + u'\n';
    out += u'\n';
    return out;
}

QString relationshipId(const RelationshipDef &r)
{
    // Stable ids: the same model exports byte-identical files (diff-friendly in git).
    static const QUuid ns(QStringLiteral("{6c1f2d0e-6a43-4f57-9d2b-1e0c5a8e7b31}"));
    return QUuid::createUuidV5(ns, QString(r.fromTable + u'.' + r.fromColumn + u'>' + r.toTable + u'.' + r.toColumn))
        .toString(QUuid::WithoutBraces);
}

}  // namespace

QList<ColumnInfo> modelColumns(const ViewInfo &v)
{
    QList<ColumnInfo> out;
    for (const ColumnInfo &c : v.columns) {
        const ColumnInfo *utc = v.column(c.name + QStringLiteral("_utc"));
        if (c.type == ColumnType::DateTime && utc && utc->type == ColumnType::UtcDateTime)
            continue;
        out.append(c);
    }
    return out;
}

QString tmdlName(const QString &name)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (plain.match(name).hasMatch())
        return name;
    return u'\'' + QString(name).replace(u'\'', QStringLiteral("''")) + u'\'';
}

QString mString(const QString &text)
{
    return u'"' + QString(text).replace(u'"', QStringLiteral("\"\"")) + u'"';
}

const QList<MeasureDef> &modelMeasures()
{
    static const QList<MeasureDef> measures = {
        measure("Last Price",
                "VAR _last = CALCULATE ( MAX ( fact_candle[bucket_start_utc] ), fact_candle[interval_s] = 60 )\n"
                "RETURN\n"
                "    CALCULATE ( MAX ( fact_candle[close] ), fact_candle[interval_s] = 60, fact_candle[bucket_start_utc] = _last )",
                "#,##0.00######"),
        measure("First Price",
                "VAR _first = CALCULATE ( MIN ( fact_candle[bucket_start_utc] ), fact_candle[interval_s] = 60 )\n"
                "RETURN\n"
                "    CALCULATE ( MIN ( fact_candle[open] ), fact_candle[interval_s] = 60, fact_candle[bucket_start_utc] = _first )",
                "#,##0.00######", true),
        measure("Change %", "DIVIDE ( [Last Price] - [First Price], [First Price] )", "0.00%"),
        measure("Volume", "CALCULATE ( SUM ( fact_candle[volume] ), fact_candle[interval_s] = 60 )", "#,##0.####"),
        measure("VWAP",
                "DIVIDE ( CALCULATE ( SUMX ( fact_candle, fact_candle[vwap] * fact_candle[volume] ), "
                "fact_candle[interval_s] = 60 ), [Volume] )",
                "#,##0.00######"),
        measure("Trades", "CALCULATE ( SUM ( fact_candle[trades] ), fact_candle[interval_s] = 60 )", "#,##0"),
        measure("High", "CALCULATE ( MAX ( fact_candle[high] ), fact_candle[interval_s] = 60 )", "#,##0.00######"),
        measure("Low", "CALCULATE ( MIN ( fact_candle[low] ), fact_candle[interval_s] = 60 )", "#,##0.00######"),
        // The 24 hours up to the symbol's newest 1-minute candle (v_latest_quote's window; 1 = one day).
        measure("Last Candle Time", "CALCULATE ( MAX ( fact_candle[bucket_start_utc] ), fact_candle[interval_s] = 60 )",
                "yyyy-mm-dd hh:nn", true),
        measure("Volume (24 h)",
                "VAR _last = [Last Candle Time]\n"
                "RETURN\n"
                "    CALCULATE ( SUM ( fact_candle[volume] ), fact_candle[interval_s] = 60, fact_candle[bucket_start_utc] > _last - 1 )",
                "#,##0.########"),
        measure("High (24 h)",
                "VAR _last = [Last Candle Time]\n"
                "RETURN\n"
                "    CALCULATE ( MAX ( fact_candle[high] ), fact_candle[interval_s] = 60, fact_candle[bucket_start_utc] > _last - 1 )",
                "#,##0.00######"),
        measure("Low (24 h)",
                "VAR _last = [Last Candle Time]\n"
                "RETURN\n"
                "    CALCULATE ( MIN ( fact_candle[low] ), fact_candle[interval_s] = 60, fact_candle[bucket_start_utc] > _last - 1 )",
                "#,##0.00######"),
        measure("VWAP (24 h)",
                "VAR _last = [Last Candle Time]\n"
                "RETURN\n"
                "    DIVIDE (\n"
                "        CALCULATE ( SUMX ( fact_candle, fact_candle[vwap] * fact_candle[volume] ), fact_candle[interval_s] = 60, fact_candle[bucket_start_utc] > _last - 1 ),\n"
                "        [Volume (24 h)] )",
                "#,##0.00######"),
        measure("Change % (24 h)",
                "VAR _last = [Last Candle Time]\n"
                "VAR _first = CALCULATE ( MIN ( fact_candle[bucket_start_utc] ), fact_candle[interval_s] = 60, fact_candle[bucket_start_utc] > _last - 1 )\n"
                "VAR _open = CALCULATE ( MIN ( fact_candle[open] ), fact_candle[interval_s] = 60, fact_candle[bucket_start_utc] = _first )\n"
                "RETURN\n"
                "    DIVIDE ( [Last Price] - _open, _open )",
                "+0.00%;-0.00%;0.00%"),
        // % change from the first day shown: the close of the first day with candles in the selected dates.
        measure("Range Start Close",
                "VAR _firstDay = CALCULATE ( MIN ( fact_candle[date_key] ), fact_candle[interval_s] = 60, ALLSELECTED ( dim_date ) )\n"
                "RETURN\n"
                "    CALCULATE ( [Last Price], ALLSELECTED ( dim_date ), fact_candle[date_key] = _firstDay )",
                "#,##0.00######", true),
        measure("Change % (range)", "DIVIDE ( [Last Price] - [Range Start Close], [Range Start Close] )",
                "+0.00%;-0.00%;0.00%"),
        MeasureDef{QStringLiteral("dim_symbol"), QStringLiteral("Symbols"),
                   QStringLiteral("DISTINCTCOUNT ( dim_symbol[symbol_key] )"), QStringLiteral("#,##0"), false},
        MeasureDef{QStringLiteral("v_late_ticks_daily"), QStringLiteral("Late Ticks"),
                   QStringLiteral("SUM ( v_late_ticks_daily[late_ticks] )"), QStringLiteral("#,##0"), false},
    };
    return measures;
}

const QList<RelationshipDef> &modelRelationships()
{
    static const QList<RelationshipDef> rels = [] {
        QList<RelationshipDef> r;
        const auto add = [&r](const char *from, const char *col, const char *to, bool rely) {
            r.append({QString::fromLatin1(from), QString::fromLatin1(col), QString::fromLatin1(to),
                      QString::fromLatin1(col), rely});
        };
        // dim_symbol is derived from the candles: every candle row has its symbol (inner joins are safe).
        add("fact_candle", "symbol_key", "dim_symbol", true);
        add("fact_candle", "date_key", "dim_date", false);
        add("fact_tick", "symbol_key", "dim_symbol", false);
        add("fact_tick", "date_key", "dim_date", false);
        add("v_daily_summary", "symbol_key", "dim_symbol", true);
        add("v_daily_summary", "date_key", "dim_date", false);
        add("v_latest_quote", "symbol_key", "dim_symbol", true);
        add("v_late_ticks_daily", "symbol_key", "dim_symbol", false);
        add("v_late_ticks_daily", "date_key", "dim_date", false);
        return r;
    }();
    return rels;
}

QMap<QString, QString> buildTmdl(const QList<ViewInfo> &views, const TmdlParams &p)
{
    QMap<QString, QString> files;
    files.insert(QStringLiteral("definition/database.tmdl"),
                 QStringLiteral("database ") + tmdlName(p.modelName) + u'\n' + kTab
                     + QStringLiteral("compatibilityLevel: 1567\n\n"));
    const bool dq = p.source == ModelSource::PostgreSqlDirectQuery;
    QString model = QStringLiteral("model Model\n") + kTab + QStringLiteral("culture: en-US\n") + kTab
                    + QStringLiteral("defaultPowerBIDataSourceVersion: powerBI_V3\n") + kTab
                    + QStringLiteral("defaultMode: ") + (dq ? QStringLiteral("directQuery") : QStringLiteral("import"))
                    + u'\n' + kTab + QStringLiteral("sourceQueryCulture: en-US\n\n");
    for (const ViewInfo &v : views)
        model += QStringLiteral("ref table ") + tmdlName(v.name) + u'\n';
    files.insert(QStringLiteral("definition/model.tmdl"), model + u'\n');

    const QString meta = QStringLiteral(" meta [IsParameterQuery=true, Type=\"Text\", IsParameterQueryRequired=true]\n\n");
    QString expressions;
    if (dq) {
        expressions = QStringLiteral("expression Server = ") + mString(p.server) + meta
                      + QStringLiteral("expression Database = ") + mString(p.database) + meta;
    } else {
        expressions = QStringLiteral("expression CsvFolder = ") + mString(p.csvFolder) + meta;
    }
    files.insert(QStringLiteral("definition/expressions.tmdl"), expressions);

    QString rels;
    for (const RelationshipDef &r : modelRelationships()) {
        if (!hasColumn(views, r.fromTable, r.fromColumn) || !hasColumn(views, r.toTable, r.toColumn))
            continue;
        rels += QStringLiteral("relationship ") + relationshipId(r) + u'\n';
        if (r.relyOnReferentialIntegrity && dq)
            rels += kTab + QStringLiteral("relyOnReferentialIntegrity\n");
        rels += kTab + QStringLiteral("fromColumn: ") + tmdlName(r.fromTable) + u'.' + tmdlName(r.fromColumn) + u'\n';
        rels += kTab + QStringLiteral("toColumn: ") + tmdlName(r.toTable) + u'.' + tmdlName(r.toColumn) + u'\n';
        rels += u'\n';
    }
    files.insert(QStringLiteral("definition/relationships.tmdl"), rels);

    for (const ViewInfo &v : views)
        files.insert(QStringLiteral("definition/tables/") + v.name + QStringLiteral(".tmdl"), tableTmdl(v, p, views));
    return files;
}

}  // namespace ms::reporting
