#pragma once
// The pipeline of one process: sources → producer → Kafka → consumers (decode → candles → sink).
// Owns its worker threads; start() and stop() return at once and report through stateChanged (a
// start() right after a stop waits for the previous run's teardown on the control thread, reporting
// Starting meanwhile).
// Stop is bounded: every worker loop polls with short timeouts and checks an atomic flag; the
// destructor waits at most ~2 s.
//
// The GUI reads it without waiting: metrics() copies counters, takeLiveBatch() swaps out the ticks
// and candle updates staged since the last call (bounded: oldest dropped when nobody takes them).
#include "model/candle.h"
#include "model/indicators.h"
#include "model/tick.h"
#include "runtime/config.h"
#include "runtime/metrics.h"

#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace ms {

struct LiveBatch
{
    std::vector<Tick> ticks;                   // stored ticks, in processing order
    std::vector<Candle> candles;               // candle updates (forming and final)
    std::vector<IndicatorSnapshot> indicators; // latest indicator values per symbol/interval
    qint64 droppedTicks = 0;                   // staged ticks discarded because nobody took them
    qint64 droppedCandles = 0;                 // candle updates discarded likewise
    qint64 droppedIndicators = 0;              // indicator snapshots discarded likewise
};

class PipelineImpl;

class Pipeline : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Starting, Running, Stopping, Error };
    Q_ENUM(State)

    explicit Pipeline(QObject *parent = nullptr);
    ~Pipeline() override;  // stops (bounded) if running

    State state() const;
    QString stateMessage() const;
    // Error::code of the failure that put the pipeline in Error ("db_unreachable", "kafka_unreachable",
    // "db_rejected", ...); empty in any other state.
    QString errorCode() const;
    MetricsSnapshot metrics() const;
    LiveBatch takeLiveBatch();
    // Ticks stage for the GUI only when enabled (headless runs skip the copy).
    void setLiveBatchEnabled(bool on, size_t maxStagedTicks = 200000);
    // Bootstrap servers actually in use (the embedded broker's address while running).
    QString bootstrapServers() const;
    // Tests only: runs on the control thread at the start of each run's teardown (after the run
    // reported Stopped or Error). Set it before start().
    void setTeardownHookForTesting(std::function<void()> hook);

public Q_SLOTS:
    void start(const ms::PipelineConfig &config);
    void stop();

Q_SIGNALS:
    void stateChanged(ms::Pipeline::State state, const QString &message);
    // Every producer source finished (replay end, --max-ticks reached).
    void sourcesFinished();

private:
    std::unique_ptr<PipelineImpl> d;
};

QString toString(Pipeline::State s);

}  // namespace ms
