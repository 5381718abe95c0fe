#include "runtime/tick_publisher.h"

#include "codec/tick_codec.h"
#include "runtime/issue_log.h"

namespace ms {

TickPublisher::TickPublisher(kafka::Producer &producer, MetricsRegistry &metrics, const std::atomic_bool &stop,
                             std::string cryptoTopic, std::string stockTopic)
    : m_producer(producer), m_metrics(metrics), m_stop(stop), m_cryptoTopic(std::move(cryptoTopic)),
      m_stockTopic(std::move(stockTopic))
{
}

size_t TickPublisher::publish(const QString &sourceName, std::span<const Tick> ticks)
{
    thread_local std::string json;
    qint64 ok = 0;
    size_t taken = 0;
    kafka::ProduceOptions options;
    options.waitForRoom = false;
    for (const Tick &t : ticks) {
        if (m_stop.load(std::memory_order_relaxed))
            break;
        json.clear();
        encodeTick(t, json);
        const std::string &topic = t.asset == AssetClass::Crypto ? m_cryptoTopic : m_stockTopic;
        const Status st = m_producer.produce(topic, t.symbol, json, m_stop, options);
        if (st.ok()) {
            ++ok;
            ++taken;
            continue;
        }
        if (m_stop.load(std::memory_order_relaxed) || st.error().code == QLatin1String("backpressure"))
            break;
        ++taken;  // failed for good (counted below): offering it again would fail the same way
        m_metrics.produceErrors.fetch_add(1, std::memory_order_relaxed);
        // One line per failure would flood the log when a topic is misconfigured; the count is exact.
        if (m_errorsLogged.fetch_add(1, std::memory_order_relaxed) < 20)
            IssueLog::instance().error(QStringLiteral("producer"),
                                       QStringLiteral("cannot produce to %1: %2")
                                           .arg(QString::fromStdString(topic), st.errorMessage()));
    }
    if (m_tap && taken > 0)
        m_tap(ticks.first(taken));
    m_metrics.queued.fetch_add(ok, std::memory_order_relaxed);
    m_metrics.addSourceTicks(sourceName, ok);
    return taken;
}

}  // namespace ms
