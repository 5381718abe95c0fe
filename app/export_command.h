#pragma once
// `marketstream export powerbi --out DIR [--db URL] [--no-csv] [--no-pbip] [--no-pbids]
//                              [--server HOST:PORT] [--database NAME] [--views v1,v2]`
// Writes the Power BI dataset (see pipeline/reporting/powerbi_export.h) with progress lines on stdout.
#include <QStringList>

// args: the command line after the program name, starting at "export" (or at "powerbi").
// Returns the process exit code: 0 done, 1 the export failed (one-line reason on stderr),
// 2 bad arguments (one-line error on stderr), 130 cancelled by Ctrl+C.
int runExportCommand(const QStringList &args);
