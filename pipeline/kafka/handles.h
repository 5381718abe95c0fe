#pragma once
// RAII for librdkafka's C handles: every handle lives in a std::unique_ptr whose deleter calls the
// matching destroy function, so no error path can leak one.
//
// Note on rd_kafka_t: the plain deleter calls rd_kafka_destroy(). Consumers must be closed first
// (ms::kafka::Consumer does that with a bounded close and then destroys with
// RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE); producers are flushed/purged by ms::kafka::Producer.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <memory>

namespace ms::kafka {

struct KafkaHandleDeleter
{
    void operator()(rd_kafka_t *p) const { rd_kafka_destroy(p); }
};
struct ConfDeleter
{
    void operator()(rd_kafka_conf_t *p) const { rd_kafka_conf_destroy(p); }
};
struct TopicConfDeleter
{
    void operator()(rd_kafka_topic_conf_t *p) const { rd_kafka_topic_conf_destroy(p); }
};
struct TopicDeleter
{
    void operator()(rd_kafka_topic_t *p) const { rd_kafka_topic_destroy(p); }
};
struct PartitionListDeleter
{
    void operator()(rd_kafka_topic_partition_list_t *p) const { rd_kafka_topic_partition_list_destroy(p); }
};
struct MessageDeleter
{
    void operator()(rd_kafka_message_t *p) const { rd_kafka_message_destroy(p); }
};
struct HeadersDeleter
{
    void operator()(rd_kafka_headers_t *p) const { rd_kafka_headers_destroy(p); }
};
struct QueueDeleter
{
    void operator()(rd_kafka_queue_t *p) const { rd_kafka_queue_destroy(p); }
};
struct EventDeleter
{
    void operator()(rd_kafka_event_t *p) const { rd_kafka_event_destroy(p); }
};
struct ErrorDeleter
{
    void operator()(rd_kafka_error_t *p) const { rd_kafka_error_destroy(p); }
};
struct MockClusterDeleter
{
    void operator()(rd_kafka_mock_cluster_t *p) const { rd_kafka_mock_cluster_destroy(p); }
};
struct MetadataDeleter
{
    void operator()(const rd_kafka_metadata_t *p) const { rd_kafka_metadata_destroy(p); }
};
struct NewTopicDeleter
{
    void operator()(rd_kafka_NewTopic_t *p) const { rd_kafka_NewTopic_destroy(p); }
};
struct AdminOptionsDeleter
{
    void operator()(rd_kafka_AdminOptions_t *p) const { rd_kafka_AdminOptions_destroy(p); }
};
// Strings that librdkafka allocates for the caller (rd_kafka_clusterid, rd_kafka_memberid).
struct KafkaMemDeleter
{
    rd_kafka_t *rk = nullptr;
    void operator()(char *p) const { rd_kafka_mem_free(rk, p); }
};

using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaHandleDeleter>;
using ConfHandle = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using TopicConfHandle = std::unique_ptr<rd_kafka_topic_conf_t, TopicConfDeleter>;
using TopicHandle = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;
using PartitionListHandle = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;
using MessageHandle = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
using HeadersHandle = std::unique_ptr<rd_kafka_headers_t, HeadersDeleter>;
using QueueHandle = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;
using EventHandle = std::unique_ptr<rd_kafka_event_t, EventDeleter>;
using ErrorHandle = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;
using MockClusterHandle = std::unique_ptr<rd_kafka_mock_cluster_t, MockClusterDeleter>;
using MetadataHandle = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;
using NewTopicHandle = std::unique_ptr<rd_kafka_NewTopic_t, NewTopicDeleter>;
using AdminOptionsHandle = std::unique_ptr<rd_kafka_AdminOptions_t, AdminOptionsDeleter>;
using KafkaString = std::unique_ptr<char, KafkaMemDeleter>;

}  // namespace ms::kafka
