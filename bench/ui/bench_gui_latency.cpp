// Prints figures; asserts nothing. The desktop window against a database (issue 12, "Measured"):
//   launch  Time from constructing the window over a seeded database to a drawn chart of stored
//           history, and the longest GUI-thread stall (a 1 ms heartbeat timer's largest gap) until
//           the history has loaded. The seed: the candles of 24 h at 1,000 ticks/s (10 symbols of
//           100 ticks/s: every 1 s, 1 min, 5 min and 1 h candle of the day) plus the ticks of the
//           last --tick-hours hour(s) (default 1: 3.6M rows), written through TickStore's bulk
//           path.
//   latency Produce→database latency p50/p99 with the pipeline paced at --rate ticks/s (2,000)
//           while the window shows 1 s candles over the 1d range, and while it cycles through
//           every range x interval (one switch per 250 ms), against a baseline with the window
//           hidden (same pipeline, nothing drawn); with the GUI stalls seen meanwhile. Its
//           database holds 24 h of candles of the simulator's symbols first, so the 1d range
//           draws a whole stored day, and every run simulates new trades (as the desktop app).
// Each on SQLite (the desktop default) and on a throwaway PostgreSQL 15 server (tests/support).
// Usage: bench_gui_latency [--part launch|latency|all] [--db sqlite|postgres|all] [--seconds S]
//                          [--rate R] [--tick-hours H] [--sqlite-file PATH] [--trace]
#include "bench_stats.h"
#include "chart_panel.h"
#include "history_loader.h"
#include "main_window.h"
#include "pg_server.h"
#include "storage/tick_store.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>

using namespace ms;
using namespace ms::bench;

namespace {

constexpr int kSymbols = 10;
constexpr int kTicksPerSymbolPerSec = 100;
constexpr qint64 kDayMs = 24LL * 3600 * 1000;

// Records the slowest event the GUI thread delivered at the top level, to name a stall's cause.
class TimingApp : public QApplication
{
public:
    using QApplication::QApplication;
    double slowestMs = 0;
    double slowestCpuMs = 0; // of it on the CPU (the rest the thread waited for a core)
    QByteArray slowest;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        const QByteArray what = QByteArray(receiver->metaObject()->className()) + ' ' +
                                receiver->objectName().toLatin1() + " event " +
                                QByteArray::number(int(event->type()));
        ++m_depth;
        QElapsedTimer timer;
        timer.start();
        const double cpu0 = threadCpuMs();
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        if (ms > slowestMs) {
            slowestMs = ms;
            slowestCpuMs = threadCpuMs() - cpu0;
            slowest = what;
        }
        return result;
    }

private:
    int m_depth = 0;
};

TimingApp *timingApp()
{
    return static_cast<TimingApp *>(QCoreApplication::instance());
}

// The largest gap between ticks of a 1 ms timer while it runs: how long the GUI thread was away.
class Heartbeat
{
public:
    Heartbeat()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0)
                m_gaps.push_back(double(now - m_last) / 1e6);
            m_last = now;
            if (m_onTick)
                m_onTick();
        });
    }
    void start(std::function<void()> onTick = {})
    {
        m_onTick = std::move(onTick);
        m_gaps.clear();
        m_last = -1;
        m_clock.start();
        m_timer.start(1);
    }
    void stop() { m_timer.stop(); }
    Stats stats() const { return summarize(m_gaps); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    std::vector<double> m_gaps;
    std::function<void()> m_onTick;
};

struct SeedSymbol
{
    std::string name;
    double price; // where its walk starts
};

// The launch seed's symbols: kSymbols of their own.
std::vector<SeedSymbol> launchSymbols()
{
    std::vector<SeedSymbol> symbols;
    for (int s = 0; s < kSymbols; ++s)
        symbols.push_back({"SEED" + std::to_string(s), 100.0 + 10 * s});
    return symbols;
}

// The latency runs' seed: the simulator's default symbols at about its prices, so the window's
// 1d range of 1 s candles draws a whole stored day that the live run continues.
std::vector<SeedSymbol> simulatorSymbols()
{
    return {{"BTC", 43000}, {"ETH", 2300}, {"BNB", 310}, {"AAPL", 190}, {"MSFT", 370}, {"GOOGL", 140}};
}

// Writes the seed: 24 h of candles at every interval for the symbols ending now, and the ticks of
// the last tickHours hours. Returns false (printed) on a database error.
bool seed(const QString &url, double tickHours, const std::vector<SeedSymbol> &symbols)
{
    auto parsed = DatabaseUrl::parse(url);
    auto store = parsed ? TickStore::open(*parsed, QStringLiteral("seed"))
                        : Result<std::unique_ptr<TickStore>>(parsed.error());
    if (!store) {
        std::printf("seed: %s\n", qPrintable(store.error().message));
        return false;
    }
    QElapsedTimer timer;
    timer.start();
    const qint64 end = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
    const qint64 start = end - kDayMs;
    const qint64 tickFrom = end - qint64(tickHours * 3600 * 1000);
    std::mt19937 rng(7);
    std::normal_distribution<double> step(0, 0.0002); // of the price
    qint64 candles = 0, ticks = 0;
    for (const SeedSymbol &seedSymbol : symbols) {
        const std::string &symbol = seedSymbol.name;
        double price = seedSymbol.price;
        std::map<int, Candle> forming;
        std::vector<Candle> batchCandles;
        std::vector<Tick> batchTicks;
        auto flush = [&] {
            WriteBatch batch;
            batch.candles = batchCandles;
            batch.ticks = batchTicks;
            auto written = (*store)->write(batch);
            if (!written) {
                std::printf("seed: %s\n", qPrintable(written.error().message));
                return false;
            }
            candles += qint64(batchCandles.size());
            ticks += qint64(batchTicks.size());
            batchCandles.clear();
            batchTicks.clear();
            return true;
        };
        // One price per second drives the candles (a candle's OHLC of 100 ticks is summarised by
        // the second's walk); the stored ticks of the last hour are 100 per second.
        for (qint64 t = start; t < end; t += 1000) {
            const double open = price;
            double hi = price, lo = price;
            for (int k = 0; k < kTicksPerSymbolPerSec; ++k) {
                price = std::max(seedSymbol.price / 100, price * (1 + step(rng)));
                hi = std::max(hi, price);
                lo = std::min(lo, price);
                if (t >= tickFrom) {
                    Tick tick;
                    tick.symbol = symbol;
                    tick.price = price;
                    tick.volume = 1;
                    tick.tsMs = t + k * 10;
                    tick.id = std::to_string(t + k * 10);
                    batchTicks.push_back(std::move(tick));
                }
            }
            for (int interval : ui::HistoryLoader::intervals()) {
                const qint64 ms = qint64(interval) * 1000;
                Candle &c = forming[interval];
                if (c.symbol.empty() || c.bucketStartMs != t / ms * ms) {
                    if (!c.symbol.empty())
                        batchCandles.push_back(c);
                    c = Candle{};
                    c.symbol = symbol;
                    c.intervalSec = interval;
                    c.bucketStartMs = t / ms * ms;
                    c.open = open;
                    c.high = hi;
                    c.low = lo;
                    c.firstTsMs = t;
                }
                c.high = std::max(c.high, hi);
                c.low = std::min(c.low, lo);
                c.close = price;
                c.volume += kTicksPerSymbolPerSec;
                c.trades += kTicksPerSymbolPerSec;
                c.vwap = (c.high + c.low) / 2;
                c.lastTsMs = t + 990;
                c.final = true;
            }
            if (batchTicks.size() + batchCandles.size() >= 50000 && !flush())
                return false;
        }
        for (auto &[interval, c] : forming)
            batchCandles.push_back(c);
        if (!flush())
            return false;
    }
    std::printf("seed: %lld candles (24 h of %d symbols at 1 s/1 min/5 min/1 h) and %lld ticks "
                "(last %.1f h at "
                "%d ticks/s) in %.1f s\n",
                candles, int(symbols.size()), ticks, tickHours, int(symbols.size()) * kTicksPerSymbolPerSec,
                double(timer.elapsed()) / 1000);
    return true;
}

void benchLaunch(const QString &label, const QString &url, const QString &settingsFile)
{
    QElapsedTimer launch;
    launch.start();
    Heartbeat beat;
    beat.start(); // runs from the first event-loop turn on
    timingApp()->slowestMs = 0;

    PipelineConfig config;
    config.databaseUrl = url;
    MainWindow window(config, settingsFile);
    window.resize(1400, 860);
    window.show();
    const double constructedMs = double(launch.nsecsElapsed()) / 1e6;
    double drawnMs = -1, loadedMs = -1;
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        const ui::ChartPanel *charts = window.charts();
        if (drawnMs < 0 && !charts->symbol().isEmpty() &&
            (charts->candleCount() > 0 || charts->pricePointCount() > 0)) {
            window.charts()->repaint(); // the frame on screen, not only computed
            drawnMs = double(launch.nsecsElapsed()) / 1e6;
        }
        if (loadedMs < 0 && drawnMs >= 0 &&
            window.findChild<ui::HistoryLoader *>()->inFlight() == 0)
            loadedMs = double(launch.nsecsElapsed()) / 1e6;
        if ((drawnMs >= 0 && loadedMs >= 0) || launch.elapsed() > 30000)
            loop.quit();
    });
    poll.start(2);
    loop.exec();
    // A little longer: what the load leaves behind (the watchlist's 24 h figures, a second page).
    QTimer::singleShot(500, &loop, &QEventLoop::quit);
    loop.exec();
    beat.stop();
    const Stats gaps = beat.stats();
    std::printf("launch on %s: window constructed %.0f ms, chart drawn %.0f ms (target < 2000), "
                "history loaded %.0f ms; "
                "GUI heartbeat gaps p99 %.1f ms, max %.1f ms (target < 50)\n",
                qPrintable(label), constructedMs, drawnMs, loadedMs, gaps.p99, gaps.max);
    std::printf("  slowest GUI-thread event: %.1f ms, %.1f ms of it on the CPU (%s)\n",
                timingApp()->slowestMs, timingApp()->slowestCpuMs,
                timingApp()->slowest.constData());
    if (drawnMs < 0)
        window.grab().save(QStringLiteral("/tmp/bench_gui_launch.png"));
}

enum class GuiLoad { Hidden, DayOfSecondCandles, CyclingRanges };

void benchLatency(const QString &label, const QString &url, const QString &settingsFile,
                  double seconds, double rate, GuiLoad load)
{
    const bool cycle = load == GuiLoad::CyclingRanges;
    PipelineConfig config;
    config.databaseUrl = url;
    config.rate = rate;
    config.freshSeedPerStart = true; // as the desktop app: each run simulates new trades, not duplicates
    MainWindow window(config, settingsFile);
    window.resize(1400, 860);
    if (load != GuiLoad::Hidden) // hidden: the same pipeline with nothing drawn, the baseline
        window.show();
    ui::ChartPanel *charts = window.charts();
    charts->setMode(ui::ChartPanel::Mode::Candles);
    charts->setIntervalSec(1);
    charts->setRangePreset(kDayMs);
    const qint64 spans[] = {5 * 60 * 1000LL, 3600 * 1000LL, kDayMs, 0};
    const int intervals[] = {1, 60, 300, 3600};
    int step = 0;
    QTimer cycler;
    QObject::connect(&cycler, &QTimer::timeout, [&] {
        ++step;
        charts->setMode(step % 2 ? ui::ChartPanel::Mode::Line : ui::ChartPanel::Mode::Candles);
        charts->setIntervalSec(intervals[(step / 4) % 4]);
        charts->setRangePreset(spans[step % 4]);
    });
    Heartbeat beat;
    QEventLoop loop;
    bool running = false;
    timingApp()->slowestMs = 0;

    QObject::connect(window.pipeline(), &Pipeline::stateChanged, &loop,
                     [&](Pipeline::State s, const QString &message) {
                         if (s == Pipeline::State::Running && !running) {
                             running = true;
                             beat.start();
                             if (cycle)
                                 cycler.start(250);
                             QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
                         } else if (s == Pipeline::State::Error) {
                             std::printf("pipeline error: %s\n", qPrintable(message));
                             loop.quit();
                         }
                     });
    // The window's launch (reading the stored day) is measured by --part launch; here the
    // pipeline starts once the history is drawn, so the run measures the window rendering it.
    QElapsedTimer loading;
    loading.start();
    while (load != GuiLoad::Hidden && loading.elapsed() < 30000 &&
           (charts->candleCount() == 0 || window.findChild<ui::HistoryLoader *>()->inFlight() > 0))
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    QTimer::singleShot(int(seconds * 1000) + 60000, &loop, &QEventLoop::quit);
    // --trace: the pipeline's recent (5 s window) p50 and p99 every second, to see when it rises.
    QTimer trace;
    QElapsedTimer sinceStart;
    sinceStart.start();
    double guiCpuBefore = threadCpuMs();
    double processCpuBefore = processCpuMs();
    QObject::connect(&trace, &QTimer::timeout, [&] {
        const MetricsSnapshot s = window.pipeline()->metrics();
        const double gui = threadCpuMs(), process = processCpuMs();
        std::printf("  t=%4.1f s recent p50 %.1f ms p99 %.1f ms; CPU in the last second: GUI thread %.0f ms, "
                    "whole app %.0f ms\n",
                    double(sinceStart.elapsed()) / 1000, s.recentP50Ms, s.recentP99Ms, gui - guiCpuBefore,
                    process - processCpuBefore);
        guiCpuBefore = gui;
        processCpuBefore = process;
    });
    if (QCoreApplication::arguments().contains(QStringLiteral("--trace")))
        trace.start(1000);
    window.startPipeline();
    loop.exec();
    cycler.stop();
    beat.stop();
    const MetricsSnapshot m = window.pipeline()->metrics();
    window.stopPipeline();
    QElapsedTimer stop;
    stop.start();
    while (window.pipeline()->state() != Pipeline::State::Stopped &&
           window.pipeline()->state() != Pipeline::State::Error && stop.elapsed() < 15000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    const Stats gaps = beat.stats();
    std::printf("latency on %s, %.0f ticks/s for %.0f s, GUI %s: produced %lld stored %lld; "
                "produce->database p50 "
                "%.1f ms p99 %.1f ms (target <= 15), recent p99 %.1f ms; GUI gaps p99 %.1f ms max "
                "%.1f ms\n",
                qPrintable(label), rate, seconds,
                cycle                     ? "cycling ranges x intervals every 250 ms"
                : load == GuiLoad::Hidden ? "hidden (baseline)"
                                          : "on 1 s candles, 1d",
                m.produced, m.stored, m.latencyP50Ms, m.latencyP99Ms, m.recentP99Ms, gaps.p99,
                gaps.max);
    std::printf("  slowest GUI-thread event: %.1f ms, %.1f ms of it on the CPU (%s)\n",
                timingApp()->slowestMs, timingApp()->slowestCpuMs,
                timingApp()->slowest.constData());
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("MS_NO_KEYCHAIN", "1");
    TimingApp app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const QStringList args = QCoreApplication::arguments();
    const QString part = argValue(args, QStringLiteral("--part"), QStringLiteral("all"));
    const QString db = argValue(args, QStringLiteral("--db"), QStringLiteral("all"));
    const double seconds =
        argValue(args, QStringLiteral("--seconds"), QStringLiteral("20")).toDouble();
    const double rate = argValue(args, QStringLiteral("--rate"), QStringLiteral("2000")).toDouble();
    const double tickHours =
        argValue(args, QStringLiteral("--tick-hours"), QStringLiteral("1")).toDouble();
    QTemporaryDir dir;
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures as they come, also into a pipe
    std::printf("bench_gui_latency: Qt %s, platform %s\n", qVersion(),
                qPrintable(QGuiApplication::platformName()));

    // --sqlite-file PATH: keep the SQLite seed there, and reuse it when it exists (seeding takes ~1
    // min).
    const QString keptFile = argValue(args, QStringLiteral("--sqlite-file"), QString());
    const QString sqliteFile =
        keptFile.isEmpty() ? dir.filePath(QStringLiteral("bench.db")) : keptFile;
    const bool reuseSqlite = !keptFile.isEmpty() && QFile::exists(keptFile);
    std::vector<std::pair<QString, QString>> databases; // label, url
    ms::test::PgServer pg;
    if (db == QLatin1String("all") || db == QLatin1String("sqlite"))
        databases.emplace_back(QStringLiteral("SQLite"), QStringLiteral("sqlite://") + sqliteFile);
    if (db == QLatin1String("all") || db == QLatin1String("postgres")) {
        if (pg.start() && pg.createDatabase(QStringLiteral("bench")))
            databases.emplace_back(QStringLiteral("PostgreSQL"), pg.url(QStringLiteral("bench")));
        else
            std::printf("PostgreSQL: could not start a server: %s\n", qPrintable(pg.errorString()));
    }
    int n = 0;
    for (const auto &[label, url] : databases) {
        const QString settings = dir.filePath(QStringLiteral("settings-%1.ini").arg(++n));
        if (part == QLatin1String("all") || part == QLatin1String("launch")) {
            if (!(label == QLatin1String("SQLite") && reuseSqlite) && !seed(url, tickHours, launchSymbols()))
                continue;
            benchLaunch(label, url, settings);
        }
        if (part == QLatin1String("all") || part == QLatin1String("latency")) {
            // A database of its own: the runs must not add symbols to the launch seed.
            QString latencyUrl =
                QStringLiteral("sqlite://") + dir.filePath(QStringLiteral("latency.db"));
            if (label == QLatin1String("PostgreSQL")) {
                if (!pg.createDatabase(QStringLiteral("latency")))
                    continue;
                latencyUrl = pg.url(QStringLiteral("latency"));
            }
            if (!seed(latencyUrl, 0, simulatorSymbols()))
                continue;
            // A stored day is a vacuumed day: autovacuum's first pass over the 529k seeded
            // candles must not fall into a measured run.
            if (label == QLatin1String("PostgreSQL"))
                pg.psql(QStringLiteral("VACUUM ANALYZE"), QStringLiteral("latency"));
            for (GuiLoad load :
                 {GuiLoad::Hidden, GuiLoad::DayOfSecondCandles, GuiLoad::CyclingRanges})
                benchLatency(label, latencyUrl, settings, seconds, rate, load);
        }
    }
    if (pg.isRunning())
        pg.stop();
    return 0;
}
