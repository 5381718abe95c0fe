#include "sources/simulator_source.h"

#include "model/time_util.h"

namespace ms {

SimulatorSource::SimulatorSource(SimulatorSourceOptions options, QObject *parent)
    : Source(parent), m_options(std::move(options)), m_sim(m_options.market),
      m_pacer(m_options.rate, m_options.batchSize * 4)
{
}

void SimulatorSource::start()
{
    if (m_running)
        return;
    m_running = true;
    m_timer = new QTimer(this);
    // Flat out: a zero timer yields to the event loop between slices. Paced: 5 ms slices.
    m_timer->setInterval(sliceIntervalMs());
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &SimulatorSource::step);
    m_clock.start();
    setStatus({SourceState::Running,
               QStringLiteral("simulating %1 symbols at %2")
                   .arg(m_options.market.symbols.size())
                   .arg(m_options.rate > 0 ? QStringLiteral("%1 ticks/s").arg(m_options.rate)
                                           : QStringLiteral("full speed")),
               0});
    m_timer->start();
}

void SimulatorSource::stop()
{
    m_stopRequested.store(true, std::memory_order_relaxed);
    if (m_running)
        finish(SourceState::Stopped, QStringLiteral("stopped"));
}

void SimulatorSource::finish(SourceState state, const QString &message)
{
    if (!m_running)
        return;
    m_running = false;
    if (m_timer)
        m_timer->stop();
    setStatus({state, message, 0});
    Q_EMIT finished();
}

void SimulatorSource::backpressureEnded()
{
    if (m_running && m_timer)
        m_timer->start(sliceIntervalMs());
}

void SimulatorSource::step()
{
    // Slices are bounded in time so a stop request or a queued stop() is seen within milliseconds.
    QElapsedTimer slice;
    slice.start();
    do {
        if (m_stopRequested.load(std::memory_order_relaxed)) {
            finish(SourceState::Stopped, QStringLiteral("stopped"));
            return;
        }
        if (backpressured()) {
            // Generate nothing new until the backlog is taken. The timer slows down meanwhile (a
            // zero timer that only finds the backlog still full took a core from the broker and
            // the consumers) but still sees requestStop(); backpressureEnded() restores it.
            m_timer->start(kThrottledCheckMs);
            return;
        }
        if (m_options.maxTicks > 0 && qint64(m_sim.generated()) >= m_options.maxTicks) {
            // Finished only once everything generated was taken (the backlog is empty).
            finish(SourceState::Finished, QStringLiteral("generated %1 ticks").arg(m_sim.generated()));
            return;
        }
        const uint64_t done = m_sim.generated();
        size_t n = std::min(m_pacer.due(m_clock.nsecsElapsed() / 1000, done), m_options.batchSize);
        if (m_options.maxTicks > 0)
            n = size_t(std::min<qint64>(qint64(n), m_options.maxTicks - qint64(done)));
        if (n == 0)
            break;
        m_batch.clear();
        m_sim.generate(n, m_batch, nowMs());
        publish(m_batch);  // never blocks: what does not fit waits in the backlog
        m_generatedCount.store(m_sim.generated(), std::memory_order_relaxed);
    } while (slice.elapsed() < 5);
}

}  // namespace ms
