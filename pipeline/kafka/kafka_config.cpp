#include "kafka/kafka_config.h"

#include <QLoggingCategory>

#include <cstring>

Q_LOGGING_CATEGORY(lcKafka, "ms.kafka")

namespace ms::kafka {

bool isSecretProperty(const QString &name)
{
    const QString n = name.toLower();
    return n.contains(u"password") || n.contains(u"secret") || n.contains(u"jaas")
        || n.contains(u"token") || n.contains(u"key.pem") || n.contains(u"certificate.pem")
        || n.contains(u"api.key") || n.endsWith(u".key");
}

namespace {

void logToQt(const rd_kafka_t *rk, int level, const char *facility, const char *message)
{
    const QString text = QStringLiteral("%1 %2: %3")
                             .arg(QString::fromUtf8(rk ? rd_kafka_name(rk) : "rdkafka"), QString::fromUtf8(facility),
                                  QString::fromUtf8(message));
    if (level <= 4)  // syslog levels: 4 = warning
        qCWarning(lcKafka).noquote() << text;
    else if (level <= 6)
        qCInfo(lcKafka).noquote() << text;
    else
        qCDebug(lcKafka).noquote() << text;
}

void logToQtButBrokerFailures(const rd_kafka_t *rk, int level, const char *facility, const char *message)
{
    // librdkafka writes a broker failure as a "FAIL" log line AND hands the same text to the error
    // callback (rd_kafka_broker_fail); a client whose error callback reports it prints it there.
    if (std::strcmp(facility, "FAIL") == 0)
        return;
    logToQt(rk, level, facility, message);
}

}  // namespace

void routeLogsToQt(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_set_log_cb(conf, &logToQt);
}

void routeLogsToQtButBrokerFailures(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_set_log_cb(conf, &logToQtButBrokerFailures);
}

QString errorText(rd_kafka_resp_err_t err)
{
    return QString::fromUtf8(rd_kafka_err2str(err));
}

Status setProperty(rd_kafka_conf_t *conf, const QString &name, const QString &value)
{
    char err[512] = {};
    const QByteArray n = name.toUtf8();
    const QByteArray v = value.toUtf8();
    if (rd_kafka_conf_set(conf, n.constData(), v.constData(), err, sizeof err) == RD_KAFKA_CONF_OK)
        return {};
    QString reason = QString::fromUtf8(err);
    if (isSecretProperty(name)) {
        // librdkafka echoes the rejected value ("Invalid value \"...\""); never show a secret.
        if (!value.isEmpty())
            reason.replace(value, QStringLiteral("<redacted>"));
        reason = QStringLiteral("invalid value (redacted): ") + reason;
    }
    return makeError(QStringLiteral("Kafka property '%1' rejected: %2").arg(name, reason),
                     QStringLiteral("kafka_bad_property"));
}

Result<ConfHandle> buildConf(const KafkaSettings &settings, const QMap<QString, QString> &defaults)
{
    ConfHandle conf(rd_kafka_conf_new());
    routeLogsToQt(conf.get());
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it) {
        if (settings.props.contains(it.key()))
            continue;  // the user's value wins; do not fail on a default it replaces
        if (Status s = setProperty(conf.get(), it.key(), it.value()); !s)
            return s.error();
    }
    for (auto it = settings.props.cbegin(); it != settings.props.cend(); ++it) {
        if (Status s = setProperty(conf.get(), it.key(), it.value()); !s)
            return s.error();
    }
    if (!settings.bootstrap.isEmpty()) {
        if (Status s = setProperty(conf.get(), QStringLiteral("bootstrap.servers"), settings.bootstrap); !s)
            return s.error();
    }
    return conf;
}

}  // namespace ms::kafka
