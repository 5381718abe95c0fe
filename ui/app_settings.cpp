#include "app_settings.h"

#include "storage/database_url.h"

#include <QSettings>

#include <algorithm>

namespace ms::ui {

namespace {
const QString kGroup = QStringLiteral("pipeline");

QStringList splitList(const QVariant &v, const QStringList &fallback)
{
    if (!v.isValid())
        return fallback;
    QStringList out;
    const QStringList parts = v.toString().split(u',', Qt::SkipEmptyParts);
    for (const QString &p : parts)
        if (!p.trimmed().isEmpty())
            out << p.trimmed();
    return out;
}
}  // namespace

QStringList AppSettings::secretNames()
{
    return {QStringLiteral("CRYPTOCOMPARE_API_KEY"), QStringLiteral("FINNHUB_API_KEY"),
            QStringLiteral("POSTGRES_PASSWORD"), QStringLiteral("KAFKA_SASL_PASSWORD")};
}

AppSettings AppSettings::fromConfig(const PipelineConfig &c)
{
    AppSettings s;
    s.sources.clear();
    for (const SourceSpec &spec : c.sources) {
        s.sources << spec.type;
        if (spec.type == QLatin1String("replay"))
            s.replayPath = spec.path;
    }
    s.simulatorRate = c.rate;
    s.cryptoSymbols = c.cryptoSymbols;
    s.stockSymbols = c.stockSymbols;
    s.candleIntervalsSec = c.candleIntervalsSec;
    s.kafkaEmbedded = c.kafkaBootstrap.isEmpty();
    s.kafkaBootstrap = c.kafkaBootstrap;
    s.securityProtocol = c.kafkaProps.value(QStringLiteral("security.protocol"));
    s.saslMechanism = c.kafkaProps.value(QStringLiteral("sasl.mechanism"));
    s.saslUsername = c.kafkaProps.value(QStringLiteral("sasl.username"));
    s.saslPassword = c.kafkaProps.value(QStringLiteral("sasl.password"));
    const auto url = DatabaseUrl::parse(c.databaseUrl.isEmpty() ? defaultDatabaseUrl() : c.databaseUrl);
    if (url.ok()) {
        s.databaseSqlite = url->isSqlite();
        if (url->isSqlite()) {
            s.sqlitePath = url->sqlitePath;
        } else {
            s.pgHost = url->host;
            s.pgPort = url->port;
            s.pgDatabase = url->database;
            s.pgUser = url->user;
            s.pgPassword = url->password;
        }
    }
    s.cryptoCompareApiKey = c.cryptoCompareApiKey;
    s.finnhubApiKey = c.finnhubApiKey;
    s.retainTicksDays = c.retainTicksDays;
    s.retainOneSecondCandlesDays = c.retainOneSecondCandlesDays;
    return s;
}

void AppSettings::load(const QSettings &q)
{
    auto v = [&](const char *key) { return q.value(kGroup + u'/' + QLatin1String(key)); };
    saved = v("saved").toBool();
    if (!saved)
        return;
    sources = splitList(v("sources"), sources);
    replayPath = v("replayPath").toString();
    simulatorRate = v("simulatorRate").toDouble();
    cryptoSymbols = splitList(v("cryptoSymbols"), {});
    stockSymbols = splitList(v("stockSymbols"), {});
    candleIntervalsSec.clear();
    const QStringList intervals = splitList(v("candleIntervalsSec"), {QStringLiteral("60")});
    for (const QString &i : intervals)
        if (i.toInt() > 0)
            candleIntervalsSec << i.toInt();
    kafkaEmbedded = v("kafkaEmbedded").toBool();
    kafkaBootstrap = v("kafkaBootstrap").toString();
    securityProtocol = v("securityProtocol").toString();
    saslMechanism = v("saslMechanism").toString();
    saslUsername = v("saslUsername").toString();
    databaseSqlite = v("databaseSqlite").toBool();
    sqlitePath = v("sqlitePath").toString();
    pgHost = v("pgHost").toString();
    pgPort = v("pgPort").toInt();
    pgDatabase = v("pgDatabase").toString();
    pgUser = v("pgUser").toString();
    historyPointsPerSymbol = std::max(1000, v("historyPointsPerSymbol").toInt());
    // Retention: absent in settings saved before it existed (keep the defaults then).
    if (const QVariant d = v("retainTicksDays"); d.isValid())
        retainTicksDays = std::clamp(d.toInt(), 0, 36500);
    if (const QVariant d = v("retainOneSecondCandlesDays"); d.isValid())
        retainOneSecondCandlesDays = std::clamp(d.toInt(), 0, 36500);
}

void AppSettings::save(QSettings &q) const
{
    auto set = [&](const char *key, const QVariant &value) { q.setValue(kGroup + u'/' + QLatin1String(key), value); };
    QStringList intervals;
    for (int i : candleIntervalsSec)
        intervals << QString::number(i);
    set("saved", true);
    set("sources", sources.join(u','));
    set("replayPath", replayPath);
    set("simulatorRate", simulatorRate);
    set("cryptoSymbols", cryptoSymbols.join(u','));
    set("stockSymbols", stockSymbols.join(u','));
    set("candleIntervalsSec", intervals.join(u','));
    set("kafkaEmbedded", kafkaEmbedded);
    set("kafkaBootstrap", kafkaBootstrap);
    set("securityProtocol", securityProtocol);
    set("saslMechanism", saslMechanism);
    set("saslUsername", saslUsername);
    set("databaseSqlite", databaseSqlite);
    set("sqlitePath", sqlitePath);
    set("pgHost", pgHost);
    set("pgPort", pgPort);
    set("pgDatabase", pgDatabase);
    set("pgUser", pgUser);
    set("historyPointsPerSymbol", historyPointsPerSymbol);
    set("retainTicksDays", retainTicksDays);
    set("retainOneSecondCandlesDays", retainOneSecondCandlesDays);
    // Secrets are deliberately absent: SecretStore keeps them (keychain, else .env).
}

QString AppSettings::databaseUrl() const
{
    DatabaseUrl url;
    if (databaseSqlite) {
        if (sqlitePath.trimmed().isEmpty())
            return defaultDatabaseUrl();
        url.backend = DatabaseUrl::Backend::Sqlite;
        url.sqlitePath = sqlitePath.trimmed();
    } else {
        url.backend = DatabaseUrl::Backend::Postgres;
        url.host = pgHost.trimmed();
        url.port = pgPort;
        url.database = pgDatabase.trimmed();
        url.user = pgUser.trimmed();
        url.password = pgPassword;
    }
    return url.toString();
}

void AppSettings::applyTo(PipelineConfig &c) const
{
    if (!saved) {
        // Secrets may still come from the keychain even before settings were saved once.
        if (!cryptoCompareApiKey.isEmpty())
            c.cryptoCompareApiKey = cryptoCompareApiKey;
        if (!finnhubApiKey.isEmpty())
            c.finnhubApiKey = finnhubApiKey;
        return;
    }
    c.sources.clear();
    for (const QString &type : sources)
        c.sources << SourceSpec{type, type == QLatin1String("replay") ? replayPath : QString()};
    c.rate = simulatorRate;
    c.retainTicksDays = retainTicksDays;
    c.retainOneSecondCandlesDays = retainOneSecondCandlesDays;
    c.cryptoSymbols = cryptoSymbols;
    c.stockSymbols = stockSymbols;
    if (!candleIntervalsSec.isEmpty())
        c.candleIntervalsSec = candleIntervalsSec;
    c.kafkaBootstrap = kafkaEmbedded ? QString() : kafkaBootstrap.trimmed();
    auto prop = [&](const QString &key, const QString &value) {
        if (value.isEmpty())
            c.kafkaProps.remove(key);
        else
            c.kafkaProps.insert(key, value);
    };
    prop(QStringLiteral("security.protocol"), kafkaEmbedded ? QString() : securityProtocol);
    prop(QStringLiteral("sasl.mechanism"), kafkaEmbedded ? QString() : saslMechanism);
    prop(QStringLiteral("sasl.username"), kafkaEmbedded ? QString() : saslUsername);
    prop(QStringLiteral("sasl.password"), kafkaEmbedded ? QString() : saslPassword);
    c.databaseUrl = databaseUrl();
    if (!cryptoCompareApiKey.isEmpty())
        c.cryptoCompareApiKey = cryptoCompareApiKey;
    if (!finnhubApiKey.isEmpty())
        c.finnhubApiKey = finnhubApiKey;
}

QMap<QString, QString> AppSettings::secrets() const
{
    return {{QStringLiteral("CRYPTOCOMPARE_API_KEY"), cryptoCompareApiKey},
            {QStringLiteral("FINNHUB_API_KEY"), finnhubApiKey},
            {QStringLiteral("POSTGRES_PASSWORD"), pgPassword},
            {QStringLiteral("KAFKA_SASL_PASSWORD"), saslPassword}};
}

void AppSettings::setSecrets(const QMap<QString, QString> &s)
{
    cryptoCompareApiKey = s.value(QStringLiteral("CRYPTOCOMPARE_API_KEY"), cryptoCompareApiKey);
    finnhubApiKey = s.value(QStringLiteral("FINNHUB_API_KEY"), finnhubApiKey);
    pgPassword = s.value(QStringLiteral("POSTGRES_PASSWORD"), pgPassword);
    saslPassword = s.value(QStringLiteral("KAFKA_SASL_PASSWORD"), saslPassword);
}

QStringList AppSettings::loadAlertRules(const QSettings &settings)
{
    return settings.value(QStringLiteral("alerts/rules")).toStringList();
}

void AppSettings::saveAlertRules(QSettings &settings, const QStringList &rules)
{
    settings.setValue(QStringLiteral("alerts/rules"), rules);
    settings.sync();
}

}  // namespace ms::ui
