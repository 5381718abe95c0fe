#pragma once
// Metadata and cluster-id lookups that answer as soon as the broker has.
//
// librdkafka 2.0.2 can sleep out a whole internal wait when the first broker connection comes up
// while a caller waits for metadata: here rd_kafka_clusterid() and rd_kafka_metadata() returned
// after exactly 1000 ms in about half of the starts, although the metadata arrived within a few
// milliseconds (debug=broker,metadata). Asking in growing short slices (10, 20, 40 … ms) sees the
// answer within one slice of its arrival, under the same overall timeout.
#include <librdkafka/rdkafka.h>

#include <QString>

#include <atomic>

namespace ms::kafka {

// rd_kafka_metadata(rk, 0, topic, md, …) in short slices; *md is set on success (caller frees).
// With `cancel`, it is checked between slices: RD_KAFKA_RESP_ERR__INTR once it is set.
rd_kafka_resp_err_t metadataInSlices(rd_kafka_t *rk, rd_kafka_topic_t *topic, const rd_kafka_metadata_t **md,
                                     int timeoutMs, const std::atomic_bool *cancel = nullptr);
// rd_kafka_clusterid() in short slices; empty when not known within timeoutMs.
QString clusterIdInSlices(rd_kafka_t *rk, int timeoutMs);

}  // namespace ms::kafka
