#include "runtime/consumer_worker.h"

#include "codec/tick_codec.h"
#include "kafka/metadata_wait.h"
#include "kafka/partitioner.h"
#include "model/time_util.h"
#include "runtime/issue_log.h"
#include "storage/database.h"

#include <QElapsedTimer>
#include <QThread>

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <set>

namespace ms {

namespace {
const QString kComponent = QStringLiteral("consumer");
// A batch's COPY + upserts take well under a second; a server silent this long is treated as down.
constexpr int kWriteTimeoutMs = 15000;

struct PartitionProgress
{
    int64_t nextOffset = 0;
    int64_t bytes = 0;
    int64_t messages = 0;
    int64_t newestTimestampMs = 0;  // Kafka timestamp (produce time) of the batch's newest message
};
}  // namespace

ConsumerWorker::ConsumerWorker(ConsumerWorkerOptions options, MetricsRegistry &metrics, kafka::FlowControl *flow,
                               kafka::DeadLetterWriter *deadLetters, LiveStage *live)
    : m_opt(std::move(options)), m_metrics(metrics), m_flow(flow), m_deadLetters(deadLetters), m_live(live)
{
    if (!m_opt.alerts.empty())
        m_alerts = std::make_unique<AlertEvaluator>(m_opt.alerts);
}

ConsumerWorker::~ConsumerWorker() = default;

int32_t ConsumerWorker::partitionCount(const std::string &topic)
{
    if (auto it = m_partitionCounts.find(topic); it != m_partitionCounts.end())
        return it->second;
    int32_t count = 0;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(m_consumer->handle(), topic.c_str(), nullptr);
    const rd_kafka_metadata_t *md = nullptr;
    if (rkt && kafka::metadataInSlices(m_consumer->handle(), rkt, &md, 3000) == RD_KAFKA_RESP_ERR_NO_ERROR && md) {
        if (md->topic_cnt == 1)
            count = md->topics[0].partition_cnt;
        rd_kafka_metadata_destroy(md);
    }
    if (rkt)
        rd_kafka_topic_destroy(rkt);
    if (count > 0)
        m_partitionCounts[topic] = count;
    return count;
}

std::vector<std::optional<int64_t>> ConsumerWorker::onAssigned(const std::vector<kafka::TopicPartition> &tps)
{
    std::vector<std::optional<int64_t>> starts(tps.size());
    std::map<std::pair<std::string, int32_t>, int64_t> stored;
    auto offsets = m_store->loadOffsets(m_opt.group.toStdString(), m_clusterId);
    if (offsets.ok()) {
        for (const auto &o : offsets.value())
            stored[{o.topic, o.partition}] = o.nextOffset;
    } else {
        IssueLog::instance().error(kComponent, QStringLiteral("cannot read stored positions: %1; starting from the "
                                                              "group's committed offsets")
                                                   .arg(offsets.errorMessage()));
    }
    for (size_t i = 0; i < tps.size(); ++i) {
        auto it = stored.find({tps[i].topic, tps[i].partition});
        m_storedNext.erase({tps[i].topic, tps[i].partition});
        if (it != stored.end()) {
            starts[i] = it->second;
            m_storedNext[it->first] = it->second;
        }
        else if (offsets.ok())
            starts[i] = RD_KAFKA_OFFSET_BEGINNING;  // the database is the truth: nothing stored yet
    }
    // The stored candles hold exactly the stored ticks, and only newly inserted ticks are merged:
    // resuming them is right whether Kafka redelivers, replays from the start, or goes on.
    m_assigned = tps;
    if (Status s = rebuildCandles(tps); !s.ok())
        m_builderStale = true;  // the first batch rebuilds them before merging anything
    if (m_alerts)
        m_alertsStale = !restoreAlerts(nullptr).ok();  // else the first batch restores them
    m_gapsStale = true;
    (void)restoreGaps(tps);  // on failure the first batch tries again before judging anything
    m_ready = true;
    IssueLog::instance().info(kComponent, QStringLiteral("consumer %1 assigned %2 partition(s), %3 resumed from the "
                                                         "database")
                                              .arg(m_opt.index)
                                              .arg(tps.size())
                                              .arg(stored.size()));
    return starts;
}

void ConsumerWorker::onRevoked(const std::vector<kafka::TopicPartition> &tps)
{
    // Everything polled so far is committed (the loop commits before polling again), so nothing is
    // pending; the partitions' next owner re-reads only uncommitted data and releases it again.
    if (m_flow) {
        for (const auto &tp : tps)
            m_flow->reset(tp.topic, tp.partition);
    }
    std::erase_if(m_assigned, [&](const kafka::TopicPartition &a) {
        return std::any_of(tps.begin(), tps.end(), [&](const kafka::TopicPartition &r) {
            return r.topic == a.topic && r.partition == a.partition;
        });
    });
}

Status ConsumerWorker::rebuildCandles(const std::vector<kafka::TopicPartition> &tps)
{
    m_builder = std::make_unique<CandleBuilder>(m_opt.candles);
    std::vector<CandleLookback> lookbacks;
    for (size_t i = 0; i < m_opt.candles.intervalsSec.size(); ++i)
        lookbacks.push_back(CandleLookback{m_opt.candles.intervalsSec[i], m_builder->restoreLookbackMs(int(i))});
    auto stored = m_store->loadCandlesForRestore(lookbacks);
    if (!stored.ok()) {
        IssueLog::instance().error(kComponent, QStringLiteral("cannot rebuild candles: %1").arg(stored.errorMessage()));
        return stored.error();
    }
    // Only the symbols that live on our partitions: another instance owns the rest, and restoring
    // them here would let this instance close (and overwrite) candles it does not own.
    std::vector<Candle> keep;
    for (const Candle &c : stored.value()) {
        if (ownsSymbol(c.asset, c.symbol, tps))
            keep.push_back(c);
    }
    m_builder->restore(keep, CandleBuilder::RestoreMode::Resume);
    m_builderStale = false;
    return {};
}

bool ConsumerWorker::ownsSymbol(AssetClass asset, const std::string &symbol,
                                const std::vector<kafka::TopicPartition> &tps)
{
    const std::string &topic = asset == AssetClass::Crypto ? m_opt.cryptoTopic : m_opt.stockTopic;
    const int32_t n = partitionCount(topic);
    if (n <= 0)
        return false;
    const int32_t p = kafka::partitionForKey(symbol, n);
    return std::any_of(tps.begin(), tps.end(),
                       [&](const kafka::TopicPartition &tp) { return tp.topic == topic && tp.partition == p; });
}

Status ConsumerWorker::restoreGaps(const std::vector<kafka::TopicPartition> &tps)
{
    // The state the committed ticks left (feed_gap_state, written with them): judging resumes
    // exactly there, so a restart or a new owner finds the same gaps an uninterrupted run would.
    auto stored = m_store->loadGapStates();
    if (!stored.ok()) {
        IssueLog::instance().error(kComponent, QStringLiteral("cannot restore the feed gap detector: %1")
                                                   .arg(stored.errorMessage()));
        return stored.error();
    }
    std::vector<GapStreamState> keep;
    for (const GapStreamState &g : stored.value()) {
        if (ownsSymbol(g.asset, g.symbol, tps))
            keep.push_back(g);
    }
    m_gapsCommitted.clear();
    m_gapsCommitted.restore(keep);
    m_gapsStale = false;
    return {};
}

void ConsumerWorker::reportConsumerError(const kafka::ConsumerError &e)
{
    const Severity sev = e.code == QStringLiteral("offset_out_of_range") || e.fatal ? Severity::Error : Severity::Warning;
    QString where;
    if (!e.topic.empty())
        where = QStringLiteral(" [%1/%2]").arg(QString::fromStdString(e.topic)).arg(e.partition);
    IssueLog::instance().add(sev, kComponent, e.message + where);
}

Status ConsumerWorker::processBatch(kafka::MessageBatch &batch, const std::atomic_bool &stop)
{
    m_batch = &batch;
    m_ticks.clear();
    m_tickMessage.clear();
    m_tickTimestamps.clear();
    m_candles.clear();
    m_indicators.clear();
    m_offsets.clear();
    m_rejects.clear();
    m_rejectsDelivered = 0;
    std::map<std::pair<std::string, int32_t>, PartitionProgress> progress;

    for (size_t index = 0; index < batch.messages.size(); ++index) {
        const kafka::Message &msg = batch.messages[index];
        const std::string topic(msg.topic());
        auto &p = progress[{topic, msg.partition()}];
        p.nextOffset = std::max(p.nextOffset, msg.offset() + 1);
        p.bytes += msg.flowBytes();
        p.messages += 1;
        p.newestTimestampMs = std::max<int64_t>(p.newestTimestampMs, msg.timestampMs());

        const AssetClass asset = topic == m_opt.stockTopic ? AssetClass::Stock : AssetClass::Crypto;
        auto decoded = decodeTick(msg.value(), asset);
        if (auto *err = std::get_if<DecodeError>(&decoded)) {
            const QString reason = QString::fromStdString(err->reason);
            const QString detail = QString::fromStdString(err->detail);
            m_metrics.addRejected(reason);
            m_rejects.push_back(Reject{&msg, reason, detail});
            if (++m_rejectLogCount <= 100 || m_rejectLogCount % 1000 == 0)
                IssueLog::instance().warning(kComponent, QStringLiteral("rejected message %1/%2@%3 (%4): %5")
                                                             .arg(QString::fromStdString(topic))
                                                             .arg(msg.partition())
                                                             .arg(msg.offset())
                                                             .arg(reason, detail));
            continue;
        }
        m_tickTimestamps.push_back(msg.timestampMs());
        m_tickMessage.push_back(index);
        m_ticks.push_back(std::move(std::get<Tick>(decoded)));
    }
    m_metrics.consumed.fetch_add(qint64(batch.messages.size()), std::memory_order_relaxed);
    for (const auto &[tp, p] : progress)
        m_offsets.push_back(OffsetRecord{m_opt.group.toStdString(), m_clusterId, tp.first, tp.second, p.nextOffset});

    WriteResult result;
    Error fatal;
    const CommitOutcome outcome = commitWithRetry(result, stop, &fatal);
    m_batch = nullptr;
    if (outcome == CommitOutcome::Rejected)
        return fatal;
    if (outcome == CommitOutcome::Stopped)
        return {};
    const qint64 now = nowUs();
    for (const qint64 ts : m_tickTimestamps) {
        if (ts > 0)
            m_metrics.recordLatency(now - ts * 1000);
    }
    m_metrics.droppedLate.fetch_add(m_lateThisBatch, std::memory_order_relaxed);
    m_metrics.stored.fetch_add(result.ticksInserted, std::memory_order_relaxed);
    m_metrics.duplicates.fetch_add(result.ticksDuplicate, std::memory_order_relaxed);
    m_metrics.candleWrites.fetch_add(result.candlesWritten, std::memory_order_relaxed);
    reportAlerts(result.alertsWritten);
    m_metrics.feedGaps.fetch_add(result.feedGapsWritten, std::memory_order_relaxed);
    // Lag in seconds is measured from here: the batch (stored, duplicate or dead-lettered) is done with.
    for (const auto &[tp, p] : progress) {
        qint64 &newest = m_newestStoredMs[tp];
        newest = std::max<qint64>(newest, p.newestTimestampMs);
        m_storedNext[tp] = p.nextOffset;
    }

    std::vector<kafka::TopicPartitionOffset> commits;
    for (const auto &[tp, p] : progress) {
        if (m_flow)
            m_flow->release(tp.first, tp.second, p.bytes, p.messages);
        commits.push_back({tp.first, tp.second, p.nextOffset});
    }
    // For lag tools only (the database holds the truth): a failure is worth a line, not a stop.
    if (const Status c = m_consumer->commitAsync(commits); !c.ok())
        IssueLog::instance().warning(kComponent, QStringLiteral("cannot commit offsets to Kafka (lag tools will lag): %1")
                                                     .arg(c.errorMessage()));
    if (m_live)
        m_live->add(m_ticks, m_candles, m_indicators);
    return {};
}

void ConsumerWorker::reportLag()
{
    std::vector<ConsumerLag> lags;
    for (const auto &l : m_consumer->lag()) {
        ConsumerLag c;
        c.topic = QString::fromStdString(l.topic);
        c.partition = l.partition;
        c.position = l.position;
        // Behind the database, not only behind the fetch: messages fetched into a batch that is not
        // committed yet (the database away) still count. Kafka's view until something is stored.
        const auto storedNext = m_storedNext.find({l.topic, l.partition});
        if (storedNext != m_storedNext.end() && l.highWatermark >= 0)
            c.lagMessages = std::max<qint64>(0, l.highWatermark - storedNext->second);
        else
            c.lagMessages = l.lag;
        const auto newest = m_newestStoredMs.find({l.topic, l.partition});
        c.newestStoredMs = newest == m_newestStoredMs.end() ? 0 : newest->second;
        lags.push_back(std::move(c));
    }
    m_metrics.setLag(m_opt.index, std::move(lags));
}

Status ConsumerWorker::run(const std::atomic_bool &stop)
{
    auto store = TickStore::open(m_opt.database, QStringLiteral("ms-consumer-%1-%2")
                                                     .arg(m_opt.index)
                                                     .arg(quintptr(this), 0, 16));
    if (!store.ok()) {
        m_ready = true;
        return store.error();
    }
    m_store = std::move(store).value();
    m_store->setWriteLimits(kWriteTimeoutMs, &stop);
    m_builder = std::make_unique<CandleBuilder>(m_opt.candles);

    kafka::AssignmentHandler handler;
    handler.onAssigned = [this](const std::vector<kafka::TopicPartition> &tps) { return onAssigned(tps); };
    handler.onRevoked = [this](const std::vector<kafka::TopicPartition> &tps) { onRevoked(tps); };
    const bool isStatic = !m_opt.staticPartitions.empty();
    auto consumer = isStatic ? kafka::Consumer::createUnsubscribed(m_opt.kafka, m_opt.group, handler)
                             : kafka::Consumer::create(m_opt.kafka, m_opt.group,
                                                       QStringList{QString::fromStdString(m_opt.cryptoTopic),
                                                                   QString::fromStdString(m_opt.stockTopic)},
                                                       handler);
    if (!consumer.ok()) {
        m_ready = true;
        return consumer.error();
    }
    m_consumer = std::move(consumer).value();
    // A metadata request makes the client connect now; waiting for the cluster id alone left the
    // first connection to the group coordinator query, up to a second later.
    (void)partitionCount(m_opt.cryptoTopic);
    m_clusterId = m_consumer->clusterId(5000).toStdString();
    if (m_clusterId.empty())
        IssueLog::instance().warning(kComponent, QStringLiteral("cluster id unknown; stored positions cannot be matched"));
    if (isStatic) {
        if (Status s = m_consumer->assignStatic(m_opt.staticPartitions); !s.ok()) {
            m_ready = true;
            return s;
        }
    }

    QElapsedTimer lagTimer;
    lagTimer.start();
    Status result;
    while (!stop.load()) {
        kafka::MessageBatch batch = m_consumer->poll(m_opt.maxBatch, m_opt.pollTimeoutMs);
        for (const auto &e : batch.errors) {
            reportConsumerError(e);
            if (e.fatal) {
                result = makeError(e.message, e.code);
                break;
            }
        }
        if (!result.ok())
            break;
        if (!batch.messages.empty()) {
            result = processBatch(batch, stop);
            if (!result.ok())
                break;
        }
        if (lagTimer.elapsed() > 500) {
            lagTimer.restart();
            reportLag();
        }
    }
    if (result.ok())
        reportLag();  // the run's last word: what the summary at stop shows
    m_consumer->close(1000);
    m_consumer.reset();
    m_store.reset();
    return result;
}

}  // namespace ms
