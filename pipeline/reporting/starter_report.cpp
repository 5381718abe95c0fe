#include "reporting/starter_report.h"

#include <QJsonArray>

namespace ms::reporting {

namespace {

ReportField col(const char *role, const char *table, const char *column)
{
    return {QString::fromLatin1(role), QStringLiteral("Column"), QString::fromLatin1(table), QString::fromLatin1(column)};
}

ReportField mea(const char *role, const char *table, const char *measure)
{
    return {QString::fromLatin1(role), QStringLiteral("Measure"), QString::fromLatin1(table), QString::fromUtf8(measure)};
}

ReportVisual card(const char *measure, int x, int y, int w = 240, const char *table = "fact_candle")
{
    return {QStringLiteral("card"), {mea("Values", table, measure)}, x, y, w, 110, {}, false, {}, {}};
}

ReportVisual symbolSlicer(int x, int y, int h, bool single)
{
    return {QStringLiteral("slicer"), {col("Values", "dim_symbol", "symbol")}, x, y, 200, h, QStringLiteral("Symbol"),
            single, {}, {}};
}

ReportVisual dateSlicer(int x, int y, int w)
{
    return {QStringLiteral("slicer"), {col("Values", "dim_date", "date")}, x, y, w, 110, QStringLiteral("Days (UTC)"),
            false, {}, {}};
}

QList<ReportPage> build()
{
    QList<ReportPage> pages;
    pages.append({QStringLiteral("Overview"),
                  {card("Symbols", 16, 16, 200, "dim_symbol"), dateSlicer(232, 16, 420),
                   {QStringLiteral("lineChart"),
                    {col("Category", "dim_date", "date"), mea("Y", "fact_candle", "Change % (range)"),
                     col("Series", "dim_symbol", "symbol")},
                    16, 142, 820, 562, QStringLiteral("Change since the first selected day (daily close, %)"), false, {}, {}},
                   {QStringLiteral("clusteredBarChart"),
                    {col("Category", "dim_symbol", "symbol"), mea("Y", "fact_candle", "Change % (24 h)")},
                    852, 16, 412, 340, QStringLiteral("Top movers, 24 h"), false, QStringLiteral("Change % (24 h)"), {}},
                   {QStringLiteral("tableEx"),
                    {col("Values", "dim_symbol", "symbol"), col("Values", "dim_symbol", "asset_class"),
                     mea("Values", "fact_candle", "Last Price"), mea("Values", "fact_candle", "Change % (24 h)")},
                    852, 372, 412, 332, QStringLiteral("Latest price per symbol"), false, QStringLiteral("Change % (24 h)"), {}}}});
    pages.append({QStringLiteral("Price"),
                  {symbolSlicer(16, 16, 300, true), card("Last Price", 232, 16), card("Change % (24 h)", 488, 16),
                   card("High (24 h)", 744, 16), card("Low (24 h)", 1000, 16, 264), dateSlicer(16, 332, 200),
                   {QStringLiteral("lineChart"),
                    {col("Category", "dim_date", "date"), mea("Y", "fact_candle", "Last Price")},
                    232, 142, 1032, 300, QStringLiteral("Daily close (UTC days)"), false, {}, {}},
                   {QStringLiteral("tableEx"),
                    {col("Values", "dim_date", "date"), mea("Values", "fact_candle", "First Price"),
                     mea("Values", "fact_candle", "High"), mea("Values", "fact_candle", "Low"),
                     mea("Values", "fact_candle", "Last Price"), mea("Values", "fact_candle", "VWAP")},
                    232, 458, 1032, 246, QStringLiteral("Daily candles"), false, {}, {}}}});
    pages.append({QStringLiteral("Volume"),
                  {symbolSlicer(16, 16, 300, true), card("Volume (24 h)", 232, 16), card("VWAP (24 h)", 488, 16),
                   card("Trades", 744, 16), dateSlicer(16, 332, 200),
                   {QStringLiteral("clusteredColumnChart"),
                    {col("Category", "dim_date", "date"), mea("Y", "fact_candle", "Volume")},
                    232, 142, 1032, 320, QStringLiteral("Daily volume of the selected symbol (its own unit)"), false, {}, {}},
                   {QStringLiteral("tableEx"),
                    {col("Values", "dim_symbol", "symbol"), col("Values", "dim_symbol", "asset_class"),
                     mea("Values", "fact_candle", "Volume (24 h)"), mea("Values", "fact_candle", "Trades")},
                    232, 478, 1032, 226, QStringLiteral("24 h volume per symbol (coins or shares: never summed)"), false,
                    QStringLiteral("Volume (24 h)"), {}}}});
    pages.append({QStringLiteral("Data quality"),
                  {card("Late Ticks", 16, 16, 240, "v_late_ticks_daily"), dateSlicer(272, 16, 420),
                   {QStringLiteral("textbox"), {}, 708, 16, 556, 110, {}, false, {},
                    QStringLiteral("Late ticks: ticks the candle builder dropped because their candle was already final "
                                   "(table late_ticks, one row per tick and candle interval). Rejected and dead-lettered "
                                   "messages are not stored in the database: the pipeline counts them (Pipeline health "
                                   "tab) and keeps the messages in the <topic>.dlq Kafka topics.")},
                   {QStringLiteral("clusteredColumnChart"),
                    {col("Category", "dim_date", "date"), mea("Y", "v_late_ticks_daily", "Late Ticks"),
                     col("Series", "v_late_ticks_daily", "interval_s")},
                    16, 142, 820, 562, QStringLiteral("Late ticks per day, by candle interval (s)"), false, {}, {}},
                   {QStringLiteral("tableEx"),
                    {col("Values", "dim_symbol", "symbol"), mea("Values", "v_late_ticks_daily", "Late Ticks")},
                    852, 142, 412, 562, QStringLiteral("Late ticks per symbol"), false, QStringLiteral("Late Ticks"), {}}}});
    return pages;
}

QJsonObject literal(const QString &value)
{
    return QJsonObject{{QStringLiteral("expr"), QJsonObject{{QStringLiteral("Literal"), QJsonObject{{QStringLiteral("Value"), value}}}}}};
}

QJsonObject fieldExpr(const ReportField &f)
{
    return QJsonObject{{f.kind, QJsonObject{{QStringLiteral("Expression"),
                                             QJsonObject{{QStringLiteral("SourceRef"), QJsonObject{{QStringLiteral("Entity"), f.table}}}}},
                                            {QStringLiteral("Property"), f.property}}}};
}

}  // namespace

const QList<ReportPage> &starterReport()
{
    static const QList<ReportPage> pages = build();
    return pages;
}

QJsonObject visualContainerJson(const QString &name, const ReportVisual &v, int z)
{
    QJsonObject queryState;
    for (const ReportField &f : v.fields) {
        QJsonObject role = queryState.value(f.role).toObject();
        QJsonArray projections = role.value(QStringLiteral("projections")).toArray();
        projections.append(QJsonObject{{QStringLiteral("field"), fieldExpr(f)},
                                       {QStringLiteral("queryRef"), QString(f.table + u'.' + f.property)},
                                       {QStringLiteral("nativeQueryRef"), f.property}});
        role.insert(QStringLiteral("projections"), projections);
        queryState.insert(f.role, role);
    }
    QJsonObject visual{{QStringLiteral("visualType"), v.type}};
    if (!queryState.isEmpty()) {
        QJsonObject query{{QStringLiteral("queryState"), queryState}};
        if (!v.sortByMeasure.isEmpty()) {
            const ReportField by{QString(), QStringLiteral("Measure"), QStringLiteral("fact_candle"), v.sortByMeasure};
            ReportField sortField = by;
            for (const ReportField &f : v.fields) {
                if (f.kind == QLatin1String("Measure") && f.property == v.sortByMeasure)
                    sortField = f;
            }
            query.insert(QStringLiteral("sortDefinition"),
                         QJsonObject{{QStringLiteral("sort"), QJsonArray{QJsonObject{{QStringLiteral("field"), fieldExpr(sortField)},
                                                                                    {QStringLiteral("direction"), QStringLiteral("Descending")}}}},
                                     {QStringLiteral("isDefaultSort"), false}});
        }
        visual.insert(QStringLiteral("query"), query);
    }
    QJsonObject objects;
    if (v.singleSelect) {
        objects.insert(QStringLiteral("selection"),
                       QJsonArray{QJsonObject{{QStringLiteral("properties"),
                                               QJsonObject{{QStringLiteral("singleSelect"), literal(QStringLiteral("true"))},
                                                           {QStringLiteral("strictSingleSelect"), literal(QStringLiteral("true"))}}}}});
    }
    if (!v.text.isEmpty()) {
        objects.insert(QStringLiteral("general"),
                       QJsonArray{QJsonObject{{QStringLiteral("properties"),
                                               QJsonObject{{QStringLiteral("paragraphs"),
                                                            QJsonArray{QJsonObject{{QStringLiteral("textRuns"),
                                                                                    QJsonArray{QJsonObject{{QStringLiteral("value"), v.text}}}}}}}}}}});
    }
    if (!objects.isEmpty())
        visual.insert(QStringLiteral("objects"), objects);
    if (!v.title.isEmpty()) {
        visual.insert(QStringLiteral("visualContainerObjects"),
                      QJsonObject{{QStringLiteral("title"),
                                   QJsonArray{QJsonObject{{QStringLiteral("properties"),
                                                           QJsonObject{{QStringLiteral("show"), literal(QStringLiteral("true"))},
                                                                       {QStringLiteral("text"), literal(u'\'' + v.title + u'\'')}}}}}}});
    }
    visual.insert(QStringLiteral("drillFilterOtherVisuals"), true);
    return QJsonObject{
        {QStringLiteral("$schema"),
         QStringLiteral("https://developer.microsoft.com/json-schemas/fabric/item/report/definition/visualContainer/2.0.0/schema.json")},
        {QStringLiteral("name"), name},
        {QStringLiteral("position"), QJsonObject{{QStringLiteral("x"), v.x}, {QStringLiteral("y"), v.y},
                                                 {QStringLiteral("z"), z}, {QStringLiteral("width"), v.w},
                                                 {QStringLiteral("height"), v.h}, {QStringLiteral("tabOrder"), z}}},
        {QStringLiteral("visual"), visual}};
}

}  // namespace ms::reporting
