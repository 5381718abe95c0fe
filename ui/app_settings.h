#pragma once
// What the Settings dialog edits, persisted with QSettings (group "pipeline/"). Secrets (API keys,
// database and SASL passwords) are NOT written by save(): they go through SecretStore.
// applyTo() overlays the saved choices on the configuration the app started with; it is called on
// every Start, so edits take effect on the next Start.
#include "runtime/config.h"

#include <QMap>
#include <QString>
#include <QStringList>

class QSettings;

namespace ms::ui {

struct AppSettings
{
    bool saved = false;  // false until the user pressed OK once: then applyTo() changes nothing

    // Sources
    QStringList sources{QStringLiteral("simulator")};  // SourceSpec types
    QString replayPath;
    double simulatorRate = kDefaultSimulatorTicksPerSymbol * 6;  // PipelineConfig's default
    QStringList cryptoSymbols{QStringLiteral("BTC"), QStringLiteral("ETH"), QStringLiteral("BNB")};
    QStringList stockSymbols{QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("GOOGL")};
    QList<int> candleIntervalsSec{1, 60, 300, 3600};

    // Kafka
    bool kafkaEmbedded = true;
    QString kafkaBootstrap;
    QString securityProtocol;  // empty = librdkafka default (plaintext)
    QString saslMechanism;
    QString saslUsername;
    QString saslPassword;      // secret

    // Database
    bool databaseSqlite = true;
    QString sqlitePath;        // empty = the default file
    QString pgHost = QStringLiteral("localhost");
    int pgPort = 5432;
    QString pgDatabase = QStringLiteral("marketstream");
    QString pgUser = QStringLiteral("postgres");
    QString pgPassword;        // secret

    // Providers (secrets)
    QString cryptoCompareApiKey;
    QString finnhubApiKey;

    // Charts
    int historyPointsPerSymbol = 200000;

    // Retention (issue 14): days kept, 0 = forever (PipelineConfig::retainTicksDays & co.).
    int retainTicksDays = PipelineConfig{}.retainTicksDays;
    int retainOneSecondCandlesDays = PipelineConfig{}.retainOneSecondCandlesDays;

    // Fills the fields from a configuration (the dialog's starting point before anything is saved).
    static AppSettings fromConfig(const PipelineConfig &config);

    void load(const QSettings &settings);       // secrets untouched
    void save(QSettings &settings) const;       // never writes secrets
    void applyTo(PipelineConfig &config) const;

    // The database URL these fields describe (password included: never log it).
    QString databaseUrl() const;

    // Secrets by their environment names (CRYPTOCOMPARE_API_KEY, FINNHUB_API_KEY, POSTGRES_PASSWORD,
    // KAFKA_SASL_PASSWORD), for SecretStore.
    QMap<QString, QString> secrets() const;
    void setSecrets(const QMap<QString, QString> &secrets);
    static QStringList secretNames();

    // Price alert rules of the Alerts panel (key "alerts/rules"), saved as they change, independent
    // of the Settings dialog's OK; every Start runs them.
    static QStringList loadAlertRules(const QSettings &settings);
    static void saveAlertRules(QSettings &settings, const QStringList &rules);
};

}  // namespace ms::ui
