#pragma once
// Pipeline counters. Workers bump atomics (relaxed, cheap); anyone takes a consistent-enough
// MetricsSnapshot by copy. Nothing here blocks a worker.
//
// One name, one meaning: the headless summary (README, "Headless summary"), the Prometheus
// exposition (runtime/prometheus_text.h) and the health panel show these figures under the same
// names. Ticks a consumer finished with = stored + duplicates + rejected.
#include "sources/source_status.h"

#include <QMap>
#include <QString>

#include <vector>

namespace ms {

// One partition as the consumer reading it sees it (kafka::PartitionLag is the raw librdkafka view
// this is made from).
struct ConsumerLag
{
    QString topic;
    int partition = 0;
    qint64 position = -1;        // next offset the consumer will read (its Kafka position); -1 unknown
    qint64 lagMessages = -1;     // high watermark - next offset stored in the database (Kafka position until
                                 // something is stored): messages not stored yet; -1 unknown
    qint64 newestStoredMs = 0;   // Kafka timestamp (produce time) of the newest message stored from it; 0 none
    // How far behind in time: the newest produced message's timestamp minus the newest stored one's
    // (0 when nothing is waiting; wall clock instead of the newest produced when this process does
    // not produce, an upper bound). -1 unknown (nothing stored yet while messages wait).
    double lagSeconds = -1;
};

struct SourceHealth
{
    QString name;
    SourceStatus status;
    qint64 ticks = 0;
};

struct MetricsSnapshot
{
    qint64 timestampMs = 0;
    qint64 queued = 0;           // ticks handed to the producer by the sources
    qint64 produced = 0;         // ticks acknowledged by the broker (dead letters not included)
    qint64 produceErrors = 0;    // tick deliveries that failed
    qint64 consumed = 0;         // messages read from Kafka (redeliveries counted again)
    qint64 stored = 0;           // tick rows new to the database
    qint64 duplicates = 0;       // ticks whose row was there already (replays, redeliveries): not stored again
    qint64 rejected = 0;         // messages refused (undecodable, refused by the database, candle overflow)
    qint64 deadLettered = 0;     // rejected messages written to <topic>.dlq
    qint64 droppedLate = 0;      // ticks too late for their candle (still stored as ticks)
    qint64 candleWrites = 0;     // candle upserts: one per candle per batch that touched it (not candle rows)
    qint64 dbErrors = 0;         // failed transactions (retried)
    qint64 spooled = 0;          // produced, not stored at stop: written to the spool for the next start
    qint64 alertsTriggered = 0;  // alert rows stored (a rule fired)
    qint64 feedGaps = 0;         // feed_gaps rows stored
    qint64 databaseBytes = -1;   // size of the database on disk (-1 = not measured yet)
    QMap<QString, qint64> rejectedByReason;
    double latencyP50Ms = 0;     // produce → database commit, over the whole run
    double latencyP99Ms = 0;
    double recentP50Ms = 0;      // the same over the last completed window of the metrics clock (~5 s)
    double recentP99Ms = 0;
    // produce → commit latency in Prometheus form: cumulative counts per kLatencyBucketsSeconds
    // bound (+Inf is latencyCount), and the sum in seconds.
    std::vector<qint64> latencyBucketCounts;
    double latencySumSeconds = 0;
    qint64 latencyCount = 0;
    QMap<QString, qint64> lagByTopic;         // messages not stored yet, summed over the topic's partitions
    QMap<QString, double> lagSecondsByTopic;  // the most behind partition of the topic (-1 unknown)
    qint64 lagMessages = 0;                   // over every partition
    double lagSeconds = 0;                    // the most behind partition (-1 unknown)
    std::vector<ConsumerLag> partitions;
    std::vector<SourceHealth> sources;
    QString databaseState;       // "ok", or what is wrong and what is being done about it
};

}  // namespace ms
