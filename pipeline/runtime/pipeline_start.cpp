// The start sequence of a pipeline run (see pipeline_impl.h): database, Kafka, consumers, sources.
// Every wait in it is bounded and checks PipelineRun::cancelStart, so Stop cuts it short.
#include "runtime/pipeline_impl.h"

#include "kafka/topic_admin.h"
#include "runtime/issue_log.h"
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
}  // namespace

Status PipelineImpl::startKafka(PipelineRun &r)
{
    const PipelineConfig &c = r.config;
    r.kafka.props = c.kafkaProps;
    if (c.kafkaBootstrap.isEmpty()) {
        auto broker = kafka::EmbeddedBroker::start(
            {kafka::TopicSpec{c.cryptoTopic, c.embeddedPartitions}, kafka::TopicSpec{c.stockTopic, c.embeddedPartitions}},
            c.embeddedBrokers, true);
        if (!broker.ok())
            return makeError(QStringLiteral("cannot start the embedded Kafka broker: ") + broker.errorMessage());
        r.broker = std::move(broker).value();
        r.kafka.bootstrap = r.broker->bootstrapServers();
    } else {
        r.kafka.bootstrap = c.kafkaBootstrap;
    }
    {
        QMutexLocker lock(&stateMutex);
        bootstrap = r.kafka.bootstrap;
    }
    if (c.runProducers || c.runConsumers) {
        kafka::KafkaSettings producerSettings = r.kafka;
        if (r.broker && !producerSettings.props.contains(QStringLiteral("linger.ms")))
            producerSettings.props.insert(QStringLiteral("linger.ms"), QStringLiteral("0.5"));  // loopback: latency first
        auto producer = kafka::Producer::create(producerSettings, r.flow.get());
        if (!producer.ok())
            return makeError(QStringLiteral("cannot create the Kafka producer: ") + producer.errorMessage());
        r.producer = std::move(producer).value();
        r.producer->setShutdownFlushTimeoutMs(300);
        QStringList topics{c.cryptoTopic, c.stockTopic};
        if (c.runConsumers) {
            topics << kafka::deadLetterTopic(c.cryptoTopic) << kafka::deadLetterTopic(c.stockTopic);
        }
        // One bound for the whole wait on an external cluster (--kafka-timeout), cut short by Stop.
        QElapsedTimer waited;
        waited.start();
        const int budgetMs = r.broker ? 10000 : std::max(1, c.kafkaConnectTimeoutMs);
        auto left = [&] { return int(std::max<qint64>(1, budgetMs - waited.elapsed())); };
        Status prepared = r.producer->prepareTopics(topics, left(), &r.cancelStart);
        if (!prepared.ok() && !r.broker && prepared.error().code == QLatin1String("kafka_unknown_topic")) {
            // A real cluster may not have our topics yet: create them, then look again. (Asked only
            // when they are missing: some brokers, like librdkafka's mock, have no Admin API.)
            auto created = kafka::ensureTopics(r.kafka, {kafka::TopicSpec{c.cryptoTopic, c.embeddedPartitions},
                                                         kafka::TopicSpec{c.stockTopic, c.embeddedPartitions}},
                                              -1, true, std::min(5000, left()));
            if (created.ok() && !created->created.isEmpty())
                IssueLog::instance().info(kComponent, QStringLiteral("created topics: ") + created->created.join(u", "));
            prepared = r.producer->prepareTopics(topics, left(), &r.cancelStart);
        }
        if (!prepared.ok()) {
            const QString code = prepared.error().code == QLatin1String("kafka_unreachable")
                ? prepared.error().code : QStringLiteral("kafka_unusable");
            return makeError(QStringLiteral("Kafka at %1 is not usable: %2").arg(r.kafka.bootstrap, prepared.errorMessage()),
                             code);
        }
        if (c.runConsumers) {
            auto dlq = kafka::DeadLetterWriter::create(r.kafka);  // its own producer, sized for big messages
            if (!dlq.ok())
                return makeError(QStringLiteral("cannot create the dead-letter producer: ") + dlq.errorMessage());
            r.deadLetters = std::move(dlq).value();
        }
        r.publisher = std::make_unique<TickPublisher>(*r.producer, metrics, r.stopSources, c.cryptoTopic.toStdString(),
                                                      c.stockTopic.toStdString());
        if (!c.recordFile.isEmpty() && c.runProducers) {
            auto rec = TickRecorder::open(c.recordFile);
            if (!rec.ok())
                return makeError(QStringLiteral("cannot record to %1: %2").arg(c.recordFile, rec.errorMessage()));
            r.recorder = std::move(rec).value();
            TickRecorder *recorder = r.recorder.get();
            r.publisher->setTap([recorder](std::span<const Tick> ticks) {
                if (const Status st = recorder->append(ticks); !st.ok())
                    IssueLog::instance().error(QStringLiteral("recorder"), st.errorMessage());
            });
        }
    }
    return {};
}

Status PipelineImpl::startConsumers(PipelineRun &r)
{
    const PipelineConfig &c = r.config;
    auto url = DatabaseUrl::parse(c.databaseUrl.isEmpty() ? defaultDatabaseUrl() : c.databaseUrl);
    if (!url.ok())
        return url.error();
    CandleConfig candles;
    candles.intervalsSec.assign(c.candleIntervalsSec.begin(), c.candleIntervalsSec.end());
    candles.allowedLatenessMs = c.allowedLatenessMs;
    candles.smaPeriod = c.smaPeriod;
    candles.emaPeriod = c.emaPeriod;
    // On the embedded broker a consumer without a partition would have nothing to read.
    const int wanted = c.consumers > 0 ? c.consumers : r.broker && url->isPostgres() ? 2 : 1;
    const int n = r.broker ? std::clamp(wanted, 1, std::max(1, c.embeddedPartitions)) : wanted;
    if (r.cancelStart)
        return makeError(QStringLiteral("stopped while starting"));
    for (int i = 0; i < n; ++i) {
        ConsumerWorkerOptions o;
        o.index = i;
        o.kafka = r.kafka;
        // The mock broker answers an empty fetch only after the whole fetch.wait.max.ms, and data
        // that arrives meanwhile waits for the next fetch: 1 ms (2,000 ticks/s: p50 6.1 → 4.8 ms).
        if (r.broker && !o.kafka.props.contains(QStringLiteral("fetch.wait.max.ms")))
            o.kafka.props.insert(QStringLiteral("fetch.wait.max.ms"), QStringLiteral("1"));
        o.group = c.consumerGroup;
        o.cryptoTopic = c.cryptoTopic.toStdString();
        o.stockTopic = c.stockTopic.toStdString();
        o.database = url.value();
        o.candles = candles;
        if (r.broker) {
            // Every reader of the embedded broker lives in this process: split its partitions here
            // instead of a group join (the mock's first join alone takes ~3 s).
            for (const std::string &topic : {o.cryptoTopic, o.stockTopic})
                for (int p = i; p < c.embeddedPartitions; p += n)
                    o.staticPartitions.push_back(kafka::TopicPartition{topic, p});
        }
        o.deterministicInput = c.runProducers && (c.startTimeMs.has_value()
                                                  || std::any_of(c.sources.begin(), c.sources.end(), [](const SourceSpec &s) {
                                                         return s.type == QStringLiteral("replay");
                                                     }));
        auto worker = std::make_unique<ConsumerWorker>(o, metrics, r.flow.get(), r.deadLetters.get(), &live);
        ConsumerWorker *w = worker.get();
        r.consumers.push_back(std::move(worker));
        r.consumerThreads.startFunction(QStringLiteral("consumer-%1").arg(i), [this, w, &r] {
            const Status st = w->run(r.stopConsumers);
            if (!st.ok())
                onWorkerFailure(r, st.error());
        });
    }
    startRetention(r, url.value());
    return {};
}

void PipelineImpl::startRetention(PipelineRun &r, const DatabaseUrl &url)
{
    // Its own thread and connection; joined with the consumers. A failure is logged, never fatal:
    // the pipeline stores ticks whether or not old ones can be deleted.
    RetentionWorkerOptions o;
    o.database = url;
    o.policy.tickDays = r.config.retainTicksDays;
    o.policy.oneSecondCandleDays = r.config.retainOneSecondCandlesDays;
    o.policy.candleIntervalsSec = r.config.candleIntervalsSec;
    o.firstPassAfterMs = r.config.retentionFirstPassMs;
    o.passEveryMs = r.config.retentionEveryMs;
    r.retention = std::make_unique<RetentionWorker>(o, metrics);
    RetentionWorker *w = r.retention.get();
    r.consumerThreads.startFunction(QStringLiteral("retention"), [w, &r] {
        if (const Status st = w->run(r.stopConsumers); !st.ok())
            qWarning("Retention stopped: %s", qPrintable(st.errorMessage()));
    });
}

Status PipelineImpl::startSources(PipelineRun &r)
{
    const PipelineConfig &c = r.config;
    for (const SourceSpec &spec : c.sources) {
        auto created = createSource(spec, c);
        if (!created.ok())
            return created.error();
        startSource(r, std::move(created).value());
    }
    return {};
}

void PipelineImpl::startSpoolReplays(PipelineRun &r)
{
    // What the last clean stop could not store (see spool.h): replayed at full speed; the natural
    // keys make whatever was stored already a duplicate, not a second row.
    const QList<SpoolFile> files = pendingSpoolFiles(r.spoolDirectory);
    qint64 bytes = 0;
    for (const SpoolFile &f : files) {
        ReplayOptions o;
        o.path = f.path;
        o.speed = 0;
        o.defaultAsset = f.asset;
        auto finishedReading = std::make_shared<std::atomic_bool>(false);
        r.replayingSpool.push_back({f, finishedReading});
        Source *src = startSource(r, std::make_unique<ReplaySource>(o));
        QObject::connect(src, &Source::finished, src, [src, finishedReading] {
            if (src->status().state == SourceState::Finished)
                finishedReading->store(true);
        }, Qt::DirectConnection);
        bytes += QFileInfo(f.path).size();
    }
    if (!files.isEmpty())
        IssueLog::instance().info(kComponent, QStringLiteral("replaying %1 spool file(s) (%2 KiB) left by the last stop")
                                                  .arg(files.size())
                                                  .arg(bytes / 1024));
}

Source *PipelineImpl::startSource(PipelineRun &r, std::unique_ptr<Source> owned)
{
    Source *src = owned.release();  // owned by its thread from here on (deleteLater when it finishes)
    const QString name = src->name();
    TickPublisher *pub = r.publisher.get();
    src->setTickSink([pub, name](std::span<const Tick> ticks) { return pub->publish(name, ticks); });
    QThread *thread = r.sourceThreads.adoptEventLoopThread(std::make_unique<QThread>());
    thread->setObjectName(QStringLiteral("source-") + name);
    src->moveToThread(thread);
    QObject::connect(thread, &QThread::finished, src, &QObject::deleteLater);
    QObject::connect(src, &Source::statusChanged, src, [this, name](const SourceStatus &s) {
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
        default: break;
        }
    }, Qt::DirectConnection);
    r.sourcesRunning.fetch_add(1);
    QObject::connect(src, &Source::finished, src, [this, &r] {
        if (r.sourcesRunning.fetch_sub(1) == 1) {
            QPointer<Pipeline> guard(q);
            QMetaObject::invokeMethod(q, [guard] { if (guard) Q_EMIT guard->sourcesFinished(); },
                                      Qt::QueuedConnection);
        }
    }, Qt::DirectConnection);
    r.sources.push_back(src);
    thread->start();
    QMetaObject::invokeMethod(src, &Source::start, Qt::QueuedConnection);
    return src;
}

Status PipelineImpl::doStart(PipelineRun &r)
{
    const PipelineConfig &c = r.config;
    QElapsedTimer startClock;
    startClock.start();
    qint64 databaseMs = 0, kafkaMs = 0, consumersMs = 0;
    // The database first: a wrong URL or an unreachable server is the most common mistake, and it
    // should be said plainly before anything else starts.
    if (c.runConsumers) {
        auto url = DatabaseUrl::parse(c.databaseUrl.isEmpty() ? defaultDatabaseUrl() : c.databaseUrl);
        if (!url.ok())
            return url.error();
        const QString conn = QStringLiteral("ms-pipeline-check-%1").arg(quintptr(&r), 0, 16);
        {
            auto db = openDatabase(url.value(), conn);
            if (!db.ok())
                // The storage error names the (redacted) URL already: once is enough.
                return makeError(QStringLiteral("cannot open the database: %1").arg(db.errorMessage()),
                                 db.error().code);
            const Status migrated = applyMigrations(db.value(), &r.cancelStart);
            if (!migrated.ok()) {
                db.value().close();
                closeDatabase(conn);
                return migrated;
            }
            db.value().close();
        }
        closeDatabase(conn);
    }
    if (r.cancelStart)
        return makeError(QStringLiteral("stopped while starting"));
    databaseMs = startClock.elapsed();
    if (const Status st = startKafka(r); !st.ok())
        return st;
    kafkaMs = startClock.elapsed() - databaseMs;
    if (c.runConsumers) {
        if (const Status st = startConsumers(r); !st.ok())
            return st;
    }
    if (c.runConsumers && c.runProducers) {
        // Sources start once the consumers hold their partitions (a group's first join takes seconds):
        // produce→database latency then measures the pipeline, not the join.
        QElapsedTimer waited;
        waited.start();
        auto allReady = [&r] {
            for (const auto &w : r.consumers) {
                if (!w->ready())
                    return false;
            }
            return true;
        };
        while (!allReady() && waited.elapsed() < 20000) {
            if (r.cancelStart)
                return makeError(QStringLiteral("stopped while starting"));
            QThread::msleep(10);
        }
        if (!allReady())
            IssueLog::instance().warning(kComponent, QStringLiteral("consumers have not joined the group after 20 s; "
                                                                    "starting the sources anyway"));
    }
    consumersMs = startClock.elapsed() - databaseMs - kafkaMs;
    if (c.runProducers) {
        if (const Status st = startSources(r); !st.ok())
            return st;
    }
    if (r.broker && c.runConsumers && !r.spoolDirectory.isEmpty())
        startSpoolReplays(r);
    IssueLog::instance().info(kComponent, QStringLiteral("running: Kafka %1 (%2), %3 source(s), %4 consumer(s); started in "
                                                         "%5 ms (database %6 ms, Kafka %7 ms, consumers ready %8 ms)")
                                              .arg(r.broker ? QStringLiteral("embedded") : QStringLiteral("external"),
                                                   r.kafka.bootstrap)
                                              .arg(c.runProducers ? c.sources.size() : 0)
                                              .arg(r.consumers.size())
                                              .arg(startClock.elapsed())
                                              .arg(databaseMs)
                                              .arg(kafkaMs)
                                              .arg(consumersMs));
    return {};
}

}  // namespace ms
