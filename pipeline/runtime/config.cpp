#include "runtime/config.h"

#include "storage/database_url.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

namespace ms {

QMap<QString, QString> parseDotEnv(const QString &text)
{
    QMap<QString, QString> out;
    const QStringList lines = text.split(u'\n');
    for (QString line : lines) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.startsWith(QStringLiteral("export ")))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            continue;
        const QString key = line.left(eq).trimmed();
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && (value.startsWith(u'"') || value.startsWith(u'\'')) && value.endsWith(value.front())) {
            value = value.mid(1, value.size() - 2);
        } else {
            // Unquoted: a " #" starts a comment.
            const qsizetype hash = value.indexOf(QStringLiteral(" #"));
            if (hash >= 0)
                value = value.left(hash).trimmed();
        }
        out.insert(key, value);
    }
    return out;
}

namespace {
QStringList splitList(const QString &s)
{
    QStringList out;
    const QStringList parts = s.split(u',', Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        const QString t = p.trimmed();
        if (!t.isEmpty())
            out.append(t);
    }
    return out;
}
}  // namespace

void applyEnvironment(PipelineConfig &c, const QMap<QString, QString> &env)
{
    auto get = [&](const char *key) { return env.value(QLatin1String(key)); };
    auto has = [&](const char *key) { return !env.value(QLatin1String(key)).isEmpty(); };

    if (has("KAFKA_BOOTSTRAP_SERVERS")) {
        const QString v = get("KAFKA_BOOTSTRAP_SERVERS");
        c.kafkaBootstrap = v == QStringLiteral("embedded") ? QString() : v;
    }
    if (has("KAFKA_SECURITY_PROTOCOL"))
        c.kafkaProps.insert(QStringLiteral("security.protocol"), get("KAFKA_SECURITY_PROTOCOL"));
    if (has("KAFKA_SASL_MECHANISM"))
        c.kafkaProps.insert(QStringLiteral("sasl.mechanism"), get("KAFKA_SASL_MECHANISM"));
    if (has("KAFKA_SASL_USERNAME"))
        c.kafkaProps.insert(QStringLiteral("sasl.username"), get("KAFKA_SASL_USERNAME"));
    if (has("KAFKA_SASL_PASSWORD"))
        c.kafkaProps.insert(QStringLiteral("sasl.password"), get("KAFKA_SASL_PASSWORD"));
    if (has("KAFKA_CRYPTO_TOPIC"))
        c.cryptoTopic = get("KAFKA_CRYPTO_TOPIC");
    if (has("KAFKA_STOCK_TOPIC"))
        c.stockTopic = get("KAFKA_STOCK_TOPIC");
    if (has("KAFKA_CONSUMER_GROUP"))
        c.consumerGroup = get("KAFKA_CONSUMER_GROUP");

    if (has("DATABASE_URL")) {
        c.databaseUrl = get("DATABASE_URL");
    } else if (has("POSTGRES_HOST")) {
        // The original pipeline's variables.
        QUrl url;
        url.setScheme(QStringLiteral("postgresql"));
        url.setHost(get("POSTGRES_HOST"));
        url.setPort(has("POSTGRES_PORT") ? get("POSTGRES_PORT").toInt() : 5432);
        url.setPath(u'/' + (has("POSTGRES_DB") ? get("POSTGRES_DB") : QStringLiteral("postgres")));
        if (has("POSTGRES_USER"))
            url.setUserName(get("POSTGRES_USER"));
        if (has("POSTGRES_PASSWORD"))
            url.setPassword(get("POSTGRES_PASSWORD"));
        c.databaseUrl = url.toString(QUrl::FullyEncoded);
    }
    if (has("CRYPTOCOMPARE_API_KEY"))
        c.cryptoCompareApiKey = get("CRYPTOCOMPARE_API_KEY");
    if (has("FINNHUB_API_KEY"))
        c.finnhubApiKey = get("FINNHUB_API_KEY");
    if (has("MARKETSTREAM_CRYPTO_SYMBOLS"))
        c.cryptoSymbols = splitList(get("MARKETSTREAM_CRYPTO_SYMBOLS"));
    if (has("MARKETSTREAM_STOCK_SYMBOLS"))
        c.stockSymbols = splitList(get("MARKETSTREAM_STOCK_SYMBOLS"));
}

QStringList environmentKeys()
{
    return {QStringLiteral("KAFKA_BOOTSTRAP_SERVERS"), QStringLiteral("KAFKA_SECURITY_PROTOCOL"),
            QStringLiteral("KAFKA_SASL_MECHANISM"),    QStringLiteral("KAFKA_SASL_USERNAME"),
            QStringLiteral("KAFKA_SASL_PASSWORD"),     QStringLiteral("KAFKA_CRYPTO_TOPIC"),
            QStringLiteral("KAFKA_STOCK_TOPIC"),       QStringLiteral("KAFKA_CONSUMER_GROUP"),
            QStringLiteral("DATABASE_URL"),            QStringLiteral("POSTGRES_HOST"),
            QStringLiteral("POSTGRES_PORT"),           QStringLiteral("POSTGRES_DB"),
            QStringLiteral("POSTGRES_USER"),           QStringLiteral("POSTGRES_PASSWORD"),
            QStringLiteral("CRYPTOCOMPARE_API_KEY"),   QStringLiteral("FINNHUB_API_KEY"),
            QStringLiteral("MARKETSTREAM_CRYPTO_SYMBOLS"), QStringLiteral("MARKETSTREAM_STOCK_SYMBOLS")};
}

PipelineConfig configFromEnvironment(const QString &dotEnvPath)
{
    PipelineConfig c;
    QFile f(dotEnvPath);
    if (!dotEnvPath.isEmpty() && f.open(QIODevice::ReadOnly | QIODevice::Text))
        applyEnvironment(c, parseDotEnv(QString::fromUtf8(f.readAll())));
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QMap<QString, QString> map;
    const QStringList keys = env.keys();
    for (const QString &k : keys)
        map.insert(k, env.value(k));
    applyEnvironment(c, map);
    return c;
}

QString defaultDatabaseUrl()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/marketstream");
    return QStringLiteral("sqlite://") + dir + QStringLiteral("/marketstream.db");
}

QString redactUrl(const QString &text)
{
    // A PostgreSQL URL: libpq decides what is secret (DatabaseUrl::redacted). One it refuses is
    // still redacted below, by the generic rules, since its text may be shown in the error.
    if (const auto pg = DatabaseUrl::parse(text); pg && pg->isPostgres())
        return pg->redacted();
    QUrl url(text);
    if (!url.isValid() || url.scheme().isEmpty())
        return text;
    if (!url.password().isEmpty())
        url.setPassword(QStringLiteral("***"));
    QUrlQuery q(url);
    const auto items = q.queryItems();
    bool changed = false;
    for (const auto &[k, v] : items) {
        const QString lk = k.toLower();
        if (lk == QStringLiteral("api_key") || lk == QStringLiteral("apikey") || lk == QStringLiteral("token")
            || isLibpqSecretKeyword(lk)) {
            q.removeAllQueryItems(k);
            q.addQueryItem(k, QStringLiteral("***"));
            changed = true;
        }
    }
    if (changed)
        url.setQuery(q);
    return url.toString();
}

}  // namespace ms
