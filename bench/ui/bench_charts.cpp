// Prints figures; asserts nothing.
//   1. Chart update time per frame with 1M points of history for the selected symbol:
//      decimate + QLineSeries::replace (refresh) and the same plus an offscreen render (grab()).
//   2. GUI event-loop stalls (gaps seen by a 1 ms timer) while the pipeline runs the simulator
//      flat out (rate=100000) into SQLite, with memory (VmRSS) before and after.
// Usage: bench_charts [--points N] [--frames N] [--seconds S] [--rate R] [--skip-pipeline]
#include "chart_panel.h"
#include "main_window.h"
#include "market_data_store.h"
#include "ui_theme.h"
#include "watchlist_panel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

using namespace ms;

namespace {

double vmRssMb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines)
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

struct Stats
{
    double mean = 0, p50 = 0, p99 = 0, max = 0;
};

Stats summarize(std::vector<double> v)
{
    Stats s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    for (double x : v)
        s.mean += x;
    s.mean /= double(v.size());
    s.p50 = v[v.size() / 2];
    s.p99 = v[std::min(v.size() - 1, size_t(double(v.size()) * 0.99))];
    s.max = v.back();
    return s;
}

QString argValue(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

void benchFrames(qint64 points, int frames)
{
    ui::MarketDataStore store(size_t(points), 100000);
    std::mt19937 rng(1);
    std::normal_distribution<double> step(0, 0.5);
    const qint64 t0 = 1'700'000'000'000LL;
    const qint64 dt = 50;  // 20 ticks/s of history → 1M points ≈ 14 h
    std::vector<Tick> batch;
    batch.reserve(10000);
    double price = 40000;
    qint64 t = t0;
    auto makeTicks = [&](qint64 n) {
        batch.clear();
        for (qint64 i = 0; i < n; ++i) {
            price += step(rng);
            Tick k;
            k.symbol = "BTC";
            k.price = price;
            k.volume = 0.1;
            k.tsMs = t;
            t += dt;
            batch.push_back(std::move(k));
        }
        store.addTicks(batch);
    };
    QElapsedTimer fill;
    fill.start();
    for (qint64 done = 0; done < points; done += 10000)
        makeTicks(std::min<qint64>(10000, points - done));
    // Minute candles for the volume bars.
    std::vector<Candle> candles;
    const ui::SymbolData *d = store.find(QStringLiteral("BTC"));
    for (qint64 b = d->prices.first().t / 60000 * 60000; b <= t; b += 60000) {
        Candle c;
        c.symbol = "BTC";
        c.intervalSec = 60;
        c.bucketStartMs = b;
        c.open = c.high = c.low = c.close = price;
        c.volume = 10;
        candles.push_back(c);
    }
    store.addCandles(candles);
    std::printf("history: %zu points for BTC filled in %lld ms, RSS %.0f MB\n", d->prices.size(),
                qint64(fill.elapsed()), vmRssMb());

    ui::ChartPanel panel(&store);
    panel.resize(1280, 720);
    panel.show();
    panel.setSymbol(QStringLiteral("BTC"));
    QCoreApplication::processEvents();

    for (qint64 span : {qint64(0), qint64(60 * 60 * 1000)}) {
        panel.setRangePreset(span);
        panel.refresh(true);
        panel.grab();
        std::vector<double> refreshMs, frameMs;
        for (int f = 0; f < frames; ++f) {
            makeTicks(200);  // one frame's worth of new ticks at 6k ticks/s for this symbol
            store.takeChanged();
            QElapsedTimer timer;
            timer.start();
            panel.refresh(true);
            const double afterRefresh = double(timer.nsecsElapsed()) / 1e6;
            const QPixmap pixmap = panel.grab();
            frameMs.push_back(double(timer.nsecsElapsed()) / 1e6);
            refreshMs.push_back(afterRefresh);
            Q_UNUSED(pixmap);
        }
        const Stats r = summarize(refreshMs), fr = summarize(frameMs);
        std::printf("frame (%s visible, %lld points on screen): decimate+replace mean %.2f ms p99 %.2f ms | "
                    "with render mean %.2f ms p50 %.2f ms p99 %.2f ms max %.2f ms (target <= 8 ms)\n",
                    span == 0 ? "all 1M" : "last 1 h", qint64(panel.pricePointCount()), r.mean, r.p99, fr.mean, fr.p50,
                    fr.p99, fr.max);
    }
}

void benchPipeline(double seconds, double rate)
{
    QTemporaryDir dir;
    PipelineConfig config;
    config.databaseUrl = QStringLiteral("sqlite://") + dir.filePath(QStringLiteral("bench.db"));
    config.rate = rate;
    const double rssBefore = vmRssMb();
    MainWindow window(config, dir.filePath(QStringLiteral("settings.ini")));
    window.resize(1400, 860);
    window.show();

    std::vector<double> gaps;
    QElapsedTimer clock;
    qint64 last = 0;
    bool measuring = false;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (measuring)
            gaps.push_back(double(now - last) / 1e6);
        last = now;
    });
    QEventLoop loop;
    QObject::connect(window.pipeline(), &Pipeline::stateChanged, &loop, [&](Pipeline::State s, const QString &message) {
        if (s == Pipeline::State::Running && !measuring) {
            measuring = true;
            clock.start();
            last = 0;
            probe.start(1);
            QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
        } else if (s == Pipeline::State::Error) {
            std::printf("pipeline error: %s\n", qPrintable(message));
            loop.quit();
        }
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);  // never hang the benchmark
    window.startPipeline();
    const qint64 framesBefore = window.frames();
    loop.exec();
    probe.stop();
    const MetricsSnapshot m = window.pipeline()->metrics();
    const qint64 frames = window.frames() - framesBefore;
    const double rssRunning = vmRssMb();
    window.stopPipeline();
    QElapsedTimer stopTimer;
    stopTimer.start();
    while (window.pipeline()->state() != Pipeline::State::Stopped && window.pipeline()->state() != Pipeline::State::Error
           && stopTimer.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    const Stats g = summarize(gaps);
    std::printf("pipeline at rate=%.0f for %.1f s: produced %lld, stored %lld, frames drawn %lld, "
                "symbols on watchlist %d\n",
                rate, seconds, m.produced, m.stored, frames, window.watchlist()->visibleRows());
    std::printf("event-loop gaps (1 ms timer): p50 %.2f ms p99 %.2f ms max %.2f ms (target max <= 50 ms)\n", g.p50, g.p99,
                g.max);
    std::printf("stop took %lld ms; VmRSS before %.0f MB, running %.0f MB, after stop %.0f MB\n", qint64(stopTimer.elapsed()),
                rssBefore, rssRunning, vmRssMb());
}

}  // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("MS_NO_KEYCHAIN", "1");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    ui::applySystemTheme(app);
    const QStringList args = QCoreApplication::arguments();
    const qint64 points = argValue(args, QStringLiteral("--points"), QStringLiteral("1000000")).toLongLong();
    const int frames = argValue(args, QStringLiteral("--frames"), QStringLiteral("100")).toInt();
    const double seconds = argValue(args, QStringLiteral("--seconds"), QStringLiteral("5")).toDouble();
    const double rate = argValue(args, QStringLiteral("--rate"), QStringLiteral("100000")).toDouble();
    std::printf("bench_charts: Qt %s, platform %s\n", qVersion(), qPrintable(QGuiApplication::platformName()));
    benchFrames(points, frames);
    if (!args.contains(QStringLiteral("--skip-pipeline")))
        benchPipeline(seconds, rate);
    return 0;
}
