#include "reporting/powerbi_export.h"

#include "reporting/csv_export.h"
#include "reporting/powerbi_project.h"
#include "storage/database.h"

#include <QAtomicInt>
#include <QDir>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace ms {

using namespace ms::reporting;

namespace {

QString serverString(const QString &host, int port)
{
    const QString h = (host.isEmpty() || host.startsWith(u'/')) ? QStringLiteral("localhost") : host;
    return h + u':' + QString::number(port > 0 ? port : 5432);
}

bool cancelled(const ExportOptions &o)
{
    return o.cancel && o.cancel->load(std::memory_order_relaxed);
}

Error cancelError()
{
    return makeError(QStringLiteral("export cancelled"), QStringLiteral("cancelled"));
}

}  // namespace

QString exportStepSubject(const QString &viewName)
{
    static const QMap<QString, QString> subjects = {
        {QStringLiteral("dim_symbol"), QStringLiteral("symbols")},
        {QStringLiteral("dim_date"), QStringLiteral("the calendar")},
        {QStringLiteral("fact_candle"), QStringLiteral("candles")},
        {QStringLiteral("fact_tick"), QStringLiteral("ticks")},
        {QStringLiteral("v_latest_quote"), QStringLiteral("latest quotes")},
        {QStringLiteral("v_daily_summary"), QStringLiteral("daily summaries")},
        {QStringLiteral("v_late_ticks_daily"), QStringLiteral("late ticks per day")},
    };
    return subjects.value(viewName, viewName);
}

QString powerBiServer(const DatabaseUrl &url)
{
    return serverString(url.host, url.port);
}

Result<ExportSummary> exportPowerBi(QSqlDatabase &db, const QString &outDir, const ExportOptions &options)
{
    if (outDir.isEmpty())
        return makeError(QStringLiteral("no output folder given"), QStringLiteral("bad_args"));
    if (!QDir().mkpath(outDir))
        return makeError(QStringLiteral("cannot create the output folder %1").arg(outDir), QStringLiteral("io"));

    Result<QList<ViewInfo>> live = liveStarViews(db);
    if (!live)
        return live.error();
    if (options.failWhenEmpty) {
        QSqlQuery any(db);
        if (!any.exec(QStringLiteral("SELECT 1 FROM candles LIMIT 1")))
            return makeError(QStringLiteral("cannot read the candles: %1").arg(any.lastError().text()),
                             QStringLiteral("db_query"));
        if (!any.next())
            return makeError(QStringLiteral("Nothing to export: the database has no candles yet. Start the pipeline "
                                            "(or run a backfill) first."),
                             QStringLiteral("empty"));
    }

    const bool postgres = backendOf(db) == Backend::PostgreSQL;
    const QDir out(outDir);
    ExportSummary summary;
    TmdlParams params;
    params.server = !options.server.isEmpty() ? options.server : serverString(db.hostName(), db.port());
    params.database = !options.database.isEmpty() ? options.database : db.databaseName();
    params.schema = currentSchema(db);
    params.source = postgres ? ModelSource::PostgreSqlDirectQuery : ModelSource::CsvImport;
    params.csvFolder = QDir::cleanPath(out.absoluteFilePath(QStringLiteral("csv")));

    QList<ViewInfo> csvViews;
    if (options.csv) {
        for (const ViewInfo &v : live.value()) {
            if (options.csvViews.isEmpty() || options.csvViews.contains(v.name))
                csvViews.append(v);
        }
    }
    const bool writePbids = options.pbids && postgres;
    const bool writePbip = options.pbip;
    const int stepCount = int(writePbids) + int(csvViews.size()) + int(writePbip);
    int step = 0;
    const auto report = [&](const QString &name, const QString &what, qint64 done, qint64 total) {
        if (options.progress) {
            const QString label = QStringLiteral("%1 (%2 of %3)…").arg(what).arg(step).arg(stepCount);
            options.progress(ExportProgress{name, label, done, total, step, stepCount});
        }
    };

    if (options.pbids && !postgres) {
        summary.notes.append(QStringLiteral(
            "No MarketStream.pbids: Power BI cannot open a SQLite file directly. Use the CSV star schema "
            "(Import mode): open MarketStream.pbip, whose tables import csv/*.csv through the CsvFolder "
            "parameter, or Get Data > Text/CSV."));
    }
    if (writePbids) {
        ++step;
        report(QStringLiteral("pbids"), QStringLiteral("Writing the DirectQuery data source"), 0, -1);
        QMap<QString, QByteArray> f{{QStringLiteral("MarketStream.pbids"), pbidsJson(params.server, params.database)}};
        Result<QStringList> w = writeFiles(outDir, f);
        if (!w)
            return w.error();
        summary.files += w.value();
    }

    if (!csvViews.isEmpty() && !QDir().mkpath(out.filePath(QStringLiteral("csv"))))
        return makeError(QStringLiteral("cannot create %1").arg(out.filePath(QStringLiteral("csv"))), QStringLiteral("io"));
    for (const ViewInfo &v : csvViews) {
        if (cancelled(options))
            return cancelError();
        ++step;
        const QString stepName = QStringLiteral("csv:") + v.name;
        const QString what = QStringLiteral("Writing ") + exportStepSubject(v.name);
        const QString rel = QStringLiteral("csv/") + v.name + QStringLiteral(".csv");
        Result<qint64> rows = exportViewCsv(
            db, v, out.filePath(rel), [&](qint64 done, qint64 total) { report(stepName, what, done, total); },
            options.cancel);
        if (!rows)
            return rows.error();
        summary.csvRows += rows.value();
        summary.files.append(rel);
    }

    if (writePbip) {
        if (cancelled(options))
            return cancelError();
        ++step;
        report(QStringLiteral("pbip"), QStringLiteral("Writing the Power BI project"), 0, -1);
        Result<QStringList> w = writeFiles(outDir, buildPowerBiProject(live.value(), params));
        if (!w)
            return w.error();
        summary.files += w.value();
        if (!postgres && csvViews.size() < live.value().size())
            summary.notes.append(QStringLiteral("The project imports csv/*.csv: export the CSV files too (omit --no-csv)."));
    }
    if (options.progress) {
        options.progress(ExportProgress{QStringLiteral("done"),
                                        QStringLiteral("Done: %1 files, %2 rows").arg(summary.files.size()).arg(summary.csvRows),
                                        summary.csvRows, summary.csvRows, stepCount, stepCount});
    }
    return summary;
}

Result<ExportSummary> exportPowerBi(const DatabaseUrl &url, const QString &outDir, const ExportOptions &options)
{
    static QAtomicInt counter;
    const QString name = QStringLiteral("ms-powerbi-export-%1").arg(counter.fetchAndAddRelaxed(1));
    Result<ExportSummary> result = makeError(QString());
    {
        Result<QSqlDatabase> db = openDatabase(url, name);
        if (!db)
            return db.error();
        ExportOptions o = options;
        if (o.server.isEmpty() && url.isPostgres())
            o.server = powerBiServer(url);
        if (o.database.isEmpty() && url.isPostgres())
            o.database = url.database.isEmpty() ? url.user : url.database;
        result = exportPowerBi(db.value(), outDir, o);
    }
    closeDatabase(name);
    return result;
}

}  // namespace ms
