#pragma once
// The sources' TickHandler: encodes each tick (v1 JSON) and produces it to the topic of its asset
// class, keyed by symbol. Called on source threads (the Producer is thread-safe); blocks only on
// producer back-pressure, and returns at once when the pipeline is stopping.
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

    void publish(const QString &sourceName, std::span<const Tick> ticks);
    // Optional tap (record-to-file); called with every batch before it is produced.
    void setTap(std::function<void(std::span<const Tick>)> tap) { m_tap = std::move(tap); }
    qint64 queued() const { return m_queued.load(std::memory_order_relaxed); }

private:
    kafka::Producer &m_producer;
    MetricsRegistry &m_metrics;
    const std::atomic_bool &m_stop;
    std::string m_cryptoTopic, m_stockTopic;
    std::function<void(std::span<const Tick>)> m_tap;
    std::atomic<qint64> m_queued{0};
    std::atomic<qint64> m_errorsLogged{0};
};

}  // namespace ms
