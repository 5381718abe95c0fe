#pragma once
// Everything a pipeline run needs, filled from (later wins): defaults, the .env file, the process
// environment, the settings dialog (QSettings) and the command line.
// Secrets (API keys, database password) live here in memory only; never log this struct.
#include "model/result.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace ms {

struct SourceSpec
{
    // "simulator", "replay", "cryptocompare", "cryptocompare-ws", "finnhub", "finnhub-ws"
    QString type;
    QString path;  // replay file (for "replay")
};

// A few ticks per second per symbol, like the providers' trade streams (issue 14).
constexpr double kDefaultSimulatorTicksPerSymbol = 4;

struct PipelineConfig
{
    // Kafka
    QString kafkaBootstrap;             // empty = embedded mock cluster
    QMap<QString, QString> kafkaProps;  // extra librdkafka properties (security.protocol, sasl.*, ...)
    QString cryptoTopic = QStringLiteral("crypto_topic");
    QString stockTopic = QStringLiteral("stock_topic");
    int embeddedPartitions = 6;
    // One mock broker: a second and third only added threads and connections in this process
    // (measured: 1M ticks 5–15 % faster with one); replication means nothing in-process.
    int embeddedBrokers = 1;
    QString consumerGroup = QStringLiteral("marketstream");
    // How long the start may wait for an external cluster's first answer before it is "unreachable"
    // (a Stop or a signal ends the wait at once).
    int kafkaConnectTimeoutMs = 10000;
    // Consumer instances (threads) in this process; 0 = automatic: 2 on the embedded broker with
    // PostgreSQL (they split its partitions without a group join, and two server backends share
    // the write work and each other's commit waits), else 1 (SQLite has one writer; on a cluster,
    // scale with more instances in the group, each joining costs a rebalance).
    int consumers = 0;

    // Database: libpq URI (postgresql://...) or sqlite:///path. Empty = default SQLite file.
    QString databaseUrl;

    // What runs in this process.
    bool runProducers = true;
    bool runConsumers = true;
    QList<SourceSpec> sources{SourceSpec{QStringLiteral("simulator"), {}}};

    // Symbols (the original pipeline's defaults).
    QStringList cryptoSymbols{QStringLiteral("BTC"), QStringLiteral("ETH"), QStringLiteral("BNB")};
    QStringList stockSymbols{QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("GOOGL")};
    QString currency = QStringLiteral("USD");

    // Simulator
    quint64 seed = 42;
    // The desktop app sets this unless a seed was given: each Start then simulates a new market
    // (same seed = same trade ids, so a second Start would only produce duplicates of the first).
    bool freshSeedPerStart = false;
    // Ticks/s over all symbols; <= 0 means as fast as possible. The default is a real feed's pace
    // on a desktop: 4 ticks/s per symbol for the six default symbols (`--rate` for load tests).
    double rate = kDefaultSimulatorTicksPerSymbol * 6;
    qint64 maxTicks = 0;                 // 0 = unbounded
    std::optional<qint64> startTimeMs;   // fixed event-time origin → byte-identical ticks

    // Replay
    double replaySpeed = 1.0;            // 0 = as fast as possible
    QString recordFile;                  // if set, every produced tick is appended as JSONL

    // Provider endpoints and keys (keys never logged)
    QString cryptoCompareUrl = QStringLiteral("https://min-api.cryptocompare.com");
    QString cryptoCompareWsUrl = QStringLiteral("wss://streamer.cryptocompare.com/v2");
    QString finnhubUrl = QStringLiteral("https://finnhub.io/api/v1");
    QString finnhubWsUrl = QStringLiteral("wss://ws.finnhub.io");
    QString cryptoCompareApiKey;
    QString finnhubApiKey;
    int pollIntervalMs = 10000;

    // Processing
    QList<int> candleIntervalsSec{1, 60, 300, 3600};
    qint64 allowedLatenessMs = 10000;
    int smaPeriod = 20;
    int emaPeriod = 20;

    // Headless run control
    qint64 idleExitMs = 0;               // consumers only: stop after this long with nothing new

    // Price alerts (pipeline/alerts): rule specs such as BTC>50000, ETH<2000, AAPL%5m>2, evaluated by
    // the consumers on the ticks they store (headless --alert, the app's Alerts panel).
    QStringList alertRules;
    // Retention (issue 14): raw ticks and 1 s candles older than this many days are deleted in
    // the background (runtime/retention_worker.h); 0 = kept forever. Coarser candles, late ticks,
    // alerts and feed gaps are never deleted. Defaults: ~1 GB of SQLite at the desktop simulator
    // rate (the arithmetic is in the README's Retention section).
    int retainTicksDays = 2;
    int retainOneSecondCandlesDays = 2;
    qint64 retentionFirstPassMs = 30'000;     // after the start (the first minute belongs to catching up)
    qint64 retentionEveryMs = 10 * 60'000;
};

// Parses KEY=VALUE lines (comments, blank lines, optional quotes, "export " prefix).
QMap<QString, QString> parseDotEnv(const QString &text);

// Applies the environment-style keys (KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL, POSTGRES_HOST/PORT/DB/
// USER/PASSWORD, CRYPTOCOMPARE_API_KEY, FINNHUB_API_KEY, ...) to config.
void applyEnvironment(PipelineConfig &config, const QMap<QString, QString> &env);

// Every environment key applyEnvironment() reads (for --print-env-keys and the packaging tests).
QStringList environmentKeys();

// Loads ./.env (if present) then the process environment on top of the defaults.
PipelineConfig configFromEnvironment(const QString &dotEnvPath = QStringLiteral(".env"));

// The default SQLite file under the user's data directory.
QString defaultDatabaseUrl();

// A URL with the password (and any api_key/token query item) replaced by "***", for logs.
QString redactUrl(const QString &url);

}  // namespace ms
