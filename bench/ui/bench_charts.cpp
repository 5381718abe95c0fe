// Prints figures; asserts nothing.
//   1. Chart update time per frame with 1M points of history for the selected symbol (plus minute
//      candles, their volume and an SMA, as a live run has them): decimate + series update
//      (refresh) and the same plus an offscreen render (grab()), in line and candle mode.
//   2. GUI event-loop stalls (gaps seen by a 1 ms timer) while the pipeline runs the simulator
//      flat out (rate=100000) into SQLite, with memory (VmRSS) before and after.
// Usage: bench_charts [--points N] [--frames N] [--seconds S] [--rate R] [--skip-pipeline]
//                     [--screenshot DIR]  (saves the chart panel of each case as DIR/<case>.png)
#include "chart_panel.h"
#include "main_window.h"
#include "market_data_store.h"
#include "ui_theme.h"
#include "watchlist_panel.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <deque>
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

// Ticks for one symbol plus what the pipeline derives from them: minute candles (OHLC, summed
// volume; the forming one re-sent with every batch) and a 20-candle SMA, as in a live run.
struct Feed
{
    explicit Feed(ui::MarketDataStore &s) : store(s) {}

    ui::MarketDataStore &store;
    std::mt19937 rng{1};
    std::normal_distribution<double> step{0, 0.5};
    std::exponential_distribution<double> size{5.0};
    qint64 t = 1'700'000'000'000LL;
    double price = 40000;
    Candle forming;
    std::deque<double> closes;
    std::vector<Tick> batch;
    std::vector<Candle> candles;
    std::vector<IndicatorSnapshot> indicators;

    void add(qint64 n, qint64 dt)
    {
        batch.clear();
        candles.clear();
        indicators.clear();
        for (qint64 i = 0; i < n; ++i, t += dt) {
            price += step(rng);
            Tick k;
            k.symbol = "BTC";
            k.price = price;
            k.volume = size(rng);
            k.tsMs = t;
            const qint64 bucket = t / 60000 * 60000;
            if (forming.bucketStartMs != bucket) {
                if (forming.bucketStartMs != 0) {
                    forming.final = true;
                    closeCandle();
                }
                forming = Candle{};
                forming.symbol = "BTC";
                forming.intervalSec = 60;
                forming.bucketStartMs = bucket;
                forming.open = forming.high = forming.low = price;
            }
            forming.high = std::max(forming.high, price);
            forming.low = std::min(forming.low, price);
            forming.close = price;
            forming.volume += k.volume;
            batch.push_back(std::move(k));
        }
        candles.push_back(forming);
        store.addTicks(batch);
        store.addCandles(candles);
        store.addIndicators(indicators);
    }

    void closeCandle()
    {
        candles.push_back(forming);
        closes.push_back(forming.close);
        if (closes.size() > 20)
            closes.pop_front();
        IndicatorSnapshot s;
        s.symbol = "BTC";
        s.intervalSec = 60;
        s.bucketStartMs = forming.bucketStartMs;
        double sum = 0;
        for (double c : closes)
            sum += c;
        s.sma = sum / double(closes.size());
        indicators.push_back(s);
    }
};

void benchFrames(qint64 points, int frames, const QString &screenshotDir)
{
    ui::MarketDataStore store(size_t(points), 100000);
    Feed feed(store);
    const qint64 dt = 50;  // 20 ticks/s of history → 1M points ≈ 14 h
    QElapsedTimer fill;
    fill.start();
    for (qint64 done = 0; done < points; done += 10000)
        feed.add(std::min<qint64>(10000, points - done), dt);
    const ui::SymbolData *d = store.find(QStringLiteral("BTC"));
    std::printf("history: %zu points for BTC filled in %lld ms (%zu minute candles), RSS %.0f MB\n", d->prices.size(),
                qint64(fill.elapsed()), d->candles.at(60).size(), vmRssMb());

    ui::ChartPanel panel(&store);
    panel.resize(1280, 720);
    panel.show();
    panel.setSymbol(QStringLiteral("BTC"));
    QCoreApplication::processEvents();
    auto *priceView = panel.findChild<QWidget *>(QStringLiteral("priceChart"));
    auto *volumeView = panel.findChild<QWidget *>(QStringLiteral("volumeChart"));
    auto *sma = panel.findChild<QCheckBox *>();  // the first check box is SMA

    struct Case
    {
        const char *name;
        qint64 span;
        ui::ChartPanel::Mode mode;
        bool sma;
    };
    const Case cases[] = {{"line, all 1M", 0, ui::ChartPanel::Mode::Line, false},
                          {"line, last 1 h", 60 * 60 * 1000, ui::ChartPanel::Mode::Line, false},
                          {"line + SMA, all 1M", 0, ui::ChartPanel::Mode::Line, true},
                          {"candles, all 1M", 0, ui::ChartPanel::Mode::Candles, false},
                          {"candles, last 1 h", 60 * 60 * 1000, ui::ChartPanel::Mode::Candles, false}};
    for (const Case &c : cases) {
        panel.setMode(c.mode);
        panel.setRangePreset(c.span);
        sma->setChecked(c.sma);
        panel.refresh(true);
        panel.grab();
        std::vector<double> refreshMs, frameMs, priceMs, volumeMs;
        for (int f = 0; f < frames; ++f) {
            feed.add(200, dt);  // one frame's worth of new ticks (10 s of this history's time)
            store.takeChanged();
            QElapsedTimer timer;
            timer.start();
            panel.refresh(true);
            const double afterRefresh = double(timer.nsecsElapsed()) / 1e6;
            const QPixmap pixmap = panel.grab();
            frameMs.push_back(double(timer.nsecsElapsed()) / 1e6);
            refreshMs.push_back(afterRefresh);
            Q_UNUSED(pixmap);
            QElapsedTimer part;
            part.start();
            (void)priceView->grab();
            priceMs.push_back(double(part.nsecsElapsed()) / 1e6);
            part.restart();
            (void)volumeView->grab();
            volumeMs.push_back(double(part.nsecsElapsed()) / 1e6);
        }
        const Stats r = summarize(refreshMs), fr = summarize(frameMs);
        std::printf("frame (%s: %lld line points, %lld candles, %lld volume bars): decimate+update p50 %.2f ms | "
                    "with render mean %.2f ms p50 %.2f ms p99 %.2f ms max %.2f ms (target <= 8 ms)\n",
                    c.name, qint64(panel.pricePointCount()), qint64(panel.candleCount()), qint64(panel.volumeBarCount()),
                    r.p50, fr.mean, fr.p50, fr.p99, fr.max);
        std::printf("  render alone: price chart p50 %.2f ms, volume chart p50 %.2f ms\n", summarize(priceMs).p50,
                    summarize(volumeMs).p50);
        if (!screenshotDir.isEmpty())
            panel.grab().save(screenshotDir + u'/' + QString::fromLatin1(c.name).replace(QStringLiteral(", "), QStringLiteral("_")).replace(u' ', u'_') + QStringLiteral(".png"));
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
    benchFrames(points, frames, argValue(args, QStringLiteral("--screenshot"), QString()));
    if (!args.contains(QStringLiteral("--skip-pipeline")))
        benchPipeline(seconds, rate);
    return 0;
}
