#pragma once
// `marketstream export powerbi --out DIR [--db URL] [--no-csv] [--no-pbip] [--no-pbids]
//                              [--server HOST:PORT] [--database NAME] [--views v1,v2]`
// Writes the Power BI dataset (see pipeline/reporting/powerbi_export.h) with progress lines on stdout.
#include <QStringList>

// The command line is parsed by parseCommandLine() (cli_subcommands.cpp).
namespace ms {
struct ExportCommandOptions;
}

// Returns the process exit code: 0 done, 1 the export failed (one-line reason on stderr),
// 2 bad arguments (one-line error on stderr), 130 cancelled by Ctrl+C.
int runExportCommand(const ms::ExportCommandOptions &command);
// The same from arguments starting at "export" (in-process callers): parsed by the one parser.
int runExportCommand(const QStringList &args);
