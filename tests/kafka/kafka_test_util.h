#pragma once
// Helpers for the Kafka tests: settings for the embedded broker, consuming until a count.
#include "kafka/consumer.h"
#include "kafka/embedded_broker.h"
#include "kafka/kafka_config.h"

#include <QDeadlineTimer>

#include <functional>

namespace ms::kafka::test {

inline KafkaSettings settingsFor(const EmbeddedBroker &broker)
{
    KafkaSettings s;
    s.bootstrap = broker.bootstrapServers();
    s.props.insert(QStringLiteral("reconnect.backoff.max.ms"), QStringLiteral("500"));
    return s;
}

inline KafkaSettings consumerSettingsFor(const EmbeddedBroker &broker)
{
    KafkaSettings s = settingsFor(broker);
    s.props.insert(QStringLiteral("session.timeout.ms"), QStringLiteral("6000"));
    return s;
}

// Polls until `want` messages arrived or timeoutMs passed; every message and error goes to the
// callbacks. Returns the number of messages seen.
inline int consumeUntil(Consumer &c, int want, int timeoutMs, const std::function<void(const Message &)> &onMessage,
                        std::vector<ConsumerError> *errors = nullptr)
{
    int seen = 0;
    QDeadlineTimer deadline(timeoutMs);
    while (seen < want && !deadline.hasExpired()) {
        MessageBatch b = c.poll(1000, 100);
        for (const Message &m : b.messages) {
            if (onMessage)
                onMessage(m);
            ++seen;
        }
        if (errors)
            errors->insert(errors->end(), b.errors.begin(), b.errors.end());
    }
    return seen;
}

}  // namespace ms::kafka::test
