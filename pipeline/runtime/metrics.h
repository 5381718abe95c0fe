#pragma once
// Pipeline counters. Workers bump atomics (relaxed, cheap); anyone takes a consistent-enough
// MetricsSnapshot by copy. Nothing here blocks a worker.
#include "sources/source_status.h"

#include <QMap>
#include <QString>

#include <vector>

namespace ms {

struct PartitionLag
{
    QString topic;
    int partition = 0;
    qint64 lag = 0;        // high watermark - next offset to process (-1 when unknown)
    qint64 committed = 0;  // next offset stored in the database
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
    qint64 queued = 0;           // handed to the producer by the sources
    qint64 produced = 0;         // acknowledged by the broker
    qint64 produceErrors = 0;    // delivery failures
    qint64 consumed = 0;         // messages read from Kafka
    qint64 stored = 0;           // tick rows committed to the database (new rows)
    qint64 duplicates = 0;       // ticks already present (idempotent replays)
    qint64 rejected = 0;         // undecodable messages
    qint64 deadLettered = 0;     // rejected messages written to <topic>.dlq
    qint64 droppedLate = 0;      // ticks too late for their candle (still stored as ticks)
    qint64 candlesWritten = 0;   // candle rows written (inserted or updated)
    qint64 dbErrors = 0;         // failed transactions (retried)
    qint64 spooled = 0;          // produced, not stored at stop: written to the spool for the next start
    qint64 alertsTriggered = 0;  // alert rows stored (a rule fired)
    qint64 feedGaps = 0;         // feed_gaps rows stored
    qint64 databaseBytes = -1;   // size of the database on disk (-1 = not measured yet)
    QMap<QString, qint64> rejectedByReason;
    double latencyP50Ms = 0;     // produce → database commit, over the whole run
    double latencyP99Ms = 0;
    double recentP50Ms = 0;      // the same over the last few seconds (for the live chart)
    double recentP99Ms = 0;
    QMap<QString, qint64> lagByTopic;
    std::vector<PartitionLag> partitions;
    std::vector<SourceHealth> sources;
    QString databaseState;       // "ok", or what is wrong and what is being done about it
};

}  // namespace ms
