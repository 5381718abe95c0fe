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

// `marketstream export powerbi ...` (export_command.cpp runs it).
struct ExportCommandOptions
{
    QString outDir;       // --out DIR (required)
    QString databaseUrl;  // --db URL (empty: DATABASE_URL, else POSTGRES_*)
    QString server;       // --server HOST:PORT for Power BI (empty: the URL's)
    QString database;     // --database NAME for Power BI (empty: the URL's)
    QStringList views;    // --views a,b (empty: every star view)
    bool csv = true, pbip = true, pbids = true;  // --no-csv, --no-pbip, --no-pbids
};

// `marketstream backfill ...` (backfill_command.cpp checks the values and runs it).
struct BackfillCommandOptions
{
    QString from, to;          // ISO date/time; `to` may be "now"
    QString interval;          // 1m (default when empty) or 1h
    QString symbols;           // comma-separated
    QString currency = QStringLiteral("USD");
    QString cryptoCompareUrl;  // empty: the environment's / default
    QString databaseUrl;       // empty: DATABASE_URL / POSTGRES_*, else the default SQLite file
};

// `marketstream tail TOPIC ...` (tail_command.cpp runs it). The parser has checked every value.
struct TailCommandOptions
{
    // Where each partition starts: only new messages (the default), --from-beginning, --from TIME.
    enum class Start { End, Beginning, Time };
    QString topic;
    Start start = Start::End;
    qint64 startTimeMs = 0;  // Start::Time: ms since the epoch (>= 0)
    qint64 maxMessages = 0;  // --max N (>= 1); 0: until Ctrl+C / SIGTERM
    QString bootstrap;       // --kafka HOST:PORT[,HOST:PORT]; empty: KAFKA_BOOTSTRAP_SERVERS
    int timeoutMs = 10000;   // --timeout SECONDS: metadata and offset lookups at start
};

struct CliOptions
{
    // What to run: the pipeline (window or --headless), or a sub-command with its block below.
    enum class Command { Run, Export, Backfill, Tail };
    Command command = Command::Run;
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
    QString helpText;         // starts "Usage: marketstream" (the sub-command's own when one is given)

    ExportCommandOptions exportCommand;
    BackfillCommandOptions backfill;
    TailCommandOptions tail;
    // Prometheus metrics (--metrics-port, --metrics-bind): GET /metrics, headless and window.
    int metricsPort = -1;  // -1: not served; 0: any free port (logged)
    QString metricsBind = QStringLiteral("127.0.0.1");
};

// Parses argv, every form: the window (default), --headless, and the sub-commands ("marketstream
// export ...", "marketstream backfill ...", "marketstream tail ..."). Errors are one line, suitable for stderr; their
// Error::code names the sub-command they concern (empty for the main form).
Result<CliOptions> parseCommandLine(const QStringList &arguments);
// The sub-commands' parts (cli_subcommands.cpp); arguments start with the program and the command.
Result<CliOptions> parseExportCommand(const QStringList &arguments);
Result<CliOptions> parseBackfillCommand(const QStringList &arguments);
Result<CliOptions> parseTailCommand(const QStringList &arguments);

// "1s,1m,5m,1h" → seconds.
Result<QList<int>> parseIntervals(const QString &text);

}  // namespace ms
