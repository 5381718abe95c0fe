#pragma once
// A read-only tail of one topic, for the message inspector (GUI panel, `marketstream tail`).
//
// It never touches the pipeline: its own rd_kafka_t (own threads, own sockets, own fetch queue),
// no subscribe() (so no group join, no rebalance of the pipeline's group), assign() of every
// partition found in the metadata at an explicit start offset (so no committed offset is ever
// fetched), enable.auto.commit=false and no commit call anywhere. Its group.id is a fresh random
// name that is never committed to, so the broker keeps no group for it.
//
// Every call is bounded: poll() by its timeout, open() by TailOptions::timeoutMs, and both stop
// early once `cancel` is set (checked between slices of at most 100 ms).
#include "kafka/kafka_config.h"
#include "model/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace ms::kafka {

enum class TailStart { End, Beginning, Time };

struct TailOptions
{
    KafkaSettings settings;
    QString topic;
    TailStart start = TailStart::End;
    // TailStart::Time: each partition starts at its first message with a timestamp >= this (the
    // broker's offsets-for-times; no such message: only new ones), and older ones are skipped.
    qint64 startTimeMs = 0;
    int timeoutMs = 10000; // metadata and offsets-for-times lookups at open()
};

// One message, copied out of librdkafka (the buffer handed to the GUI owns its data).
struct TailRecord
{
    QString topic;
    int32_t partition = -1;
    int64_t offset = -1;
    int64_t timestampMs = -1; // -1: the message has none
    bool logAppendTime = false;
    std::optional<QByteArray> key;   // nullopt: a NULL key (not the same as an empty one)
    std::optional<QByteArray> value; // nullopt: a tombstone
    QList<std::pair<QString, std::optional<QByteArray>>> headers;
};

class TopicTail
{
public:
    static Result<std::unique_ptr<TopicTail>> open(const TailOptions &options,
                                                   const std::atomic_bool *cancel = nullptr);
    ~TopicTail();
    TopicTail(const TopicTail &) = delete;
    TopicTail &operator=(const TopicTail &) = delete;

    // Waits up to timeoutMs for the first message, then takes what is already there, up to `max`.
    // Transient broker errors (all brokers down, a partition EOF) are not errors; a fatal client
    // error or an unknown topic is.
    Result<std::vector<TailRecord>> poll(int timeoutMs, size_t max,
                                         const std::atomic_bool *cancel = nullptr);

    Status pause();
    Status resume();
    bool paused() const { return m_paused; }
    int partitionCount() const { return m_partitions; }
    QString topic() const { return m_topic; }
    // The generated group id (tests check that nothing was ever committed under it).
    QString groupId() const { return m_groupId; }

    // Topic names of a cluster (internal "__" topics left out), sorted; bounded by timeoutMs.
    static Result<QStringList> listTopics(const KafkaSettings &settings, int timeoutMs,
                                          const std::atomic_bool *cancel = nullptr);

private:
    TopicTail() = default;
    Status setPaused(bool pause);  // pause() and resume(): every partition of the assignment
    Status assignAll(const TailOptions &options, const std::atomic_bool *cancel);

    KafkaHandle m_rk;
    QString m_topic;
    QString m_groupId;
    int m_partitions = 0;
    bool m_paused = false;
    int64_t m_minTimestampMs = -1; // TailStart::Time: older messages are skipped
};

} // namespace ms::kafka
