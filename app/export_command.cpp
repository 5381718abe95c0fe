#include "export_command.h"

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

const char kUsage[] =
    "Usage: marketstream export powerbi --out DIR [options]\n"
    "Writes DIR/MarketStream.pbids (PostgreSQL), DIR/csv/*.csv and the Power BI Project DIR/MarketStream.pbip.\n"
    "  --out DIR            output folder (created)\n"
    "  --db URL             database (default: $DATABASE_URL, else POSTGRES_HOST/PORT/DB/USER/PASSWORD)\n"
    "  --server HOST:PORT   server Power BI should use (default: the database URL's host:port)\n"
    "  --database NAME      database name Power BI should use (default: the URL's)\n"
    "  --views a,b          export only these views as CSV (default: all star views)\n"
    "  --no-csv, --no-pbip, --no-pbids   leave a part out\n";

}  // namespace

int runExportCommand(const QStringList &argsIn)
{
    QStringList args = argsIn;
    if (!args.isEmpty() && args.first() == QLatin1String("export"))
        args.removeFirst();
    if (args.isEmpty())
        return badArgs(QStringLiteral("missing what to export: powerbi"));
    if (args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (args.first() != QLatin1String("powerbi"))
        return badArgs(QStringLiteral("unknown export target '%1' (only 'powerbi')").arg(args.first()));
    args.removeFirst();

    ms::ExportOptions options;
    QString outDir, dbUrl;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        const auto value = [&](QString *target) {
            if (i + 1 >= args.size() || args.at(i + 1).startsWith(QLatin1String("--")))
                return false;
            *target = args.at(++i);
            return true;
        };
        if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (a == QLatin1String("--out")) {
            if (!value(&outDir))
                return badArgs(QStringLiteral("--out needs a folder"));
        } else if (a == QLatin1String("--db")) {
            if (!value(&dbUrl))
                return badArgs(QStringLiteral("--db needs a database URL"));
        } else if (a == QLatin1String("--server")) {
            if (!value(&options.server))
                return badArgs(QStringLiteral("--server needs HOST:PORT"));
        } else if (a == QLatin1String("--database")) {
            if (!value(&options.database))
                return badArgs(QStringLiteral("--database needs a name"));
        } else if (a == QLatin1String("--views")) {
            QString v;
            if (!value(&v))
                return badArgs(QStringLiteral("--views needs a comma-separated list"));
            options.csvViews = v.split(u',', Qt::SkipEmptyParts);
            for (const QString &name : std::as_const(options.csvViews)) {
                if (!ms::reporting::findStarView(name))
                    return badArgs(QStringLiteral("unknown view '%1' in --views").arg(name));
            }
        } else if (a == QLatin1String("--no-csv")) {
            options.csv = false;
        } else if (a == QLatin1String("--no-pbip")) {
            options.pbip = false;
        } else if (a == QLatin1String("--no-pbids")) {
            options.pbids = false;
        } else {
            return badArgs(QStringLiteral("unknown option '%1'").arg(a));
        }
    }
    if (outDir.isEmpty())
        return badArgs(QStringLiteral("--out DIR is required"));
    if (!options.csv && !options.pbip && !options.pbids)
        return badArgs(QStringLiteral("nothing to export (--no-csv --no-pbip --no-pbids)"));

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
