// The start and stop sequences of a pipeline run (see pipeline_impl.h).
#include "runtime/pipeline_impl.h"

#include "kafka/topic_admin.h"
#include "model/time_util.h"
#include "runtime/issue_log.h"
#include "runtime/source_factory.h"
#include "storage/database.h"

#include <QMetaObject>

#include <algorithm>

namespace ms {

namespace {
const QString kComponent = QStringLiteral("pipeline");

bool waitThread(QThread *t, int ms)
{
    return t->wait(QDeadlineTimer(ms));
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// PipelineImpl

PipelineImpl::~PipelineImpl()
{
    waitControl();
}

void PipelineImpl::waitControl()
{
    if (control.joinable())
        control.join();
}

void PipelineImpl::setState(Pipeline::State s, const QString &msg)
{
    {
        QMutexLocker lock(&stateMutex);
        state = s;
        message = msg;
    }
    if (s == Pipeline::State::Error)
        IssueLog::instance().error(kComponent, msg);
    else if (!msg.isEmpty())
        IssueLog::instance().info(kComponent, toString(s) + QStringLiteral(": ") + msg);
    QPointer<Pipeline> guard(q);
    QMetaObject::invokeMethod(
        q,
        [guard, s, msg] {
            if (guard)
                Q_EMIT guard->stateChanged(s, msg);
        },
        Qt::QueuedConnection);
}

void PipelineImpl::start(const PipelineConfig &config)
{
    {
        QMutexLocker lock(&stateMutex);
        if (state == Pipeline::State::Starting || state == Pipeline::State::Running
            || state == Pipeline::State::Stopping)
            return;  // starting twice is harmless
    }
    waitControl();  // the previous run's stop has finished (state is Stopped or Error)
    metrics.reset();
    live.clear();
    sinceRotate.start();
    setState(Pipeline::State::Starting, QString());
    auto r = std::make_unique<PipelineRun>();
    r->config = config;
    if (config.freshSeedPerStart)
        r->config.seed = quint64(nowUs());
    PipelineRun *raw = r.get();
    {
        QMutexLocker lock(&stateMutex);
        run = std::move(r);
    }
    control = std::thread([this, raw] {
        const Status st = doStart(*raw);
        if (raw->cancelStart)
            return;  // stop() was called while starting; its thread tears down and reports
        if (!st.ok()) {
            doStop(*raw);
            {
                QMutexLocker lock(&stateMutex);
                bootstrap.clear();
            }
            setState(Pipeline::State::Error, st.errorMessage());
            return;
        }
        setState(Pipeline::State::Running, QString());
    });
}

void PipelineImpl::stop()
{
    PipelineRun *raw = nullptr;
    {
        QMutexLocker lock(&stateMutex);
        if (state != Pipeline::State::Running && state != Pipeline::State::Starting)
            return;  // stopping twice, or stopping a stopped pipeline, is harmless
        raw = run.get();
        if (state == Pipeline::State::Starting && raw) {
            // Cut a start in progress short: every step checks these flags.
            raw->cancelStart = true;
            raw->stopSources = true;
            raw->stopConsumers = true;
            if (raw->flow)
                raw->flow->wakeAll();
        }
    }
    setState(Pipeline::State::Stopping, QString());
    // Never blocks the caller: the stop sequence runs on the control thread, after any start.
    std::thread previous = std::move(control);
    control = std::thread([this, raw, previous = std::move(previous)]() mutable {
        if (previous.joinable())
            previous.join();
        if (raw)
            doStop(*raw);
        {
            QMutexLocker lock(&stateMutex);
            bootstrap.clear();
        }
        setState(Pipeline::State::Stopped, QString());
    });
}

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
        // The app owns both ends: throttle producers by the consumers' progress so the broker's
        // 5 MiB-per-partition retention never deletes unread ticks.
        if (c.runConsumers)
            r.flow = std::make_unique<kafka::FlowControl>();
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
        Status prepared = r.producer->prepareTopics(topics, r.broker ? 10000 : 3000);
        if (!prepared.ok() && !r.broker) {
            // A real cluster may not have our topics yet: create them, then look again. (Asked only
            // when they are missing: some brokers, like librdkafka's mock, have no Admin API.)
            auto created = kafka::ensureTopics(r.kafka, {kafka::TopicSpec{c.cryptoTopic, c.embeddedPartitions},
                                                         kafka::TopicSpec{c.stockTopic, c.embeddedPartitions}},
                                              -1, true, 5000);
            if (created.ok() && !created->created.isEmpty())
                IssueLog::instance().info(kComponent, QStringLiteral("created topics: ") + created->created.join(u", "));
            prepared = r.producer->prepareTopics(topics, 10000);
        }
        if (!prepared.ok())
            return makeError(QStringLiteral("Kafka at %1 is not usable: %2").arg(r.kafka.bootstrap, prepared.errorMessage()));
        r.deadLetters = std::make_unique<kafka::DeadLetterWriter>(*r.producer);
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
        auto worker = std::make_unique<ConsumerWorker>(o, metrics, r.flow.get(), r.producer.get(),
                                                       r.deadLetters.get(), &live);
        ConsumerWorker *w = worker.get();
        QThread *t = QThread::create([this, w, &r] {
            const Status st = w->run(r.stopConsumers);
            if (!st.ok())
                onConsumerExit(st);
        });
        t->setObjectName(QStringLiteral("consumer-%1").arg(i));
        r.consumers.push_back(std::move(worker));
        r.consumerThreads.push_back(t);
        t->start();
    }
    return {};
}

void PipelineImpl::onConsumerExit(const Status &status)
{
    IssueLog::instance().error(QStringLiteral("consumer"), status.errorMessage());
    // A consumer that cannot go on takes the pipeline to Error; the GUI and headless runner react.
    {
        QMutexLocker lock(&stateMutex);
        message = status.errorMessage();
    }
    QPointer<Pipeline> guard(q);
    const QString msg = status.errorMessage();
    QMetaObject::invokeMethod(
        q,
        [guard, msg] {
            if (guard && guard->state() == Pipeline::State::Running) {
                guard->stop();
                IssueLog::instance().error(QStringLiteral("pipeline"), QStringLiteral("stopped after a consumer failure: ") + msg);
            }
        },
        Qt::QueuedConnection);
}

Status PipelineImpl::startSources(PipelineRun &r)
{
    const PipelineConfig &c = r.config;
    for (const SourceSpec &spec : c.sources) {
        auto created = createSource(spec, c);
        if (!created.ok())
            return created.error();
        Source *src = std::move(created).value().release();  // owned by its thread from here on
        const QString name = src->name();
        TickPublisher *pub = r.publisher.get();
        src->setTickHandler([pub, name](std::span<const Tick> ticks) { pub->publish(name, ticks); });
        auto *thread = new QThread;
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
        r.sourceThreads.push_back(thread);
        thread->start();
        QMetaObject::invokeMethod(src, &Source::start, Qt::QueuedConnection);
    }
    return {};
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
            const Status migrated = applyMigrations(db.value());
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

void PipelineImpl::doStop(PipelineRun &r)
{
    QElapsedTimer clock;
    clock.start();
    // 1. Sources stop producing (a producer blocked on back-pressure returns at once).
    r.stopSources = true;
    if (r.flow)
        r.flow->wakeAll();
    for (const QPointer<Source> &s : r.sources) {
        if (s)
            QMetaObject::invokeMethod(s.data(), &Source::stop, Qt::QueuedConnection);
    }
    for (QThread *t : r.sourceThreads) {
        t->quit();
        if (!waitThread(t, 600))
            IssueLog::instance().warning(kComponent, QStringLiteral("a source thread did not stop in time"));
    }
    // 2. Drain: what was produced reaches the broker, and (embedded: the app owns both ends) the
    //    consumers catch up, so a clean Stop leaves nothing behind in a broker that dies with us.
    if (r.producer)
        r.producer->flush(400);
    if (!r.consumers.empty() && r.producer) {
        while (clock.elapsed() < 1300) {
            const qint64 done = metrics.stored.load() + metrics.rejected.load();
            if (done >= r.producer->delivered() - r.deadLetters->total())
                break;
            QThread::msleep(10);
        }
    }
    // 3. Consumers finish their batch, close (bounded), threads end.
    r.stopConsumers = true;
    for (QThread *t : r.consumerThreads) {
        if (!waitThread(t, 1500))
            IssueLog::instance().warning(kComponent, QStringLiteral("a consumer thread did not stop in time"));
    }
    metrics.produced.store(r.producer ? r.producer->delivered() : metrics.produced.load());
    metrics.produceErrors.store(r.producer ? r.producer->failed() : metrics.produceErrors.load());
    for (QThread *t : r.consumerThreads)
        delete t;
    r.consumerThreads.clear();
    r.consumers.clear();
    for (QThread *t : r.sourceThreads) {
        waitThread(t, 200);
        delete t;
    }
    r.sourceThreads.clear();
    r.publisher.reset();
    r.recorder.reset();
    r.deadLetters.reset();
    r.producer.reset();
    r.broker.reset();
}

}  // namespace ms
