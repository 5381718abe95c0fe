#pragma once
// The command line of the marketstream binary: window (default), --headless, and sub-commands.
#include "runtime/config.h"

#include <QStringList>

namespace ms {

struct CliOptions
{
    bool headless = false;
    bool showVersion = false;
    bool showHelp = false;
    bool printEnvKeys = false;
    bool migrateOnly = false;
    PipelineConfig config;
    double durationSec = 0;   // 0: until done / signal
    QString helpText;
    // Prometheus metrics (--metrics-port, --metrics-bind): GET /metrics, headless and window.
    int metricsPort = -1;  // -1: not served; 0: any free port (logged)
    QString metricsBind = QStringLiteral("127.0.0.1");
};

// Parses argv (without the sub-command forms). Errors are one line, suitable for stderr.
Result<CliOptions> parseCommandLine(const QStringList &arguments);

// "1s,1m,5m,1h" → seconds.
Result<QList<int>> parseIntervals(const QString &text);

}  // namespace ms
