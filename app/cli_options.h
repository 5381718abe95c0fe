#pragma once
// The command line of the marketstream binary: the one parser for every mode. The window (the
// default) and --headless share these options; the window's own ones land in `window`.
//
// Adding options: declare them in parseCommandLine()'s option list (one contiguous block with a
// comment naming the feature), read them in the matching block below it, and put what they set in
// PipelineConfig (pipeline settings) or in a field here (what only app/ uses).
#include "runtime/config.h"
#include "ui/desktop_options.h"

#include <QStringList>

namespace ms {

// The program's name, as --help and the error lines print it (main() also sets it as the
// application name).
inline constexpr char kProgramName[] = "marketstream";

struct CliOptions
{
    bool headless = false;
    bool showVersion = false;
    bool showHelp = false;
    bool printEnvKeys = false;
    bool migrateOnly = false;
    // The pipeline's settings for either mode. In the window, without --seed, freshSeedPerStart is
    // set: each Start then simulates a new market.
    PipelineConfig config;
    DesktopOptions window;    // --start, --screenshot*, --settings-file (the window only)
    double durationSec = 0;   // 0: until done / signal
    QString helpText;         // starts "Usage: marketstream"
};

// Parses argv (without the sub-command forms). Errors are one line, suitable for stderr.
Result<CliOptions> parseCommandLine(const QStringList &arguments);

// "1s,1m,5m,1h" → seconds.
Result<QList<int>> parseIntervals(const QString &text);

}  // namespace ms
