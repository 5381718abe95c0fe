#pragma once
// The offline default source: a MarketSimulator driven on its own thread, paced at a rate or flat out.
// Works in short slices (≤ a few ms each) returned to the event loop in between, so stop() is
// delivered promptly; requestStop() may also be called from any thread.
#include "sources/market_simulator.h"
#include "sources/source.h"

#include <QElapsedTimer>
#include <QTimer>

#include <atomic>

namespace ms {

struct SimulatorSourceOptions
{
    SimulatorOptions market;
    double rate = 1000;   // ticks/s over all symbols; <= 0: as fast as possible
    qint64 maxTicks = 0;  // 0: unbounded
    size_t batchSize = 2000;
};

class SimulatorSource : public Source
{
    Q_OBJECT
public:
    explicit SimulatorSource(SimulatorSourceOptions options, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("simulator"); }
    void requestStop() { m_stopRequested.store(true, std::memory_order_relaxed); }
    uint64_t generated() const { return m_generatedCount.load(std::memory_order_relaxed); }

public Q_SLOTS:
    void start() override;
    void stop() override;

private:
    static constexpr int kThrottledCheckMs = 20;  // timer interval while backpressured()
    int sliceIntervalMs() const { return m_options.rate > 0 ? 5 : 0; }
    void backpressureEnded() override;
    void step();
    void finish(SourceState state, const QString &message);

    SimulatorSourceOptions m_options;
    MarketSimulator m_sim;
    RatePacer m_pacer;
    QTimer *m_timer = nullptr;  // owned (child)
    QElapsedTimer m_clock;
    std::vector<Tick> m_batch;
    std::atomic_bool m_stopRequested{false};
    std::atomic<uint64_t> m_generatedCount{0};
    bool m_running = false;
};

}  // namespace ms
