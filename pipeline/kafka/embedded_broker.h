#pragma once
// In-process Kafka: librdkafka's mock cluster (rdkafka_mock.h) listening on loopback, reachable
// by any Kafka client (kcat, the app's own Producer/Consumer, Power BI's connector tooling).
//
// Real limits, handled elsewhere rather than hidden: each partition keeps ~5 MiB / 100k messages
// and silently deletes older data (→ FlowControl), an empty fetch is held for fetch.wait.max.ms,
// a group's first join takes ~3 s, and all data dies with the process (→ tie stored offsets to
// clusterId()).
//
// Ownership: EmbeddedBroker owns the rd_kafka_t the mock cluster is attached to and the cluster;
// destroying it closes the listeners (clients see "all brokers down"). Destroy clients first.
#include "kafka/handles.h"
#include "kafka/kafka_types.h"
#include "model/result.h"

#include <QList>
#include <QString>

#include <memory>

namespace ms::kafka {

class EmbeddedBroker
{
public:
    // Starts `brokers` mock brokers and creates every topic of `topics` and, when `withDeadLetter`,
    // each `<topic>.dlq` (same partition count). Replication factor is min(brokers, 3).
    static Result<std::unique_ptr<EmbeddedBroker>> start(const QList<TopicSpec> &topics, int brokers = 3,
                                                         bool withDeadLetter = true);
    ~EmbeddedBroker();
    EmbeddedBroker(const EmbeddedBroker &) = delete;
    EmbeddedBroker &operator=(const EmbeddedBroker &) = delete;

    // "127.0.0.1:port,127.0.0.1:port,..."
    QString bootstrapServers() const { return m_bootstrap; }
    // The cluster id the mock reports to clients ("mockCluster…", different on each start), asked
    // through a short-lived client; empty if it could not be obtained within timeoutMs.
    QString clusterId(int timeoutMs = 3000) const;
    int brokerCount() const { return m_brokers; }

    Status createTopic(const TopicSpec &topic);
    // Fault injection: brokerId -1 means every broker.
    Status setBrokerDown(int32_t brokerId = -1);
    Status setBrokerUp(int32_t brokerId = -1);

    // Raw access for fault-injection tests (rd_kafka_mock_push_request_errors, set_leader, ...).
    // Owned by this object.
    rd_kafka_mock_cluster_t *mockCluster() const { return m_cluster.get(); }

private:
    EmbeddedBroker() = default;

    KafkaHandle m_handle;           // must outlive m_cluster: declared first, destroyed last
    MockClusterHandle m_cluster;
    QString m_bootstrap;
    int m_brokers = 0;
};

}  // namespace ms::kafka
