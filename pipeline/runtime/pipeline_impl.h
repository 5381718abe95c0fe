#pragma once
// Private to pipeline.cpp: the components of one run and the start/stop sequences. Start and stop
// run on a control thread so the caller (the GUI thread) never waits on Kafka or the database.
#include "kafka/dead_letter.h"
#include "kafka/embedded_broker.h"
#include "kafka/flow_control.h"
#include "kafka/producer.h"
#include "runtime/consumer_worker.h"
#include "runtime/live_stage.h"
#include "runtime/metrics_registry.h"
#include "runtime/pipeline.h"
#include "runtime/tick_publisher.h"
#include "sources/tick_recorder.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ms {

class Source;

// Everything that exists only while the pipeline runs, in construction order; torn down in reverse.
struct PipelineRun
{
    PipelineConfig config;
    std::unique_ptr<kafka::EmbeddedBroker> broker;
    std::unique_ptr<kafka::FlowControl> flow;
    kafka::KafkaSettings kafka;
    std::unique_ptr<kafka::Producer> producer;
    std::unique_ptr<kafka::DeadLetterWriter> deadLetters;
    std::unique_ptr<TickRecorder> recorder;  // --record FILE
    std::unique_ptr<TickPublisher> publisher;
    std::atomic_bool cancelStart{false};
    std::atomic_bool stopSources{false};
    std::atomic_bool stopConsumers{false};
    std::vector<std::unique_ptr<ConsumerWorker>> consumers;
    std::vector<QThread *> consumerThreads;  // owned: deleted after join
    std::vector<QThread *> sourceThreads;    // owned: deleted after join; sources deleteLater there
    std::vector<QPointer<Source>> sources;
    std::atomic<int> sourcesRunning{0};
};

class PipelineImpl
{
public:
    explicit PipelineImpl(Pipeline *q) : q(q) {}
    ~PipelineImpl();

    void start(const PipelineConfig &config);
    void stop();
    void waitControl();

    Pipeline *q;
    MetricsRegistry metrics;
    LiveStage live;
    mutable QMutex stateMutex;  // guards state, message, run pointer swaps, bootstrap
    Pipeline::State state = Pipeline::State::Stopped;
    QString message;
    QString bootstrap;
    std::unique_ptr<PipelineRun> run;
    std::thread control;
    QElapsedTimer sinceRotate;

private:
    void setState(Pipeline::State s, const QString &msg);
    Status doStart(PipelineRun &r);
    void doStop(PipelineRun &r);
    Status startKafka(PipelineRun &r);
    Status startConsumers(PipelineRun &r);
    Status startSources(PipelineRun &r);
    void onConsumerExit(const Status &status);
};

}  // namespace ms
