#pragma once
// The sources' TickSink: encodes each tick (v1 JSON) and produces it to the topic of its asset
// class, keyed by symbol. Called on source threads (the Producer is thread-safe). Never blocks on
// back-pressure: it takes the leading ticks there is room for and says how many (the source keeps
// the rest), and takes nothing once the pipeline is stopping.
#include "kafka/producer.h"
#include "model/tick.h"
#include "runtime/metrics_registry.h"

#include <QString>

#include <atomic>
#include <functional>
#include <span>
#include <string>

namespace ms {

class TickPublisher
{
public:
    // Borrows everything; all must outlive the publisher.
    TickPublisher(kafka::Producer &producer, MetricsRegistry &metrics, const std::atomic_bool &stop,
                  std::string cryptoTopic, std::string stockTopic);

    // Returns how many leading ticks were taken (produced, or failed for good and counted).
    size_t publish(const QString &sourceName, std::span<const Tick> ticks);
    // Optional tap (record-to-file); called with the ticks taken, once each.
    void setTap(std::function<void(std::span<const Tick>)> tap) { m_tap = std::move(tap); }

private:
    kafka::Producer &m_producer;
    MetricsRegistry &m_metrics;
    const std::atomic_bool &m_stop;
    std::string m_cryptoTopic, m_stockTopic;
    std::function<void(std::span<const Tick>)> m_tap;
    std::atomic<qint64> m_errorsLogged{0};
};

}  // namespace ms
