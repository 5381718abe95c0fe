#pragma once
// One entry for "export the dataset for Power BI" (CLI `marketstream export powerbi`, the UI's action):
//   <out>/MarketStream.pbids                 PostgreSQL only: DirectQuery data source, no credentials
//   <out>/csv/<view>.csv                     the star schema for Import mode (streamed, bounded memory)
//   <out>/MarketStream.pbip, .SemanticModel/, .Report/   the Power BI Project (TMDL + PBIR)
// On PostgreSQL the project's partitions are DirectQuery through PostgreSQL.Database(Server, Database);
// on SQLite (which Power BI cannot reach) they import the CSV files through a CsvFolder parameter.
#include "model/result.h"
#include "reporting/star_schema.h"
#include "storage/database_url.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

class QSqlDatabase;

namespace ms {

struct ExportProgress
{
    QString step;            // "pbids", "csv:fact_tick", "pbip", "done" (stable ids, for code)
    QString label;           // for people: "Writing candles (3 of 9)…", "Done: 9 steps, 1,234 rows"
    qint64 rowsDone = 0;     // CSV steps
    qint64 rowsTotal = -1;   // -1 when unknown
    int stepIndex = 0;       // 1-based
    int stepCount = 0;
};

struct ExportOptions
{
    bool pbids = true;
    bool csv = true;
    bool pbip = true;
    QStringList csvViews;    // empty: every star view
    // Server/database written into the pbids and the model's parameters; empty: from the connection.
    QString server;
    QString database;
    std::function<void(const ExportProgress &)> progress;  // called on the exporting thread
    const std::atomic_bool *cancel = nullptr;               // set from any thread to stop soon
    // Fail with code "empty" (and write nothing) when the database has no candles: an export of empty
    // views is a mistake in the app (the UI sets it); the CLI exports whatever is there.
    bool failWhenEmpty = false;
};

struct ExportSummary
{
    QStringList files;       // relative to the output folder
    qint64 csvRows = 0;
    QStringList notes;       // e.g. why no .pbids was written for SQLite
};

// Uses an already open connection (the caller's thread).
Result<ExportSummary> exportPowerBi(QSqlDatabase &db, const QString &outDir, const ExportOptions &options);
// Opens its own connection (a unique name; closed at the end). The password is never written anywhere.
Result<ExportSummary> exportPowerBi(const DatabaseUrl &url, const QString &outDir, const ExportOptions &options);

// What a CSV step writes, in words: "candles" for fact_candle, "daily summaries" for v_daily_summary.
QString exportStepSubject(const QString &viewName);

// "host:port" as Power BI wants it; a socket-directory host becomes "localhost".
QString powerBiServer(const DatabaseUrl &url);

}  // namespace ms
