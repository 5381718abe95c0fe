#pragma once
// The files of a Power BI export other than CSV: MarketStream.pbids (PostgreSQL DirectQuery data source,
// never credentials) and the Power BI Project (MarketStream.pbip, .SemanticModel in TMDL, .Report in PBIR).
#include "reporting/tmdl_model.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace ms::reporting {

// {"version":"0.1","connections":[{"details":{"protocol":"postgresql","address":{server,database}},...}]}
QByteArray pbidsJson(const QString &server, const QString &database);

// Relative path → bytes of every file of the project (pbip, SemanticModel/**, Report/**).
// Deterministic: the same inputs give byte-identical files.
QMap<QString, QByteArray> buildPowerBiProject(const QList<ViewInfo> &views, const TmdlParams &params);

// Writes files under outDir (creating folders); returns the written paths (relative) or an error.
Result<QStringList> writeFiles(const QString &outDir, const QMap<QString, QByteArray> &files);

}  // namespace ms::reporting
