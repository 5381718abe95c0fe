// The start sequence of a pipeline run (see pipeline_run.h): database, Kafka, consumers, sources.
// Every wait in it is bounded and checks m_cancelStart, so Stop cuts it short.
#include "alerts/alert_rule.h"
#include "kafka/topic_admin.h"
#include "runtime/issue_log.h"
#include "runtime/pipeline_run.h"
#include "runtime/source_factory.h"
#include "sources/replay_source.h"
#include "sources/source.h"
#include "storage/database.h"

#include <QFileInfo>
#include <QMetaObject>
#include <algorithm>

namespace ms {

namespace {
const QString kComponent = QStringLiteral("pipeline");

Error stoppedWhileStarting()
{
    return makeError(QStringLiteral("stopped while starting"));
}
} // namespace

Status PipelineRun::startKafka()
{
    const PipelineConfig &c = m_config;
    m_kafka.props = c.kafkaProps;
    if (c.kafkaBootstrap.isEmpty()) {
        auto broker =
            kafka::EmbeddedBroker::start({kafka::TopicSpec{c.cryptoTopic, c.embeddedPartitions},
                                          kafka::TopicSpec{c.stockTopic, c.embeddedPartitions}},
                                         c.embeddedBrokers, true);
        if (!broker.ok())
            return makeError(QStringLiteral("cannot start the embedded Kafka broker: ") +
                             broker.errorMessage());
        m_broker = std::move(broker).value();
        m_kafka.bootstrap = m_broker->bootstrapServers();
    } else {
        m_kafka.bootstrap = c.kafkaBootstrap;
    }
    m_ctx.onBootstrap(m_kafka.bootstrap);
    if (c.runProducers || c.runConsumers) {
        kafka::KafkaSettings producerSettings = m_kafka;
        if (m_broker && !producerSettings.props.contains(QStringLiteral("linger.ms")))
            producerSettings.props.insert(QStringLiteral("linger.ms"),
                                          QStringLiteral("0.5")); // loopback: latency first
        auto producer = kafka::Producer::create(producerSettings, m_flow.get());
        if (!producer.ok())
            return makeError(QStringLiteral("cannot create the Kafka producer: ") +
                             producer.errorMessage());
        m_producer = std::move(producer).value();
        m_producer->setShutdownFlushTimeoutMs(300);
        QStringList topics{c.cryptoTopic, c.stockTopic};
        if (c.runConsumers) {
            topics << kafka::deadLetterTopic(c.cryptoTopic) << kafka::deadLetterTopic(c.stockTopic);
        }
        // One bound for the whole wait on an external cluster (--kafka-timeout), cut short by Stop.
        QElapsedTimer waited;
        waited.start();
        const int budgetMs = m_broker ? 10000 : std::max(1, c.kafkaConnectTimeoutMs);
        auto left = [&] { return int(std::max<qint64>(1, budgetMs - waited.elapsed())); };
        Status prepared = m_producer->prepareTopics(topics, left(), &m_cancelStart);
        if (!prepared.ok() && !m_broker &&
            prepared.error().code == QLatin1String("kafka_unknown_topic")) {
            // A real cluster may not have our topics yet: create them, then look again. (Asked only
            // when they are missing: some brokers, like librdkafka's mock, have no Admin API.)
            auto created =
                kafka::ensureTopics(m_kafka,
                                    {kafka::TopicSpec{c.cryptoTopic, c.embeddedPartitions},
                                     kafka::TopicSpec{c.stockTopic, c.embeddedPartitions}},
                                    -1, true, std::min(5000, left()));
            if (created.ok() && !created->created.isEmpty())
                IssueLog::instance().info(kComponent, QStringLiteral("created topics: ") +
                                                          created->created.join(u", "));
            prepared = m_producer->prepareTopics(topics, left(), &m_cancelStart);
        }
        if (!prepared.ok()) {
            const QString code = prepared.error().code == QLatin1String("kafka_unreachable")
                                     ? prepared.error().code
                                     : QStringLiteral("kafka_unusable");
            return makeError(QStringLiteral("Kafka at %1 is not usable: %2")
                                 .arg(m_kafka.bootstrap, prepared.errorMessage()),
                             code);
        }
        if (c.runConsumers) {
            auto dlq = kafka::DeadLetterWriter::create(
                m_kafka); // its own producer, sized for big messages
            if (!dlq.ok())
                return makeError(QStringLiteral("cannot create the dead-letter producer: ") +
                                 dlq.errorMessage());
            m_deadLetters = std::move(dlq).value();
        }
        m_publisher = std::make_unique<TickPublisher>(*m_producer, m_ctx.metrics, m_stopSources,
                                                      c.cryptoTopic.toStdString(),
                                                      c.stockTopic.toStdString());
        if (!c.recordFile.isEmpty() && c.runProducers) {
            auto rec = TickRecorder::open(c.recordFile);
            if (!rec.ok())
                return makeError(QStringLiteral("cannot record to %1: %2")
                                     .arg(c.recordFile, rec.errorMessage()));
            m_recorder = std::move(rec).value();
            TickRecorder *recorder = m_recorder.get();
            m_publisher->setTap([recorder](std::span<const Tick> ticks) {
                if (const Status st = recorder->append(ticks); !st.ok())
                    IssueLog::instance().error(QStringLiteral("recorder"), st.errorMessage());
            });
        }
    }
    return {};
}

Status PipelineRun::startConsumers()
{
    const PipelineConfig &c = m_config;
    auto url = DatabaseUrl::parse(c.databaseUrl.isEmpty() ? defaultDatabaseUrl() : c.databaseUrl);
    if (!url.ok())
        return url.error();
    CandleConfig candles;
    candles.intervalsSec.assign(c.candleIntervalsSec.begin(), c.candleIntervalsSec.end());
    candles.allowedLatenessMs = c.allowedLatenessMs;
    candles.smaPeriod = c.smaPeriod;
    candles.emaPeriod = c.emaPeriod;
    auto alerts = parseAlertRules(c.alertRules);
    if (!alerts.ok())
        return alerts.error();
    // On the embedded broker a consumer without a partition would have nothing to read.
    const int wanted = c.consumers > 0 ? c.consumers : m_broker && url->isPostgres() ? 2 : 1;
    const int n = m_broker ? std::clamp(wanted, 1, std::max(1, c.embeddedPartitions)) : wanted;
    if (m_cancelStart)
        return stoppedWhileStarting();
    for (int i = 0; i < n; ++i) {
        ConsumerWorkerOptions o;
        o.index = i;
        o.kafka = m_kafka;
        // The mock broker answers an empty fetch only after the whole fetch.wait.max.ms, and data
        // that arrives meanwhile waits for the next fetch: 1 ms (2,000 ticks/s: p50 6.1 → 4.8 ms).
        if (m_broker && !o.kafka.props.contains(QStringLiteral("fetch.wait.max.ms")))
            o.kafka.props.insert(QStringLiteral("fetch.wait.max.ms"), QStringLiteral("1"));
        o.group = c.consumerGroup;
        o.cryptoTopic = c.cryptoTopic.toStdString();
        o.stockTopic = c.stockTopic.toStdString();
        o.database = url.value();
        o.candles = candles;
        o.alerts = alerts.value();
        if (m_broker) {
            // Every reader of the embedded broker lives in this process: split its partitions here
            // instead of a group join (the mock's first join alone takes ~3 s).
            for (const std::string &topic : {o.cryptoTopic, o.stockTopic})
                for (int p = i; p < c.embeddedPartitions; p += n)
                    o.staticPartitions.push_back(kafka::TopicPartition{topic, p});
        }
        o.deterministicInput =
            c.runProducers &&
            (c.startTimeMs.has_value() ||
             std::any_of(c.sources.begin(), c.sources.end(),
                         [](const SourceSpec &s) { return s.type == QStringLiteral("replay"); }));
        auto worker = std::make_unique<ConsumerWorker>(o, m_ctx.metrics, m_flow.get(),
                                                       m_deadLetters.get(), &m_ctx.live);
        ConsumerWorker *w = worker.get();
        m_consumers.push_back(std::move(worker));
        m_consumerThreads.startFunction(QStringLiteral("consumer-%1").arg(i), [this, w] {
            const Status st = w->run(m_stopConsumers);
            if (!st.ok())
                m_ctx.onWorkerFailure(*this, st.error());
        });
    }
    startRetention(url.value());
    return {};
}

void PipelineRun::startRetention(const DatabaseUrl &url)
{
    // Its own thread and connection; joined with the consumers. A failure is logged, never fatal:
    // the pipeline stores ticks whether or not old ones can be deleted.
    RetentionWorkerOptions o;
    o.database = url;
    o.policy.tickDays = m_config.retainTicksDays;
    o.policy.oneSecondCandleDays = m_config.retainOneSecondCandlesDays;
    o.policy.candleIntervalsSec = m_config.candleIntervalsSec;
    o.firstPassAfterMs = m_config.retentionFirstPassMs;
    o.passEveryMs = m_config.retentionEveryMs;
    m_retention = std::make_unique<RetentionWorker>(o, m_ctx.metrics);
    RetentionWorker *w = m_retention.get();
    m_consumerThreads.startFunction(QStringLiteral("retention"), [this, w] {
        if (const Status st = w->run(m_stopConsumers); !st.ok())
            qWarning("Retention stopped: %s", qPrintable(st.errorMessage()));
    });
}

Status PipelineRun::startSources()
{
    const PipelineConfig &c = m_config;
    for (const SourceSpec &spec : c.sources) {
        auto created = createSource(spec, c);
        if (!created.ok())
            return created.error();
        startSource(std::move(created).value());
    }
    return {};
}

void PipelineRun::startSpoolReplays()
{
    // What the last clean stop could not store (see spool.h): replayed at full speed; the natural
    // keys make whatever was stored already a duplicate, not a second row.
    const QList<SpoolFile> files = pendingSpoolFiles(m_spoolDirectory);
    qint64 bytes = 0;
    for (const SpoolFile &f : files) {
        ReplayOptions o;
        o.path = f.path;
        o.speed = 0;
        o.defaultAsset = f.asset;
        auto finishedReading = std::make_shared<std::atomic_bool>(false);
        m_replayingSpool.push_back({f, finishedReading});
        // Connected before the source's thread starts: a small file is read to its end at once,
        // and a finished() emitted before the connection would leave the file for ever.
        auto replay = std::make_unique<ReplaySource>(o);
        Source *src = replay.get();
        QObject::connect(
            src, &Source::finished, src,
            [src, finishedReading] {
                if (src->status().state == SourceState::Finished)
                    finishedReading->store(true);
            },
            Qt::DirectConnection);
        startSource(std::move(replay));
        bytes += QFileInfo(f.path).size();
    }
    if (!files.isEmpty())
        IssueLog::instance().info(
            kComponent, QStringLiteral("replaying %1 spool file(s) (%2 KiB) left by the last stop")
                            .arg(files.size())
                            .arg(bytes / 1024));
}

Source *PipelineRun::startSource(std::unique_ptr<Source> owned)
{
    const QString name = owned->name();
    TickPublisher *pub = m_publisher.get();
    owned->setTickSink(
        [pub, name](std::span<const Tick> ticks) { return pub->publish(name, ticks); });
    // The thread owns the source from here on, and destroys it on itself when its loop ends.
    SourceThread *thread = m_sourceThreads.adopt(std::make_unique<SourceThread>(std::move(owned)));
    thread->setObjectName(QStringLiteral("source-") + name);
    Source *src = thread->source();
    MetricsRegistry &metrics = m_ctx.metrics;
    QObject::connect(
        src, &Source::statusChanged, src,
        [&metrics, name](const SourceStatus &s) {
            metrics.setSourceStatus(name, s);
            switch (s.state) {
            case SourceState::Unauthorized:
            case SourceState::Forbidden:
            case SourceState::Malformed:
                IssueLog::instance().error(QStringLiteral("source:") + name, s.message);
                break;
            case SourceState::RateLimited:
            case SourceState::NotFound:
            case SourceState::NetworkDown:
                IssueLog::instance().warning(QStringLiteral("source:") + name, s.message);
                break;
            default:
                break;
            }
        },
        Qt::DirectConnection);
    m_sourcesRunning.fetch_add(1);
    QObject::connect(
        src, &Source::finished, src,
        [this] {
            if (m_sourcesRunning.fetch_sub(1) == 1)
                m_ctx.onSourcesFinished();
        },
        Qt::DirectConnection);
    m_sources.push_back(thread);
    thread->start();
    QMetaObject::invokeMethod(src, &Source::start, Qt::QueuedConnection);
    return src;
}

Status PipelineRun::checkDatabase()
{
    // A wrong URL or an unreachable server is the most common mistake, and it should be said
    // plainly before anything else starts; the migrations are applied here too.
    auto url = DatabaseUrl::parse(m_config.databaseUrl.isEmpty() ? defaultDatabaseUrl()
                                                                 : m_config.databaseUrl);
    if (!url.ok())
        return url.error();
    const QString conn = QStringLiteral("ms-pipeline-check-%1").arg(quintptr(this), 0, 16);
    Status checked;
    {
        auto db = openDatabase(url.value(), conn);
        if (!db.ok())
            // The storage error names the (redacted) URL already: once is enough.
            return makeError(QStringLiteral("cannot open the database: %1").arg(db.errorMessage()),
                             db.error().code);
        checked = applyMigrations(db.value(), &m_cancelStart);
        db.value().close();
    }
    closeDatabase(conn);
    return checked;
}

bool PipelineRun::consumersReady() const
{
    for (const auto &w : m_consumers) {
        if (!w->ready())
            return false;
    }
    return true;
}

Status PipelineRun::start()
{
    const PipelineConfig &c = m_config;
    QElapsedTimer startClock;
    startClock.start();
    qint64 databaseMs = 0, kafkaMs = 0, consumersMs = 0;
    if (m_cancelStart) // stopped while this start waited for the previous run's teardown
        return stoppedWhileStarting();
    if (c.runConsumers) {
        if (const Status st = checkDatabase(); !st.ok())
            return st;
    }
    if (m_cancelStart)
        return stoppedWhileStarting();
    databaseMs = startClock.elapsed();
    if (const Status st = startKafka(); !st.ok())
        return st;
    kafkaMs = startClock.elapsed() - databaseMs;
    if (c.runConsumers) {
        if (const Status st = startConsumers(); !st.ok())
            return st;
    }
    if (c.runConsumers && c.runProducers) {
        // Sources start once the consumers hold their partitions (a group's first join takes
        // seconds): produce→database latency then measures the pipeline, not the join.
        QElapsedTimer waited;
        waited.start();
        while (!consumersReady() && waited.elapsed() < 20000) {
            if (m_cancelStart)
                return stoppedWhileStarting();
            QThread::msleep(10);
        }
        if (!consumersReady())
            IssueLog::instance().warning(
                kComponent, QStringLiteral("consumers have not joined the group after 20 s; "
                                           "starting the sources anyway"));
    }
    consumersMs = startClock.elapsed() - databaseMs - kafkaMs;
    if (c.runProducers) {
        if (const Status st = startSources(); !st.ok())
            return st;
    }
    if (m_broker && c.runConsumers && !m_spoolDirectory.isEmpty())
        startSpoolReplays();
    IssueLog::instance().info(
        kComponent,
        QStringLiteral("running: Kafka %1 (%2), %3 source(s), %4 consumer(s); started in "
                       "%5 ms (database %6 ms, Kafka %7 ms, consumers ready %8 ms)")
            .arg(m_broker ? QStringLiteral("embedded") : QStringLiteral("external"),
                 m_kafka.bootstrap)
            .arg(c.runProducers ? c.sources.size() : 0)
            .arg(m_consumers.size())
            .arg(startClock.elapsed())
            .arg(databaseMs)
            .arg(kafkaMs)
            .arg(consumersMs));
    return {};
}

} // namespace ms
