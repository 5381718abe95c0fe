#pragma once
// Kafka client settings → rd_kafka_conf_t. The bootstrap servers and free-form librdkafka
// properties come from the app's configuration; every class here adds its own defaults first, so a
// user property always wins over a default.
#include "kafka/handles.h"
#include "model/result.h"

#include <QMap>
#include <QString>

namespace ms::kafka {

struct KafkaSettings
{
    QString bootstrap;                // "host:port,host:port"
    QMap<QString, QString> props;     // any librdkafka property, e.g. "security.protocol"
};

// True for property names whose values are secrets (sasl.password, ssl.key.password, ...): their
// values are never put into an error message or log line.
bool isSecretProperty(const QString &name);

// Builds a conf from `defaults`, then `settings.props`, then `settings.bootstrap`
// ("bootstrap.servers"). A rejected property gives an Error naming the property and librdkafka's
// reason, with the value redacted when the property is a secret.
Result<ConfHandle> buildConf(const KafkaSettings &settings, const QMap<QString, QString> &defaults = {});

// Sets one property on an existing conf (same error rules).
Status setProperty(rd_kafka_conf_t *conf, const QString &name, const QString &value);

// Logging: every conf built here routes librdkafka's log lines to the Qt logging category
// "ms.kafka" (syslog levels 0-4 → qCWarning, 5-6 → qCInfo, 7 → qCDebug) instead of stderr.
// Filter with QT_LOGGING_RULES="ms.kafka.info=false".
void routeLogsToQt(rd_kafka_conf_t *conf);
// The same without the broker-failure ("FAIL") lines, for a client whose error callback reports
// each of them (Consumer: ConsumerWorker puts them in the issue log), so each is printed once.
void routeLogsToQtButBrokerFailures(rd_kafka_conf_t *conf);

// librdkafka's error string for an error code, as a QString.
QString errorText(rd_kafka_resp_err_t err);

}  // namespace ms::kafka
