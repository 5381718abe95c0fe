#pragma once
// The spool: what a clean stop could not store, kept on disk instead of dying with the embedded
// broker.
//
// The embedded broker lives in the process. When a clean stop finds ticks produced but not yet
// stored (the database is down, or behind), it reads them out of the broker — every message after
// the consumer group's committed offset (committed after each database transaction) up to the log
// end — into JSONL files, one per topic, under spoolDirectory(). The next start replays those files
// into the pipeline at full speed (only into the same database: see spoolDirectory()); the ticks
// keep their natural keys, so whatever was stored already is not stored twice. A file is removed by
// the next clean stop after its replay (by then it is stored, or spooled again); after a kill -9 it
// is simply replayed once more.
#include "kafka/kafka_config.h"
#include "model/result.h"
#include "model/tick.h"
#include "storage/database_url.h"

#include <QList>
#include <QString>
#include <string>
#include <vector>

namespace ms {

struct SpoolTopic
{
    std::string topic;
    AssetClass asset;
};

struct SpoolFile
{
    QString path;
    AssetClass asset = AssetClass::Crypto;
};

struct SpoolResult
{
    qint64 messages = 0;    // written to the files
    qint64 unspoolable = 0; // empty values or values with a line break: not a tick line, counted
    QList<SpoolFile> files;
};

// <AppDataLocation>/spool/<key> (AppDataLocation is XDG_DATA_HOME/MarketStream/marketstream on
// Linux). The key names one database and consumer group: a spool is replayed only into the database
// whose consumers left it, never into another one that a later run points at.
QString spoolDirectory(const DatabaseUrl &database, const QString &group);

// Reads what the group has not committed, up to each partition's log end, within timeoutMs.
Result<SpoolResult> spoolUncommitted(const kafka::KafkaSettings &settings, const QString &group,
                                     const std::vector<SpoolTopic> &topics,
                                     const QString &directory, int timeoutMs);

// Spool files waiting for a replay, oldest first.
QList<SpoolFile> pendingSpoolFiles(const QString &directory);

} // namespace ms
