#include "runtime/spool.h"

#include "kafka/handles.h"
#include "kafka/metadata_wait.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <map>

namespace ms {

namespace {
const char *suffixFor(AssetClass a)
{
    return a == AssetClass::Stock ? "-stock.jsonl" : "-crypto.jsonl";
}

struct PartitionRange
{
    int64_t next = 0; // first offset to read
    int64_t end = 0;  // log end (high watermark)
};
} // namespace

QString spoolDirectory(const DatabaseUrl &database, const QString &group)
{
    // The redacted URL holds no password; a SQLite path counts as its absolute form.
    const QString identity =
        database.isPostgres()
            ? database.redacted()
            : QStringLiteral("sqlite:") + QFileInfo(database.sqlitePath).absoluteFilePath();
    const QByteArray key =
        QCryptographicHash::hash((identity + u'|' + group).toUtf8(), QCryptographicHash::Sha1)
            .toHex()
            .left(16);
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/spool/") + QString::fromLatin1(key);
}

QList<SpoolFile> pendingSpoolFiles(const QString &directory)
{
    QList<SpoolFile> out;
    const QStringList names =
        QDir(directory).entryList({QStringLiteral("*.jsonl")}, QDir::Files, QDir::Name);
    for (const QString &n : names)
        out.append({directory + u'/' + n, n.endsWith(QLatin1String("-stock.jsonl"))
                                              ? AssetClass::Stock
                                              : AssetClass::Crypto});
    return out;
}

Result<SpoolResult> spoolUncommitted(const kafka::KafkaSettings &settings, const QString &group,
                                     const std::vector<SpoolTopic> &topics,
                                     const QString &directory, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    auto left = [&] { return int(std::max<qint64>(1, timeoutMs - clock.elapsed())); };
    auto conf = kafka::buildConf(
        settings, {{QStringLiteral("group.id"), group},
                   {QStringLiteral("enable.auto.commit"), QStringLiteral("false")},
                   {QStringLiteral("enable.auto.offset.store"), QStringLiteral("false")},
                   {QStringLiteral("fetch.wait.max.ms"), QStringLiteral("1")}});
    if (!conf)
        return conf.error();
    char err[512] = {};
    kafka::KafkaHandle rk(rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), err, sizeof err));
    if (!rk)
        return makeError(QStringLiteral("spool: cannot create a Kafka reader: ") +
                         QString::fromUtf8(err));
    (void)conf->release(); // rd_kafka_new took it

    // Where the group stands (the positions committed after each database transaction) and where
    // each log ends: the difference is what was produced and not stored.
    kafka::PartitionListHandle parts(rd_kafka_topic_partition_list_new(16));
    for (const SpoolTopic &t : topics) {
        kafka::TopicHandle rkt(rd_kafka_topic_new(rk.get(), t.topic.c_str(), nullptr));
        const rd_kafka_metadata_t *md = nullptr;
        if (kafka::metadataInSlices(rk.get(), rkt.get(), &md, left()) !=
                RD_KAFKA_RESP_ERR_NO_ERROR ||
            !md)
            return makeError(
                QStringLiteral("spool: no metadata for %1").arg(QString::fromStdString(t.topic)));
        kafka::MetadataHandle holder(md);
        for (int p = 0; md->topic_cnt == 1 && p < md->topics[0].partition_cnt; ++p)
            rd_kafka_topic_partition_list_add(parts.get(), t.topic.c_str(), p);
    }
    if (const rd_kafka_resp_err_t e = rd_kafka_committed(rk.get(), parts.get(), left());
        e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return makeError(QStringLiteral("spool: cannot read the group's committed offsets: ") +
                         kafka::errorText(e));
    std::map<std::pair<std::string, int32_t>, PartitionRange> ranges;
    kafka::PartitionListHandle assign(rd_kafka_topic_partition_list_new(parts->cnt));
    for (int i = 0; i < parts->cnt; ++i) {
        const rd_kafka_topic_partition_t &tp = parts->elems[i];
        int64_t lo = 0, hi = 0;
        if (rd_kafka_query_watermark_offsets(rk.get(), tp.topic, tp.partition, &lo, &hi, left()) !=
            RD_KAFKA_RESP_ERR_NO_ERROR)
            return makeError(QStringLiteral("spool: cannot read the log end of %1/%2")
                                 .arg(QString::fromUtf8(tp.topic))
                                 .arg(tp.partition));
        const int64_t next = tp.offset >= 0 ? std::max(tp.offset, lo) : lo;
        if (next >= hi)
            continue;
        ranges[{tp.topic, tp.partition}] = PartitionRange{next, hi};
        rd_kafka_topic_partition_list_add(assign.get(), tp.topic, tp.partition)->offset = next;
    }
    SpoolResult result;
    if (ranges.empty())
        return result;
    if (const rd_kafka_resp_err_t e = rd_kafka_assign(rk.get(), assign.get());
        e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return makeError(QStringLiteral("spool: cannot assign: ") + kafka::errorText(e));

    if (!QDir().mkpath(directory))
        return makeError(QStringLiteral("spool: cannot create %1").arg(directory));
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    std::map<std::string, std::unique_ptr<QFile>> files;
    for (const SpoolTopic &t : topics) {
        auto f = std::make_unique<QFile>(directory + u'/' + stamp +
                                         QString::fromLatin1(suffixFor(t.asset)));
        if (!f->open(QIODevice::WriteOnly | QIODevice::Truncate))
            return makeError(
                QStringLiteral("spool: cannot write %1: %2").arg(f->fileName(), f->errorString()));
        result.files.append({f->fileName(), t.asset});
        files[t.topic] = std::move(f);
    }
    size_t open = ranges.size();
    while (open > 0 && clock.elapsed() < timeoutMs) {
        kafka::MessageHandle m(rd_kafka_consumer_poll(rk.get(), 10));
        if (!m || m->err)
            continue;
        auto it = ranges.find({rd_kafka_topic_name(m->rkt), m->partition});
        if (it == ranges.end() || m->offset < it->second.next || it->second.next >= it->second.end)
            continue;
        it->second.next = m->offset + 1;
        const QByteArrayView value(static_cast<const char *>(m->payload), qsizetype(m->len));
        if (value.isEmpty() || value.contains('\n')) {
            ++result.unspoolable;
        } else {
            QFile &f = *files[rd_kafka_topic_name(m->rkt)];
            f.write(value.data(), value.size());
            f.write("\n", 1);
            ++result.messages;
        }
        if (it->second.next >= it->second.end)
            --open;
    }
    for (auto &[topic, f] : files) {
        if (!f->flush() || f->error() != QFileDevice::NoError)
            return makeError(QStringLiteral("spool: writing %1 failed: %2")
                                 .arg(f->fileName(), f->errorString()));
        f->close();
    }
    (void)rd_kafka_consumer_close(
        rk.get()); // assigned, never subscribed: no group to leave, nothing to commit
    // Empty files are no use to the next start.
    QList<SpoolFile> kept;
    for (const SpoolFile &s : result.files) {
        if (QFileInfo(s.path).size() > 0)
            kept.append(s);
        else
            QFile::remove(s.path);
    }
    result.files = kept;
    if (open > 0)
        return makeError(
            QStringLiteral(
                "spool: %1 partition(s) not read to their end within %2 ms (%3 ticks spooled)")
                .arg(open)
                .arg(timeoutMs)
                .arg(result.messages));
    return result;
}

} // namespace ms
