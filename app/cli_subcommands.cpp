// The sub-commands' part of the one command-line parser (cli_options.h): `marketstream export`
// and `marketstream backfill`, each with its own option list, read into its block of CliOptions.
// A new sub-command gets a parse function here, a Command value and a block in CliOptions.
#include "cli_options.h"
#include "reporting/star_schema.h"

#include <QCommandLineParser>

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

} // namespace ms
