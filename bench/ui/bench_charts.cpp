// Prints figures; asserts nothing.
//   1. Chart frame time with 1M points of history for the selected symbol (plus the candles of
//      every interval, as a live run has them): every range preset x every interval x every mode
//      (chart_frames.cpp).
//   2. The health panel's once-a-second update with a full (15 min) history.
//   3. GUI event-loop stalls (gaps seen by a 1 ms timer) while the pipeline runs the simulator
//      flat out (rate=100000) into SQLite, with memory (VmRSS) before and after.
// Usage: bench_charts [--points N] [--frames N] [--width PX] [--height PX] [--only TEXT] [--no-posted-events] [--seconds S] [--rate R] [--skip-pipeline] [--skip-health]
//                     [--issue-rate N]  (also log N warnings/s from another thread: an IssueLog flood)
//                     [--tab I]  (the window tab shown while the pipeline runs: 0 markets, 1 health, 2 issues)
//                     [--screenshot DIR]  (saves the chart panel of each case as DIR/<case>.png)
#include "bench_stats.h"
#include "chart_frames.h"
#include "chart_panel.h"
#include "health_panel.h"
#include "main_window.h"
#include "market_data_store.h"
#include "resident_memory.h"
#include "ui_theme.h"
#include "watchlist_panel.h"

#include "runtime/issue_log.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <cstdio>
#include <ctime>
#include <deque>
#include <map>
#include <random>
#include <vector>

using namespace ms;
using namespace ms::bench;

namespace {

// What the window's market data store holds, in MB (-1 for a revision without heldBytes(), so this
// benchmark also builds against older UI code for before/after comparisons).
template <class Store>
double heldMb(const Store &store)
{
    if constexpr (requires { store.heldBytes(); })
        return double(store.heldBytes()) / 1048576.0;
    else
        return -1;
}

// Times every event the GUI thread delivers at the top level, so a stall can be pinned on what
// caused it (the frame timer, a repaint, a queued signal ...).
class TimingApp : public QApplication
{
public:
    using QApplication::QApplication;

    struct Slow
    {
        double ms;
        double cpuMs;  // of it on the CPU: the rest the thread waited to be scheduled
        QByteArray what;
    };
    bool recording = false;
    int probeTicks = 0;  // counted by the stall probe
    std::vector<Slow> slowest;  // the 8 slowest, longest first

    bool notify(QObject *receiver, QEvent *event) override
    {
        // notify() runs on every thread; only the GUI thread's events are of interest here.
        if (!recording || m_depth > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        // What it is, taken before delivery (the receiver may delete itself: DeferredDelete) but
        // cheaply (shared copies): the text is only built for the slowest few.
        const char *className = receiver->metaObject()->className();
        const QString name = receiver->objectName();
        const QObject *parent = receiver->parent();
        const char *parentClass = parent ? parent->metaObject()->className() : nullptr;
        const QString parentName = parent ? parent->objectName() : QString();
        const int ticksBefore = probeTicks;
        const int type = int(event->type());
        const int timerId = event->type() == QEvent::Timer ? static_cast<QTimerEvent *>(event)->timerId() : 0;
        ++m_depth;
        QElapsedTimer timer;
        timer.start();
        const double cpuBefore = threadCpuMs();
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        const double cpuMs = threadCpuMs() - cpuBefore;
        // An event that ran a nested event loop (the probe ticked meanwhile) did not stall it.
        if (probeTicks == ticksBefore && (slowest.size() < 8 || ms > slowest.back().ms)) {
            QByteArray what = QByteArray(className) + ' ';
            if (!name.isEmpty())
                what += name.toLatin1();
            else if (parentClass)  // e.g. a chart view's scene: name its view
                what += QByteArray(parentClass) + '/' + parentName.toLatin1();
            what += " event " + QByteArray::number(type);
            if (timerId)
                what += " timer " + QByteArray::number(timerId);
            slowest.push_back({ms, cpuMs, what});
            std::sort(slowest.begin(), slowest.end(), [](const Slow &a, const Slow &b) { return a.ms > b.ms; });
            if (slowest.size() > 8)
                slowest.pop_back();
        }
        return result;
    }

private:
    int m_depth = 0;
};

// The health panel after a long run: 15 minutes of samples (its bound) in every chart.
void benchHealth(const QString &screenshotDir)
{
    ui::HealthPanel panel;
    panel.resize(1400, 800);
    panel.show();
    QCoreApplication::processEvents();
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> jitter(0.9, 1.1);
    MetricsSnapshot m;
    m.timestampMs = 1'700'000'000'000LL;
    auto next = [&] {
        m.timestampMs += 1000;
        m.produced += qint64(100000 * jitter(rng));
        m.consumed = m.produced - 2000;
        m.stored = m.consumed - 1000;
        m.recentP50Ms = 20 * jitter(rng);
        m.recentP99Ms = 90 * jitter(rng);
        for (const char *topic : {"ticks", "candles", "indicators"})
            m.lagByTopic[QString::fromLatin1(topic)] = qint64(5000 * jitter(rng));
        QElapsedTimer timer;
        timer.start();
        panel.update(m, m.timestampMs);
        return double(timer.nsecsElapsed()) / 1e6;
    };
    for (int i = 0; i < 900; ++i)
        next();
    std::vector<double> shown, hidden;
    for (int i = 0; i < 30; ++i) {
        shown.push_back(next());
        (void)panel.grab();
    }
    if (!screenshotDir.isEmpty())
        panel.grab().save(screenshotDir + QStringLiteral("/health.png"));
    panel.hide();
    for (int i = 0; i < 30; ++i)
        hidden.push_back(next());
    std::printf("health panel with %zu samples per series: update (once a second) p50 %.2f ms max %.2f ms while shown, "
                "p50 %.2f ms while its tab is hidden\n",
                panel.history().producedRate().size(), summarize(shown).p50, summarize(shown).max, summarize(hidden).p50);
}

void benchPipeline(double seconds, double rate, double issueRate, int tab, const QString &screenshotDir)
{
    QTemporaryDir dir;
    PipelineConfig config;
    config.databaseUrl = QStringLiteral("sqlite://") + dir.filePath(QStringLiteral("bench.db"));
    config.rate = rate;
    const double rssBefore = ms::test::residentMemoryMb();
    MainWindow window(config, dir.filePath(QStringLiteral("settings.ini")));
    window.resize(1400, 860);
    window.show();
    if (auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("mainTabs")))
        tabs->setCurrentIndex(tab);

    std::vector<double> gaps, gapCpu;  // wall time between probe ticks, and the GUI thread's CPU in it
    QElapsedTimer clock;
    qint64 last = 0;
    double lastCpu = 0;
    bool measuring = false;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        const double cpu = threadCpuMs();
        if (measuring) {
            gaps.push_back(double(now - last) / 1e6);
            gapCpu.push_back(cpu - lastCpu);
        }
        last = now;
        lastCpu = cpu;
        ++static_cast<TimingApp *>(QCoreApplication::instance())->probeTicks;
    });
    // VmRSS over the run (memory must stay flat: every GUI-side history is bounded).
    std::vector<double> rss;
    QTimer rssProbe;
    std::vector<double> held;  // what the GUI's market data store holds
    QObject::connect(&rssProbe, &QTimer::timeout, [&] {
        rss.push_back(ms::test::residentMemoryMb());
        held.push_back(heldMb(window.store()));
    });
    auto *app = static_cast<TimingApp *>(QCoreApplication::instance());
    QEventLoop loop;
    QObject::connect(window.pipeline(), &Pipeline::stateChanged, &loop, [&](Pipeline::State s, const QString &message) {
        if (s == Pipeline::State::Running && !measuring) {
            measuring = true;
            clock.start();
            last = 0;
            lastCpu = threadCpuMs();
            probe.start(1);
            rss.push_back(ms::test::residentMemoryMb());
            held.push_back(heldMb(window.store()));
            rssProbe.start(std::max(100, int(seconds * 1000) / 20));
            app->recording = true;
            QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
        } else if (s == Pipeline::State::Error) {
            std::printf("pipeline error: %s\n", qPrintable(message));
            loop.quit();
        }
    });
    QTimer::singleShot(int(seconds * 1000) + 60000, &loop, &QEventLoop::quit);  // never hang the benchmark
    // An IssueLog flood from another thread (a source spamming warnings), if asked for.
    std::atomic_bool flooding{issueRate > 0};
    std::thread flood;
    if (issueRate > 0) {
        flood = std::thread([&] {
            qint64 n = 0;
            QElapsedTimer since;
            since.start();
            while (flooding.load()) {
                const qint64 due = qint64(double(since.elapsed()) * issueRate / 1000.0);
                for (; n < due; ++n)
                    IssueLog::instance().warning(QStringLiteral("bench"),
                                                 QStringLiteral("flood warning %1: something odd in the input").arg(n));
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        });
    }
    window.startPipeline();
    const qint64 framesBefore = window.frames();
    loop.exec();
    flooding = false;
    if (flood.joinable())
        flood.join();
    probe.stop();
    rssProbe.stop();
    app->recording = false;
    rss.push_back(ms::test::residentMemoryMb());
    const MetricsSnapshot m = window.pipeline()->metrics();
    const qint64 frames = window.frames() - framesBefore;
    if (!screenshotDir.isEmpty())
        window.grab().save(screenshotDir + QStringLiteral("/window.png"));
    const double rssRunning = ms::test::residentMemoryMb();
    window.stopPipeline();
    QElapsedTimer stopTimer;
    stopTimer.start();
    while (window.pipeline()->state() != Pipeline::State::Stopped && window.pipeline()->state() != Pipeline::State::Error
           && stopTimer.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    const Stats g = summarize(gaps);
    std::printf("pipeline at rate=%.0f for %.1f s (tab %d, IssueLog flood %.0f/s): produced %lld, stored %lld, frames drawn %lld, "
                "symbols on watchlist %d\n",
                rate, seconds, tab, issueRate, m.produced, m.stored, frames, window.watchlist()->visibleRows());
    std::printf("event-loop gaps (1 ms timer): p50 %.2f ms p99 %.2f ms max %.2f ms (target max <= 50 ms)\n", g.p50, g.p99,
                g.max);
    // The part of a gap the GUI thread spent on the CPU is its own work; the rest it waited for a
    // core (the pipeline's threads and anything else running on the machine).
    const Stats c = summarize(gapCpu);
    std::printf("GUI-thread CPU inside one gap: p99 %.2f ms max %.2f ms\n", c.p99, c.max);
    std::printf("slowest GUI-thread events:");
    for (const TimingApp::Slow &e : app->slowest)
        std::printf(" %.1f ms, %.1f on CPU (%s);", e.ms, e.cpuMs, e.what.constData());
    std::printf("\n");
    std::printf("stop took %lld ms; VmRSS before %.0f MB, running %.0f MB, after stop %.0f MB\n", qint64(stopTimer.elapsed()),
                rssBefore, rssRunning, ms::test::residentMemoryMb());
    if (rss.size() >= 3)
        std::printf("VmRSS while running (%zu samples): start %.0f MB, mid %.0f MB, end %.0f MB, max %.0f MB; "
                    "of it GUI market data: start %.1f MB, mid %.1f MB, end %.1f MB\n",
                    rss.size(), rss.front(), rss[rss.size() / 2], rss.back(), *std::max_element(rss.begin(), rss.end()),
                    held.front(), held[held.size() / 2], held.back());
}

}  // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("MS_NO_KEYCHAIN", "1");
    TimingApp app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    ui::applySystemTheme(app);
    const QStringList args = QCoreApplication::arguments();
    const qint64 points = argValue(args, QStringLiteral("--points"), QStringLiteral("1000000")).toLongLong();
    const int frames = argValue(args, QStringLiteral("--frames"), QStringLiteral("100")).toInt();
    const double seconds = argValue(args, QStringLiteral("--seconds"), QStringLiteral("5")).toDouble();
    const double rate = argValue(args, QStringLiteral("--rate"), QStringLiteral("100000")).toDouble();
    std::printf("bench_charts: Qt %s, platform %s\n", qVersion(), qPrintable(QGuiApplication::platformName()));
    const QString screenshotDir = argValue(args, QStringLiteral("--screenshot"), QString());
    // --only TEXT: just the cases whose name contains TEXT (e.g. "All", "candles 1 s").
    ChartFrameOptions frameOptions;
    frameOptions.points = points;
    frameOptions.frames = frames;
    frameOptions.screenshotDir = screenshotDir;
    frameOptions.only = argValue(args, QStringLiteral("--only"), QString());
    frameOptions.width = argValue(args, QStringLiteral("--width"), QStringLiteral("1280")).toInt();
    frameOptions.height = argValue(args, QStringLiteral("--height"), QStringLiteral("720")).toInt();
    frameOptions.skipPostedEvents = args.contains(QStringLiteral("--no-posted-events"));
    benchChartFrames(frameOptions);
    if (!args.contains(QStringLiteral("--skip-health")))
        benchHealth(screenshotDir);
    if (!args.contains(QStringLiteral("--skip-pipeline")))
        benchPipeline(seconds, rate, argValue(args, QStringLiteral("--issue-rate"), QStringLiteral("0")).toDouble(),
                      argValue(args, QStringLiteral("--tab"), QStringLiteral("0")).toInt(), screenshotDir);
    return 0;
}
