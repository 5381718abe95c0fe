#include "export_command.h"

#include "cli_options.h"

#include "reporting/powerbi_export.h"
#include "storage/database_url.h"

#include <QElapsedTimer>
#include <QProcessEnvironment>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace {

std::atomic_bool g_cancel{false};

void onInterrupt(int)
{
    g_cancel.store(true);
}

void printLine(FILE *f, const QString &line)
{
    std::fputs(line.toLocal8Bit().constData(), f);
    std::fputc('\n', f);
    std::fflush(f);
}

int badArgs(const QString &message)
{
    printLine(stderr, QStringLiteral("marketstream export: %1 (see `marketstream export powerbi --help`)").arg(message));
    return 2;
}

}  // namespace

int runExportCommand(const QStringList &args)
{
    auto parsed = ms::parseCommandLine(QStringList{QLatin1String(ms::kProgramName)} + args);
    if (!parsed)
        return badArgs(parsed.errorMessage());
    if (parsed->command != ms::CliOptions::Command::Export)
        return badArgs(QStringLiteral("the arguments must start with 'export'"));
    if (parsed->showHelp) {
        std::fputs(qPrintable(parsed->helpText), stdout);
        return 0;
    }
    return runExportCommand(parsed->exportCommand);
}

int runExportCommand(const ms::ExportCommandOptions &command)
{
    ms::ExportOptions options;
    options.server = command.server;
    options.database = command.database;
    options.csvViews = command.views;
    options.csv = command.csv;
    options.pbip = command.pbip;
    options.pbids = command.pbids;
    const QString &outDir = command.outDir;
    QString dbUrl = command.databaseUrl;

    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (dbUrl.isEmpty())
        dbUrl = env.value(QStringLiteral("DATABASE_URL"));
    ms::Result<ms::DatabaseUrl> url = ms::makeError(QString());
    if (!dbUrl.isEmpty()) {
        url = ms::DatabaseUrl::parse(dbUrl);
    } else {
        QMap<QString, QString> pg;
        const QStringList keys = env.keys();
        for (const QString &k : keys) {
            if (k.startsWith(QLatin1String("POSTGRES_")))
                pg.insert(k, env.value(k));
        }
        if (pg.isEmpty())
            return badArgs(QStringLiteral("no database: pass --db URL or set DATABASE_URL"));
        url = ms::DatabaseUrl::fromPostgresEnvironment(pg);
    }
    if (!url)
        return badArgs(url.errorMessage());

    QElapsedTimer sinceLine;
    sinceLine.start();
    QString lastStep;
    options.cancel = &g_cancel;
    options.progress = [&](const ms::ExportProgress &p) {
        const bool newStep = p.step != lastStep;
        if (!newStep && sinceLine.elapsed() < 500 && p.step != QLatin1String("done"))
            return;
        lastStep = p.step;
        sinceLine.restart();
        if (p.step == QLatin1String("done"))
            return;
        QString line = QStringLiteral("[%1/%2] %3").arg(p.stepIndex).arg(p.stepCount).arg(p.step);
        if (p.step.startsWith(QLatin1String("csv:"))) {
            line += QStringLiteral(" %1").arg(p.rowsDone);
            if (p.rowsTotal >= 0)
                line += QStringLiteral("/%1 rows (%2%)").arg(p.rowsTotal).arg(
                    p.rowsTotal > 0 ? p.rowsDone * 100 / p.rowsTotal : 100);
            else
                line += QStringLiteral(" rows");
        }
        printLine(stdout, line);
    };

    g_cancel.store(false);
    auto previous = std::signal(SIGINT, onInterrupt);
    printLine(stdout, QStringLiteral("Exporting %1 to %2").arg(url->redacted(), outDir));
    ms::Result<ms::ExportSummary> summary = ms::exportPowerBi(url.value(), outDir, options);
    std::signal(SIGINT, previous);
    if (!summary) {
        printLine(stderr, QStringLiteral("marketstream export: %1").arg(summary.errorMessage()));
        return summary.error().code == QLatin1String("cancelled") ? 130 : 1;
    }
    for (const QString &note : std::as_const(summary->notes))
        printLine(stdout, QStringLiteral("Note: ") + note);
    printLine(stdout, QStringLiteral("Done: %1 files, %2 CSV rows in %3").arg(summary->files.size())
                          .arg(summary->csvRows).arg(outDir));
    return 0;
}
