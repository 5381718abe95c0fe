#include "chart_frames.h"

#include "bench_stats.h"
#include "candle_layout.h"
#include "chart_panel.h"
#include "market_data_store.h"
#include "resident_memory.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPixmap>
#include <cstdio>
#include <map>
#include <random>
#include <string>

namespace ms::bench {

namespace {

// Ticks for one symbol plus what the pipeline derives from them: candles of every interval the
// pipeline builds (OHLC, summed volume; the forming ones re-sent with every batch), as in a live
// run.
struct Feed
{
    explicit Feed(ui::MarketDataStore &s) : store(s) {}

    ui::MarketDataStore &store;
    std::mt19937 rng{1};
    std::normal_distribution<double> step{0, 0.5};
    std::exponential_distribution<double> size{5.0};
    qint64 t = 1'700'000'000'000LL;
    double price = 40000;
    std::map<int, Candle> forming;
    std::vector<Tick> batch;
    std::vector<Candle> candles;

    static constexpr int kIntervals[] = {1, 60, 300, 3600};

    void add(qint64 n, qint64 dt)
    {
        batch.clear();
        candles.clear();
        for (qint64 i = 0; i < n; ++i, t += dt) {
            price += step(rng);
            Tick k;
            k.symbol = "BTC";
            k.price = price;
            k.volume = size(rng);
            k.tsMs = t;
            for (int interval : kIntervals) {
                const qint64 ms = qint64(interval) * 1000;
                Candle &c = forming[interval];
                const qint64 bucket = t / ms * ms;
                if (c.bucketStartMs != bucket) {
                    if (c.bucketStartMs != 0) {
                        c.final = true;
                        candles.push_back(c);
                    }
                    c = Candle{};
                    c.symbol = "BTC";
                    c.intervalSec = interval;
                    c.bucketStartMs = bucket;
                    c.open = c.high = c.low = price;
                }
                c.high = std::max(c.high, price);
                c.low = std::min(c.low, price);
                c.close = price;
                c.volume += k.volume;
            }
            batch.push_back(std::move(k));
        }
        for (const auto &[interval, c] : forming)
            candles.push_back(c);
        store.addTicks(batch);
        store.addCandles(candles);
    }
};

struct Case
{
    std::string name;
    qint64 span;
    ui::ChartPanel::Mode mode;
    bool indicators;
    int intervalSec;
};

std::vector<Case> allCases()
{
    const std::pair<const char *, qint64> ranges[] = {{"5m", 5 * 60 * 1000LL},
                                                      {"1h", 60 * 60 * 1000LL},
                                                      {"1d", 24 * 60 * 60 * 1000LL},
                                                      {"All", 0}};
    const struct
    {
        const char *name;
        ui::ChartPanel::Mode mode;
        bool indicators;
    } modes[] = {{"candles+SMA/EMA", ui::ChartPanel::Mode::Candles, true},
                 {"line", ui::ChartPanel::Mode::Line, false},
                 {"line+SMA/EMA", ui::ChartPanel::Mode::Line, true}};
    std::vector<Case> cases;
    for (const auto &m : modes)
        for (int interval : Feed::kIntervals)
            for (auto [range, span] : ranges)
                cases.push_back({std::string(m.name) + ' ' +
                                     ui::intervalLabel(interval).toStdString() + ' ' + range,
                                 span, m.mode, m.indicators, interval});
    return cases;
}

} // namespace

void benchChartFrames(const ChartFrameOptions &options)
{
    ui::MarketDataStore store(size_t(options.points), 100000);
    Feed feed(store);
    const qint64 dt = 50; // 20 ticks/s of history → 1M points ≈ 14 h
    QElapsedTimer fill;
    fill.start();
    for (qint64 done = 0; done < options.points; done += 10000)
        feed.add(std::min<qint64>(10000, options.points - done), dt);
    const ui::SymbolData *d = store.find(QStringLiteral("BTC"));
    std::printf("history: %zu points for BTC filled in %lld ms (%zu minute candles), RSS %.0f MB\n",
                d->prices.size(), qint64(fill.elapsed()), d->candles.at(60).size(),
                ms::test::residentMemoryMb());

    ui::ChartPanel panel(&store);
    panel.resize(options.width, options.height);
    panel.show();
    panel.setSymbol(QStringLiteral("BTC"));
    QCoreApplication::processEvents();
    std::printf(
        "panel %dx%d; per case: what is drawn | refresh (decimate + series update) p50 | frame "
        "(refresh + layout + paint) p50 / p99 / max wall, GUI-thread CPU p50 and p99 (target p99 "
        "<= 8 ms)\n",
        options.width, options.height);
    double worstWall = 0, worstCpu = 0, worstSwitch = 0;
    std::string worstName;
    int count = 0;
    for (const Case &c : allCases()) {
        if (!options.only.isEmpty() && !QString::fromStdString(c.name).contains(options.only))
            continue;
        panel.setMode(c.mode);
        panel.setIntervalSec(c.intervalSec);
        panel.setRangePreset(c.span);
        panel.setIndicators(c.indicators, 20, c.indicators, 50);
        // The switch to this case (the user's click) is its own frame: timed apart, so the
        // steady frames below measure live updates only, not the layout the switch left posted.
        QElapsedTimer switchTimer;
        switchTimer.start();
        panel.refresh(true);
        QCoreApplication::sendPostedEvents();
        const double switchMs = double(switchTimer.nsecsElapsed()) / 1e6;
        worstSwitch = std::max(worstSwitch, switchMs);
        (void)panel.grab();
        std::vector<double> refreshMs, frameMs, frameCpuMs;
        for (int f = 0; f < options.frames; ++f) {
            feed.add(200, dt); // one frame's worth of new ticks (10 s of this history's time)
            store.takeChanged();
            QElapsedTimer timer;
            timer.start();
            const double cpu0 = threadCpuMs();
            panel.refresh(true);
            refreshMs.push_back(double(timer.nsecsElapsed()) / 1e6);
            // The rest of the frame is what the event loop does next: Qt Charts lays out changed
            // axis labels on a posted LayoutRequest, and the UpdateRequest paints the window.
            // (Timing grab() instead, as before 2026-12-01, skipped the layout: frames were
            // drawn with the previous frame's labels.)
            if (options.skipPostedEvents)
                (void)panel.grab();
            else
                QCoreApplication::sendPostedEvents();
            frameMs.push_back(double(timer.nsecsElapsed()) / 1e6);
            frameCpuMs.push_back(threadCpuMs() - cpu0);
        }
        const Stats r = summarize(refreshMs), fr = summarize(frameMs), cpu = summarize(frameCpuMs);
        ++count;
        if (fr.p99 > worstWall) {
            worstWall = fr.p99;
            worstName = c.name;
        }
        worstCpu = std::max(worstCpu, cpu.p99);
        std::printf("%-28s %5lld pts %4lld candles of %-6s | refresh %5.2f | frame %5.2f / %5.2f / "
                    "%5.2f ms, cpu p50 %5.2f p99 %5.2f ms | switch %5.2f ms\n",
                    c.name.c_str(), qint64(panel.pricePointCount()), qint64(panel.candleCount()),
                    qPrintable(ui::intervalLabel(panel.shownInterval().shownSec)), r.p50, fr.p50,
                    fr.p99, fr.max, cpu.p50, cpu.p99, switchMs);
        if (qEnvironmentVariableIsSet("MS_DEBUG_TICKS")) {
            for (const auto &t : panel.priceTicks())
                std::printf("  tick %.2f %s\n", t.value, qPrintable(t.label));
            std::printf("  range %.2f %.2f\n", panel.lastFrame().prices.lo,
                        panel.lastFrame().prices.hi);
        }
        if (!options.screenshotDir.isEmpty())
            panel.grab().save(
                options.screenshotDir + u'/' +
                QString::fromStdString(c.name).replace(u'/', u'-').replace(u' ', u'_') +
                QStringLiteral(".png"));
    }
    std::printf("frame p99 over all %d cases: worst %.2f ms wall (%s), worst %.2f ms GUI-thread "
                "CPU (target <= 8 ms); switching to a case (range, interval or mode): worst %.2f ms\n",
                count, worstWall, worstName.c_str(), worstCpu, worstSwitch);
}

} // namespace ms::bench
