#pragma once
// The starter report of the Power BI Project (PBIR visual.json files): four pages over the model's
// measures, each visual a DirectQuery shape proved by tests/reporting (EXPLAIN) to use indexes.
//   Overview      symbols count, % change since the first selected day per symbol, top movers (24 h)
//   Price         symbol slicer (single), 24 h KPI cards, daily close line, daily candle table
//   Volume        symbol slicer (single: volumes of different instruments never add up), daily volume,
//                 24 h volume and trades per symbol
//   Data quality  late ticks per day and per symbol (v_late_ticks_daily, from late_ticks)
#include <QJsonObject>
#include <QList>
#include <QString>

namespace ms::reporting {

struct ReportField
{
    QString role;     // "Category", "Y", "Series", "Values", "Rows"
    QString kind;     // "Column" or "Measure"
    QString table, property;
};

struct ReportVisual
{
    QString type;     // lineChart, card, slicer, tableEx, clusteredColumnChart, clusteredBarChart, textbox
    QList<ReportField> fields;
    int x = 0, y = 0, w = 0, h = 0;
    QString title;            // shown above the visual ("" = Power BI's default)
    bool singleSelect = false;  // slicers
    QString sortByMeasure;      // tableEx/bar charts: sort descending by this measure
    QString text;               // textbox
};

struct ReportPage
{
    QString displayName;
    QList<ReportVisual> visuals;
};

const QList<ReportPage> &starterReport();

// visual.json for one visual (PBIR visualContainer 2.0.0).
QJsonObject visualContainerJson(const QString &name, const ReportVisual &v, int z);

}  // namespace ms::reporting
