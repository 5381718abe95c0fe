#pragma once
// An owned consumed message (wraps rd_kafka_message_t; move-only) and a batch of them.
// Errors are never data: MessageBatch keeps them apart in `errors`.
#include "kafka/handles.h"
#include "kafka/kafka_types.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ms::kafka {

class Message
{
public:
    explicit Message(MessageHandle m) : m_msg(std::move(m)) {}

    std::string_view topic() const { return rd_kafka_topic_name(m_msg->rkt); }
    int32_t partition() const { return m_msg->partition; }
    int64_t offset() const { return m_msg->offset; }
    std::string_view key() const
    {
        return m_msg->key ? std::string_view(static_cast<const char *>(m_msg->key), m_msg->key_len)
                          : std::string_view();
    }
    std::string_view value() const
    {
        return m_msg->payload ? std::string_view(static_cast<const char *>(m_msg->payload), m_msg->len)
                              : std::string_view();
    }
    // Bytes as counted by FlowControl (key + value).
    int64_t flowBytes() const { return static_cast<int64_t>(m_msg->len + m_msg->key_len); }
    // Message timestamp in ms since the epoch (the producer's CreateTime), -1 if none.
    int64_t timestampMs() const { return rd_kafka_message_timestamp(m_msg.get(), nullptr); }
    // Last header with this name, if present.
    std::optional<std::string> header(const char *name) const
    {
        rd_kafka_headers_t *hdrs = nullptr;
        if (rd_kafka_message_headers(m_msg.get(), &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR)
            return std::nullopt;
        const void *val = nullptr;
        size_t size = 0;
        if (rd_kafka_header_get_last(hdrs, name, &val, &size) != RD_KAFKA_RESP_ERR_NO_ERROR)
            return std::nullopt;
        return std::string(static_cast<const char *>(val), val ? size : 0);
    }
    Headers headers() const
    {
        Headers out;
        rd_kafka_headers_t *hdrs = nullptr;
        if (rd_kafka_message_headers(m_msg.get(), &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR)
            return out;
        const char *name = nullptr;
        const void *val = nullptr;
        size_t size = 0;
        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
            out.emplace_back(name, std::string(static_cast<const char *>(val), val ? size : 0));
        return out;
    }
    const rd_kafka_message_t *raw() const { return m_msg.get(); }

private:
    MessageHandle m_msg;
};

// A consumer-side problem reported next to the data, never instead of it.
struct ConsumerError
{
    QString code;           // "offset_out_of_range", "partition_eof", "broker", "fatal", ...
    QString message;        // one line, no secrets
    std::string topic;      // empty when not about one partition
    int32_t partition = -1;
    int64_t offset = -1;    // the offset concerned (e.g. the one that fell off the log)
    int64_t lostMessages = -1;  // messages skipped because they were deleted; -1 unknown
    bool fatal = false;     // the consumer cannot continue; recreate it
};

struct MessageBatch
{
    std::vector<Message> messages;
    std::vector<ConsumerError> errors;
    bool empty() const { return messages.empty() && errors.empty(); }
};

}  // namespace ms::kafka
