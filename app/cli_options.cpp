#include "cli_options.h"
#include "cli_values.h"

#include "alerts/alert_rule.h"
#include "codec/tick_codec.h"  // currencyProblem
#include "runtime/source_factory.h"
#include "storage/database_url.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QHostAddress>

#include <cmath>

namespace ms {

using namespace cli;  // the checked values (cli_values.h)

namespace {

const QStringList kKnownCrypto{QStringLiteral("BTC"), QStringLiteral("ETH"), QStringLiteral("BNB"), QStringLiteral("SOL"),
                               QStringLiteral("XRP"), QStringLiteral("ADA"), QStringLiteral("DOGE"), QStringLiteral("LTC"),
                               QStringLiteral("DOT"), QStringLiteral("AVAX")};

// What --source accepts, from the factory's own list: "replay" is given as replay:FILE.
QString sourceChoices()
{
    QStringList out{QStringLiteral("none")};
    const QStringList known = knownSourceTypes();
    for (const QString &t : known)
        out << (t == QLatin1String("replay") ? QStringLiteral("replay:FILE") : t);
    return out.join(QStringLiteral(", "));
}

// QCommandLineParser names the program "<executable_name>" before a QCoreApplication exists (and
// argv[0], a path, after): the usage line names the command as users type it.
QString helpWithUsageLine(const QString &help)
{
    const qsizetype eol = help.indexOf(u'\n');
    return QStringLiteral("Usage: %1 [options]").arg(QLatin1String(kProgramName)) + help.mid(eol);
}

}  // namespace

Result<CliOptions> parseCommandLine(const QStringList &arguments)
{
    // Sub-commands: the word after the program.
    const QString command = arguments.size() > 1 ? arguments.at(1) : QString();
    if (command == QLatin1String("export") || command == QLatin1String("backfill") || command == QLatin1String("tail")) {
        auto parsed = command == QLatin1String("export")     ? parseExportCommand(arguments)
                      : command == QLatin1String("backfill") ? parseBackfillCommand(arguments)
                                                             : parseTailCommand(arguments);
        if (!parsed)
            return makeError(parsed.errorMessage(), command);
        return parsed;
    }

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "MarketStream: real-time market data (sources -> Kafka -> candles -> PostgreSQL/SQLite) with a live monitor.\n"
        "Sub-commands: 'marketstream export powerbi --out DIR', 'marketstream backfill --from ... --to ...',\n"
        "'marketstream tail TOPIC [--from-beginning|--from TIME] [--max N] [--kafka HOST:PORT]'.\n"
        "Exit codes: 0 done, 1 pipeline failure, 2 usage or configuration error, 3 a dependency (Kafka, the\n"
        "database) unreachable."));
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    auto opt = [&](const char *name, const char *desc, const char *value = nullptr) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(desc));
        if (value)
            o.setValueName(QString::fromLatin1(value));
        p.addOption(o);
    };
    opt("help", "Show this help.");
    opt("version", "Print the version and the Qt and librdkafka versions in use.");
    opt("headless", "Run the pipeline without a window.");
    p.addOption(QCommandLineOption(QStringLiteral("source"),
                                   QStringLiteral("One of: %1 (default simulator). Repeat or comma-separate to combine.")
                                       .arg(sourceChoices()),
                                   QStringLiteral("type")));
    opt("no-consumer", "Producers only (consumers run elsewhere).");
    opt("consumers", "Consumer instances in this process (default: 2 with the embedded broker and PostgreSQL, else 1).", "n");
    opt("group", "Kafka consumer group (default marketstream).", "name");
    opt("seed", "Simulator seed (default 42).", "n");
    opt("rate", "Simulator ticks/s over all symbols; 0 = as fast as possible (default 24: 4 per default symbol).", "n");
    opt("max-ticks", "Stop after N ticks are stored (with producers: the simulator makes N).", "n");
    opt("start-time", "Simulator event-time origin (ms or ISO-8601): byte-identical reruns.", "time");
    opt("duration", "Stop after this many seconds.", "seconds");
    opt("idle-exit", "Consumers only: stop after this many seconds with nothing new.", "seconds");
    opt("kafka", "embedded (default) or bootstrap servers HOST:PORT[,HOST:PORT].", "servers");
    opt("kafka-timeout", "How long to wait for an external Kafka cluster to answer at start (default 10).", "seconds");
    opt("partitions", "Partitions per topic of the embedded broker (default 6).", "n");
    opt("crypto-topic", "Crypto topic (default crypto_topic).", "name");
    opt("stock-topic", "Stock topic (default stock_topic).", "name");
    opt("db", "Database URL: postgresql://user@host:port/db or sqlite:///path (default: a SQLite file).", "url");
    opt("symbols", "Symbols for the sources, comma-separated; prefix with crypto: or stock: to force the class.", "list");
    opt("crypto-symbols", "Crypto symbols (default BTC,ETH,BNB).", "list");
    opt("stock-symbols", "Stock symbols (default AAPL,MSFT,GOOGL).", "list");
    opt("currency", "Quote currency (default USD).", "code");
    opt("intervals", "Candle intervals (default 1s,1m,5m,1h).", "list");
    opt("lateness", "Allowed lateness in seconds (default 10).", "seconds");
    opt("replay-speed", "Replay speed factor; 0 = as fast as possible (default 1).", "x");
    opt("record", "Append every produced tick to this JSONL file.", "file");
    opt("poll-interval", "REST polling interval in seconds (default 10).", "seconds");
    opt("cryptocompare-url", "CryptoCompare REST base URL.", "url");
    opt("cryptocompare-ws-url", "CryptoCompare streamer URL.", "url");
    opt("finnhub-url", "Finnhub REST base URL.", "url");
    opt("finnhub-ws-url", "Finnhub WebSocket URL.", "url");
    opt("env-file", "Read settings from this .env file (default ./.env).", "file");
    opt("print-env-keys", "Print the environment variables the app reads, one per line.");
    opt("migrate-only", "Apply the database migrations and exit.");
    // Price alerts (pipeline/alerts).
    opt("alert", "Price alert rule, repeatable: SYMBOL>PRICE, SYMBOL<PRICE or SYMBOL%WINDOW>PERCENT "
                 "(e.g. BTC>50000, ETH<2000, AAPL%5m>2); triggers go to the alerts table and the log.", "spec");
    // Retention (issue 14): background deletes of old raw ticks and 1 s candles.
    opt("retain-ticks", "Keep raw ticks this many days, 0 = forever (default 2).", "days");
    opt("retain-1s-candles", "Keep 1 s candles this many days, 0 = forever (default 2); coarser candles are kept forever.",
        "days");
    opt("retention-first-pass", "Seconds after the start before the first retention pass (default 30; benchmarks use a few).",
        "seconds");
    opt("retention-every", "Seconds between retention passes (default 600).", "seconds");
    // The window's own (CliOptions::window, handed to runDesktop()).
    opt("start", "Window: start the pipeline at launch (or MS_AUTOSTART=1).");
    opt("screenshot", "Window: save a PNG of the main window and quit (or MS_SCREENSHOT).", "file");
    opt("screenshot-after", "Window: seconds to wait before the screenshot (default 5).", "seconds");
    opt("settings-file", "Window: use this settings file instead of the user's (or MS_SETTINGS_FILE).", "file");
    // Prometheus metrics (pipeline/metrics_http).
    opt("metrics-port", "Serve Prometheus metrics at http://ADDR:N/metrics (0: any free port, logged).", "n");
    opt("metrics-bind", "Address the metrics server listens on (default 127.0.0.1; 0.0.0.0 for every interface).",
        "addr");

    CliOptions out;
    out.helpText = helpWithUsageLine(p.helpText());
    if (!p.parse(arguments))
        return makeError(p.errorText() + QStringLiteral(" (see --help)"));
    if (!p.positionalArguments().isEmpty())
        return makeError(QStringLiteral("unexpected argument '%1' (see --help)").arg(p.positionalArguments().first()));
    out.showHelp = p.isSet(QStringLiteral("help"));
    out.showVersion = p.isSet(QStringLiteral("version"));
    out.printEnvKeys = p.isSet(QStringLiteral("print-env-keys"));
    out.migrateOnly = p.isSet(QStringLiteral("migrate-only"));
    out.headless = p.isSet(QStringLiteral("headless"));

    PipelineConfig &c = out.config;
    if (p.isSet(QStringLiteral("env-file")) && !QFileInfo(p.value(QStringLiteral("env-file"))).isFile())
        return makeError(QStringLiteral("--env-file '%1' is not a readable file").arg(p.value(QStringLiteral("env-file"))));
    c = configFromEnvironment(p.isSet(QStringLiteral("env-file")) ? p.value(QStringLiteral("env-file"))
                                                                   : QStringLiteral(".env"));
    auto has = [&](const char *n) { return p.isSet(QString::fromLatin1(n)); };
    auto val = [&](const char *n) { return p.value(QString::fromLatin1(n)); };

    if (has("source")) {
        c.sources.clear();
        c.runProducers = true;
        const QStringList values = p.values(QStringLiteral("source"));
        for (const QString &v : values) {
            const QStringList parts = v.split(u',', Qt::SkipEmptyParts);
            for (const QString &raw : parts) {
                const QString s = raw.trimmed();
                if (s == QStringLiteral("none"))
                    continue;
                if (s.startsWith(QStringLiteral("replay:"))) {
                    const QString path = s.mid(7);
                    if (path.isEmpty())
                        return makeError(QStringLiteral("--source replay:FILE needs a file"));
                    if (const QFileInfo fi(path); !fi.isFile() || !fi.isReadable())
                        return makeError(QStringLiteral("--source replay:%1: no such readable file").arg(path));
                    c.sources.append(SourceSpec{QStringLiteral("replay"), path});
                    continue;
                }
                if (!knownSourceTypes().contains(s) || s == QLatin1String("replay"))
                    return makeError(QStringLiteral("unknown source '%1' (%2)").arg(s.left(40), sourceChoices()));
                c.sources.append(SourceSpec{s, {}});
            }
        }
        if (c.sources.isEmpty())
            c.runProducers = false;
    }
    if (has("no-consumer"))
        c.runConsumers = false;
    if (!c.runProducers && !c.runConsumers)
        return makeError(QStringLiteral("--source none with --no-consumer leaves nothing to run"));
    if (has("consumers")) {
        auto n = wholeNumber(QStringLiteral("consumers"), val("consumers"), 1, 64);
        if (!n) return n.error();
        c.consumers = int(*n);
    }
    if (has("group"))
        c.consumerGroup = val("group");
    if (has("seed")) {
        bool ok = false;
        c.seed = val("seed").toULongLong(&ok);
        if (!ok)
            return makeError(QStringLiteral("--seed needs a whole number, got '%1'").arg(val("seed")));
    }
    // The window reseeds each Start unless a seed was given (same seed = same trade ids, so a second
    // Start would only produce duplicates); a headless run is reproducible by default.
    c.freshSeedPerStart = !out.headless && !has("seed");
    if (has("rate")) {
        auto n = number(QStringLiteral("rate"), val("rate"), 0, 1e9);
        if (!n) return n.error();
        c.rate = *n;
    }
    if (has("max-ticks")) {
        auto n = wholeNumber(QStringLiteral("max-ticks"), val("max-ticks"), 1, 1'000'000'000'000'000LL);
        if (!n) return n.error();
        c.maxTicks = *n;
    }
    if (has("start-time")) {
        auto t = timeArg(val("start-time"));
        if (!t) return t.error();
        c.startTimeMs = *t;
    }
    if (has("duration")) {
        auto n = number(QStringLiteral("duration"), val("duration"), 0.001, 1e9);
        if (!n) return n.error();
        out.durationSec = *n;
    }
    if (has("idle-exit")) {
        auto n = number(QStringLiteral("idle-exit"), val("idle-exit"), 0.001, 1e9);
        if (!n) return n.error();
        c.idleExitMs = qint64(*n * 1000);
    }
    if (has("kafka-timeout")) {
        auto n = number(QStringLiteral("kafka-timeout"), val("kafka-timeout"), 0.1, 600);
        if (!n) return n.error();
        c.kafkaConnectTimeoutMs = int(*n * 1000);
    }
    if (has("kafka"))
        c.kafkaBootstrap = val("kafka") == QStringLiteral("embedded") ? QString() : val("kafka");
    if (has("partitions")) {
        auto n = wholeNumber(QStringLiteral("partitions"), val("partitions"), 1, 1024);
        if (!n) return n.error();
        c.embeddedPartitions = int(*n);
    }
    if (has("crypto-topic")) c.cryptoTopic = val("crypto-topic");
    if (has("stock-topic")) c.stockTopic = val("stock-topic");
    if (has("db")) {
        if (auto url = DatabaseUrl::parse(val("db")); !url)
            return url.error();  // its message never shows the password
        c.databaseUrl = val("db");
    }
    auto list = [](const QString &s) {
        QStringList out;
        const QStringList parts = s.split(u',', Qt::SkipEmptyParts);
        for (const QString &x : parts)
            out.append(x.trimmed());
        return out;
    };
    if (has("crypto-symbols")) {
        c.cryptoSymbols = list(val("crypto-symbols"));
        if (auto st = checkSymbols(QStringLiteral("crypto-symbols"), c.cryptoSymbols); !st) return st.error();
    }
    if (has("stock-symbols")) {
        c.stockSymbols = list(val("stock-symbols"));
        if (auto st = checkSymbols(QStringLiteral("stock-symbols"), c.stockSymbols); !st) return st.error();
    }
    if (has("symbols")) {
        QStringList crypto, stock;
        bool onlyCryptoSources = true, onlyStockSources = true;
        for (const SourceSpec &s : c.sources) {
            onlyCryptoSources &= s.type.startsWith(QStringLiteral("cryptocompare"));
            onlyStockSources &= s.type.startsWith(QStringLiteral("finnhub"));
        }
        const QStringList symbols = list(val("symbols"));
        for (const QString &s : symbols) {
            if (s.startsWith(QStringLiteral("crypto:")))
                crypto.append(s.mid(7));
            else if (s.startsWith(QStringLiteral("stock:")))
                stock.append(s.mid(6));
            else if (onlyCryptoSources && !c.sources.isEmpty())
                crypto.append(s);
            else if (onlyStockSources && !c.sources.isEmpty())
                stock.append(s);
            else if (kKnownCrypto.contains(s.toUpper()) || s.contains(u':'))
                crypto.append(s);
            else
                stock.append(s);
        }
        if (auto st = checkSymbols(QStringLiteral("symbols"), crypto + stock); !st) return st.error();
        c.cryptoSymbols = crypto;
        c.stockSymbols = stock;
    }
    if (has("currency")) {
        const std::string problem = currencyProblem(val("currency").toStdString());
        if (!problem.empty())
            return makeError(QStringLiteral("--currency '%1' refused: %2").arg(val("currency").left(40), QString::fromStdString(problem)));
        c.currency = val("currency");
    }
    if (has("intervals")) {
        auto iv = parseIntervals(val("intervals"));
        if (!iv) return iv.error();
        c.candleIntervalsSec = *iv;
    }
    if (has("lateness")) {
        auto n = number(QStringLiteral("lateness"), val("lateness"), 0, 1e6);
        if (!n) return n.error();
        c.allowedLatenessMs = qint64(*n * 1000);
    }
    if (has("replay-speed")) {
        auto n = number(QStringLiteral("replay-speed"), val("replay-speed"), 0, 1e6);
        if (!n) return n.error();
        c.replaySpeed = *n;
    }
    if (has("record")) c.recordFile = val("record");
    if (has("poll-interval")) {
        auto n = number(QStringLiteral("poll-interval"), val("poll-interval"), 0.05, 86400);
        if (!n) return n.error();
        c.pollIntervalMs = int(*n * 1000);
    }
    // Retention (issue 14).
    if (has("retain-ticks")) {
        auto n = wholeNumber(QStringLiteral("retain-ticks"), val("retain-ticks"), 0, 36'500);
        if (!n) return n.error();
        c.retainTicksDays = int(*n);
    }
    if (has("retain-1s-candles")) {
        auto n = wholeNumber(QStringLiteral("retain-1s-candles"), val("retain-1s-candles"), 0, 36'500);
        if (!n) return n.error();
        c.retainOneSecondCandlesDays = int(*n);
    }
    if (has("retention-first-pass")) {
        auto n = number(QStringLiteral("retention-first-pass"), val("retention-first-pass"), 0, 86'400);
        if (!n) return n.error();
        c.retentionFirstPassMs = qint64(*n * 1000);
    }
    if (has("retention-every")) {
        auto n = number(QStringLiteral("retention-every"), val("retention-every"), 0.1, 86'400);
        if (!n) return n.error();
        c.retentionEveryMs = qint64(*n * 1000);
    }
    if (has("cryptocompare-url")) c.cryptoCompareUrl = val("cryptocompare-url");
    if (has("cryptocompare-ws-url")) c.cryptoCompareWsUrl = val("cryptocompare-ws-url");
    if (has("finnhub-url")) c.finnhubUrl = val("finnhub-url");
    if (has("finnhub-ws-url")) c.finnhubWsUrl = val("finnhub-ws-url");
    // Price alerts: every --alert must parse; the config keeps them as given (the pipeline parses again).
    if (has("alert")) {
        const QStringList specs = p.values(QStringLiteral("alert"));
        if (auto rules = parseAlertRules(specs); !rules)
            return makeError(QStringLiteral("--alert: ") + rules.errorMessage());
        c.alertRules = specs;
    }

    // The window's own; each has an environment form for scripts, which the command line overrides.
    DesktopOptions &w = out.window;
    w.start = has("start") || qEnvironmentVariable("MS_AUTOSTART") == QLatin1String("1");
    w.screenshotFile = has("screenshot") ? val("screenshot") : qEnvironmentVariable("MS_SCREENSHOT");
    w.settingsFile = has("settings-file") ? val("settings-file") : qEnvironmentVariable("MS_SETTINGS_FILE");
    if (has("screenshot-after")) {
        auto n = number(QStringLiteral("screenshot-after"), val("screenshot-after"), 0, 3600);
        if (!n) return n.error();
        w.screenshotAfterSec = *n;
    } else if (qEnvironmentVariableIsSet("MS_SCREENSHOT_AFTER")) {
        bool ok = false;
        const double v = qEnvironmentVariable("MS_SCREENSHOT_AFTER").toDouble(&ok);
        if (ok && std::isfinite(v) && v >= 0 && v <= 3600)
            w.screenshotAfterSec = v;
    }
    // Prometheus metrics.
    if (has("metrics-port")) {
        auto n = wholeNumber(QStringLiteral("metrics-port"), val("metrics-port"), 0, 65535);
        if (!n) return n.error();
        out.metricsPort = int(*n);
    }
    if (has("metrics-bind")) {
        if (QHostAddress address; !address.setAddress(val("metrics-bind")))
            return makeError(QStringLiteral("--metrics-bind needs an IP address, got '%1'").arg(val("metrics-bind").left(60)));
        out.metricsBind = val("metrics-bind");
    }
    return out;
}

}  // namespace ms
