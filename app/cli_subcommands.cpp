// The sub-commands' part of the one command-line parser (cli_options.h): `marketstream export`,
// `marketstream backfill` and `marketstream tail`, each with its own option list, read into its
// block of CliOptions.
// A new sub-command gets a parse function here, a Command value and a block in CliOptions.
#include "cli_options.h"
#include "cli_values.h"
#include "reporting/star_schema.h"

#include <QCommandLineParser>
#include <optional>

namespace ms {

namespace {

void addOption(QCommandLineParser &p, const char *name, const char *description,
               const char *value = nullptr)
{
    QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(description));
    if (value)
        o.setValueName(QString::fromLatin1(value));
    p.addOption(o);
}

// The parser's own errors, worded like the rest of the sub-commands' ("--x needs a value").
Error parserError(const QCommandLineParser &p)
{
    const QStringList unknown = p.unknownOptionNames();
    if (!unknown.isEmpty())
        return makeError(
            QStringLiteral("unknown option --%1 (see --help)").arg(unknown.first().left(40)));
    const QString text = p.errorText();
    const QLatin1String missing("Missing value after '");
    if (text.startsWith(missing)) {
        const QString name = text.mid(missing.size()).section(u'\'', 0, 0);
        return makeError(QStringLiteral("%1 needs a value (see --help)").arg(name));
    }
    return makeError(text + QStringLiteral(" (see --help)"));
}

// The usage line as users type the command, then the option list QCommandLineParser writes.
QString helpText(const QCommandLineParser &p, const QString &usage)
{
    const QString help = p.helpText();
    return QStringLiteral("Usage: %1 %2").arg(QLatin1String(kProgramName), usage) +
           help.mid(help.indexOf(u'\n'));
}

// Every sub-command's parser: its description, long options after one dash too, and -h/--help.
void prepare(QCommandLineParser &p, const QString &description)
{
    p.setApplicationDescription(description);
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addOption(QCommandLineOption({QStringLiteral("h"), QStringLiteral("help")},
                                   QStringLiteral("Show this help.")));
}

// tail's own refusals end with the pointer to its help, as they did before it shared the parser.
Error tailError(const QString &message)
{
    return makeError(message + QStringLiteral(" (see `marketstream tail --help`)"));
}

// --from: ms since the epoch or an ISO-8601 time (no zone: UTC); nothing before 1970.
std::optional<qint64> tailTime(const QString &text)
{
    const std::optional<qint64> ms = cli::epochOrIsoTimeMs(text);
    return ms && *ms >= 0 ? ms : std::nullopt;
}

} // namespace

Result<CliOptions> parseExportCommand(const QStringList &arguments)
{
    // arguments: program, "export", target, options.
    CliOptions out;
    out.command = CliOptions::Command::Export;
    QCommandLineParser p;
    prepare(p, QStringLiteral("Writes DIR/MarketStream.pbids (PostgreSQL), DIR/csv/*.csv and the "
                              "Power BI Project DIR/MarketStream.pbip."));
    addOption(p, "out", "Output folder (created).", "DIR");
    addOption(p, "db",
              "Database (default: $DATABASE_URL, else POSTGRES_HOST/PORT/DB/USER/PASSWORD).",
              "URL");
    addOption(p, "server", "Server Power BI should use (default: the database URL's host:port).",
              "HOST:PORT");
    addOption(p, "database", "Database name Power BI should use (default: the URL's).", "NAME");
    addOption(p, "views",
              "Export only these views as CSV, comma-separated (default: all star views).", "a,b");
    addOption(p, "no-csv", "Leave the CSV files out.");
    addOption(p, "no-pbip", "Leave the Power BI Project out.");
    addOption(p, "no-pbids", "Leave the .pbids file out.");
    out.helpText = helpText(p, QStringLiteral("export powerbi --out DIR [options]"));
    if (!p.parse(arguments.mid(1))) // "export" stands where QCommandLineParser expects the program
        return parserError(p);
    ExportCommandOptions &e = out.exportCommand;
    out.showHelp = p.isSet(QStringLiteral("help"));
    if (out.showHelp)
        return out;
    const QStringList targets = p.positionalArguments();
    if (targets.isEmpty())
        return makeError(QStringLiteral("missing what to export: powerbi (see --help)"));
    if (targets.first() != QLatin1String("powerbi"))
        return makeError(QStringLiteral("unknown export target '%1' (only 'powerbi')")
                             .arg(targets.first().left(40)));
    if (targets.size() > 1)
        return makeError(
            QStringLiteral("unexpected argument '%1' (see --help)").arg(targets.at(1).left(40)));
    e.outDir = p.value(QStringLiteral("out"));
    e.databaseUrl = p.value(QStringLiteral("db"));
    e.server = p.value(QStringLiteral("server"));
    e.database = p.value(QStringLiteral("database"));
    if (p.isSet(QStringLiteral("views"))) {
        e.views = p.value(QStringLiteral("views")).split(u',', Qt::SkipEmptyParts);
        for (const QString &name : std::as_const(e.views)) {
            if (!reporting::findStarView(name))
                return makeError(QStringLiteral("unknown view '%1' in --views").arg(name.left(40)));
        }
    }
    e.csv = !p.isSet(QStringLiteral("no-csv"));
    e.pbip = !p.isSet(QStringLiteral("no-pbip"));
    e.pbids = !p.isSet(QStringLiteral("no-pbids"));
    if (e.outDir.isEmpty())
        return makeError(QStringLiteral("--out DIR is required"));
    if (!e.csv && !e.pbip && !e.pbids)
        return makeError(QStringLiteral("nothing to export (--no-csv --no-pbip --no-pbids)"));
    return out;
}

Result<CliOptions> parseBackfillCommand(const QStringList &arguments)
{
    // arguments: program, "backfill", options.
    CliOptions out;
    out.command = CliOptions::Command::Backfill;
    QCommandLineParser p;
    prepare(p, QStringLiteral("Historical CryptoCompare candles into the database. Times without a "
                              "zone are UTC; the API key comes from CRYPTOCOMPARE_API_KEY."));
    addOption(p, "from", "First time (ISO date/time).", "time");
    addOption(p, "to", "Last time (ISO date/time, or now).", "time");
    addOption(p, "interval", "1m (default) or 1h.", "interval");
    addOption(p, "symbols", "Symbols, comma-separated.", "list");
    addOption(p, "currency", "Quote currency (default USD).", "code");
    addOption(p, "cryptocompare-url", "CryptoCompare REST base URL.", "url");
    addOption(p, "db",
              "Database (default: DATABASE_URL / POSTGRES_*, else the default SQLite file).",
              "url");
    out.helpText =
        helpText(p, QStringLiteral("backfill --from TIME --to TIME --symbols BTC,ETH [options]"));
    if (!p.parse(arguments.mid(1)))
        return parserError(p);
    out.showHelp = p.isSet(QStringLiteral("help"));
    if (out.showHelp)
        return out;
    if (!p.positionalArguments().isEmpty())
        return makeError(QStringLiteral("unexpected argument '%1' (see --help)")
                             .arg(p.positionalArguments().first().left(40)));
    BackfillCommandOptions &b = out.backfill;
    b.from = p.value(QStringLiteral("from"));
    b.to = p.value(QStringLiteral("to"));
    b.interval = p.value(QStringLiteral("interval"));
    b.symbols = p.value(QStringLiteral("symbols"));
    if (p.isSet(QStringLiteral("currency")))
        b.currency = p.value(QStringLiteral("currency"));
    b.cryptoCompareUrl = p.value(QStringLiteral("cryptocompare-url"));
    b.databaseUrl = p.value(QStringLiteral("db"));
    if (b.from.isEmpty() || b.to.isEmpty() || b.symbols.isEmpty())
        return makeError(QStringLiteral("--from, --to and --symbols are required (see --help)"));
    return out;
}

Result<CliOptions> parseTailCommand(const QStringList &arguments)
{
    // arguments: program, "tail", the topic and options (in any order).
    CliOptions out;
    out.command = CliOptions::Command::Tail;
    QCommandLineParser p;
    prepare(p,
            QStringLiteral(
                "Prints the messages of TOPIC (any topic: ticks, the .dlq dead-letter topics, an "
                "external cluster's)\nas one JSON object per line: topic, partition, offset, "
                "timestamp, key, headers, value. It reads with\nits own consumer: it joins no "
                "consumer group and commits nothing.\nExit codes: 0 done (N messages, or "
                "stopped by Ctrl+C), 1 the tail failed (e.g. no such topic),\n2 usage error, 3 "
                "Kafka unreachable."));
    addOption(p, "from-beginning", "Start at the oldest message (default: only new messages).");
    addOption(p, "from",
              "Start at the first message at or after TIME (ms since the epoch or ISO-8601; no "
              "zone means UTC).",
              "TIME");
    addOption(p, "max", "Exit after N messages (default: until Ctrl+C / SIGTERM).", "N");
    addOption(p, "kafka",
              "Bootstrap servers (default: KAFKA_BOOTSTRAP_SERVERS; the embedded broker lives "
              "inside a running marketstream and cannot be tailed from another process).",
              "HOST:PORT");
    addOption(p, "timeout", "How long to wait for the cluster at start (default 10).", "SECONDS");
    out.helpText = helpText(p, QStringLiteral("tail TOPIC [options]"));
    if (!p.parse(arguments.mid(1)))
        return parserError(p);
    out.showHelp = p.isSet(QStringLiteral("help"));
    if (out.showHelp)
        return out;
    TailCommandOptions &t = out.tail;
    const bool fromBeginning = p.isSet(QStringLiteral("from-beginning"));
    const bool fromTime = p.isSet(QStringLiteral("from"));
    if (fromTime) {
        const QString v = p.value(QStringLiteral("from"));
        const std::optional<qint64> ms = tailTime(v);
        if (!ms)
            return tailError(
                QStringLiteral("--from needs ms since the epoch or an ISO-8601 time, got '%1'")
                    .arg(v.left(40)));
        t.startTimeMs = *ms;
    }
    if (p.isSet(QStringLiteral("max"))) {
        const QString v = p.value(QStringLiteral("max"));
        bool ok = false;
        t.maxMessages = v.toLongLong(&ok);
        if (!ok || t.maxMessages < 1)
            return tailError(
                QStringLiteral("--max needs a whole number >= 1, got '%1'").arg(v.left(40)));
    }
    if (p.isSet(QStringLiteral("kafka"))) {
        // The parser takes the next word as the value even when it is an option.
        t.bootstrap = p.value(QStringLiteral("kafka"));
        if (t.bootstrap.isEmpty() || t.bootstrap.startsWith(QLatin1String("--")))
            return tailError(QStringLiteral("--kafka needs HOST:PORT[,HOST:PORT]"));
        if (t.bootstrap == QLatin1String("embedded"))
            return tailError(QStringLiteral(
                "--kafka embedded: the embedded broker lives inside a running marketstream; "
                "give HOST:PORT"));
    }
    if (p.isSet(QStringLiteral("timeout"))) {
        const QString v = p.value(QStringLiteral("timeout"));
        bool ok = false;
        const double seconds = v.toDouble(&ok);
        if (!ok || !(seconds >= 0.1 && seconds <= 600)) // also refuses nan
            return tailError(QStringLiteral("--timeout needs seconds from 0.1 to 600, got '%1'")
                                 .arg(v.left(40)));
        t.timeoutMs = int(seconds * 1000);
    }
    const QStringList positional = p.positionalArguments();
    if (positional.isEmpty() || positional.first().isEmpty())
        return tailError(QStringLiteral("missing the topic to tail"));
    if (positional.size() > 1)
        return tailError(QStringLiteral("unexpected argument '%1' (one topic only)")
                             .arg(positional.at(1).left(40)));
    t.topic = positional.first();
    if (fromBeginning && fromTime)
        return tailError(QStringLiteral("--from-beginning and --from exclude each other"));
    t.start = fromBeginning ? TailCommandOptions::Start::Beginning
              : fromTime    ? TailCommandOptions::Start::Time
                            : TailCommandOptions::Start::End;
    return out;
}

} // namespace ms
