// History from the database: a launch over a stored database shows the stored candles without
// Start, and scrolling back past memory loads older pages in the background.
#include "chart_panel.h"
#include "history_loader.h"
#include "main_window.h"
#include "market_data_store.h"
#include "storage/candle_history.h"
#include "storage/database_url.h"
#include "storage/tick_store.h"

#include <QSemaphore>
#include <QSettings>
#include <QThreadPool>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace ms;
using namespace ms::ui;

namespace {
constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kEnd = 1'700'000'000'000LL / kMinute * kMinute; // the newest stored minute
constexpr int kMinutes = 6000;                                   // ~4 days of 1-min candles

std::vector<Candle> seedCandles()
{
    std::vector<Candle> out;
    for (const char *symbol : {"BTC", "ETH"}) {
        for (int i = 0; i < kMinutes; ++i) {
            Candle c;
            c.symbol = symbol;
            c.intervalSec = 60;
            c.bucketStartMs = kEnd - qint64(kMinutes - 1 - i) * kMinute;
            c.open = 100 + i * 0.01;
            c.close = c.open + ((i % 2) ? 0.05 : -0.05);
            c.high = std::max(c.open, c.close) + 0.1;
            c.low = std::min(c.open, c.close) - 0.1;
            c.volume = 10 + i % 7;
            c.vwap = c.open;
            c.trades = 10;
            c.firstTsMs = c.bucketStartMs;
            c.lastTsMs = c.bucketStartMs + 59000;
            c.final = true;
            out.push_back(c);
        }
    }
    return out;
}
} // namespace

class TstUiHistory : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_url;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_url = QStringLiteral("sqlite://") + m_dir.path() + QStringLiteral("/ticks.db");
        Result<DatabaseUrl> url = DatabaseUrl::parse(m_url);
        QVERIFY(url);
        auto store = TickStore::open(*url, QStringLiteral("seed"));
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        const std::vector<Candle> candles = seedCandles();
        WriteBatch batch;
        batch.candles = candles;
        auto written = (*store)->write(batch);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
    }

    void pagesComeBackOldestFirst()
    {
        const CandleHistory history(*DatabaseUrl::parse(m_url));
        auto latest = history.latest({60}, 100);
        QVERIFY(latest);
        QCOMPARE(latest->size(), size_t(200)); // 100 per symbol
        QCOMPARE(latest->back().bucketStartMs, kEnd);
        auto page = history.before(CandleKey{AssetClass::Crypto, "BTC", "USD"}, 60,
                                   kEnd - 99 * kMinute, 50);
        QVERIFY(page);
        QCOMPARE(page->size(), size_t(50));
        QCOMPARE(page->back().bucketStartMs, kEnd - 100 * kMinute);
        QCOMPARE(page->front().bucketStartMs, kEnd - 149 * kMinute);
        // No file yet: no history, no error, and no database created.
        const CandleHistory none(*DatabaseUrl::parse(QStringLiteral("sqlite://") + m_dir.path() +
                                                     QStringLiteral("/none.db")));
        auto empty = none.latest({60}, 10);
        QVERIFY(empty && empty->empty());
        QVERIFY(!QFile::exists(m_dir.path() + QStringLiteral("/none.db")));
    }

    void relaunchShowsStoredHistoryWithoutStart()
    {
        const QString settingsFile = m_dir.path() + QStringLiteral("/settings.ini");
        {
            QSettings s(settingsFile, QSettings::IniFormat);
            s.setValue(QStringLiteral("chart/mode"), QStringLiteral("candles"));
            s.setValue(QStringLiteral("chart/intervalSec"), 60);
            s.setValue(QStringLiteral("chart/spanMs"), 60 * kMinute);
        }
        PipelineConfig config;
        config.databaseUrl = m_url;
        MainWindow w(config, settingsFile);
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_VERIFY_WITH_TIMEOUT(w.store().find(QStringLiteral("BTC")) != nullptr, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!w.charts()->symbol().isEmpty(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(w.charts()->candleCount() > 30, 20000);
        QCOMPARE(w.charts()->visibleRange().second,
                 kEnd + 59000 + 60000); // the stored live edge (+ room)
        QVERIFY(w.charts()->headerText().startsWith(w.charts()->symbol()));
        QVERIFY(w.charts()->headerText() != w.charts()->symbol()); // with the stored last price
        // The line mode too: stored history holds candles, no ticks; their closes draw the line.
        w.charts()->setMode(ChartPanel::Mode::Line);
        QTRY_VERIFY_WITH_TIMEOUT((w.charts()->refresh(false), w.charts()->pricePointCount() > 30), 10000);
    }

    // Qt's raster engine waits on the GUI thread for the jobs it puts on the global thread pool:
    // a database read there stalls painting until it finishes (1.6 s at launch over a day of
    // candles). With the global pool fully busy, the history must still load, and the pool the
    // GUI paints with must never hold a database read.
    void historyNeverQueuesOnTheGlobalPool()
    {
        QThreadPool *global = QThreadPool::globalInstance();
        QSemaphore release;
        std::atomic_int started{0};
        const int threads = global->maxThreadCount();
        for (int i = 0; i < threads; ++i)
            global->start([&] {
                ++started;
                release.acquire();
            });
        QTRY_COMPARE_WITH_TIMEOUT(started.load(), threads, 10000);
        struct Release  // also when a check fails: the global pool must not stay blocked
        {
            QSemaphore &s;
            int n;
            ~Release() { s.release(n); }
        } releaseOnExit{release, threads};
        MarketDataStore store(10000, 20000);
        HistoryLoader loader(&store);
        loader.setDatabaseUrl(m_url);
        loader.loadLatest(100);
        QTRY_COMPARE_WITH_TIMEOUT(loader.inFlight(), 0, 20000);
        QVERIFY(store.find(QStringLiteral("BTC")));
        QCOMPARE(store.find(QStringLiteral("BTC"))->candles.at(60).size(), size_t(100));
    }

    void pagingBackLoadsOlderCandles()
    {
        MarketDataStore store(10000, 20000);
        HistoryLoader loader(&store);
        loader.setDatabaseUrl(m_url);
        loader.loadLatest(500);
        QTRY_COMPARE_WITH_TIMEOUT(loader.inFlight(), 0, 20000);
        const SymbolData *d = store.find(QStringLiteral("BTC"));
        QVERIFY(d);
        QCOMPARE(d->candles.at(60).size(), size_t(500));
        ChartPanel panel(&store);
        panel.setHistoryLoader(&loader);
        panel.resize(1200, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSymbol(QStringLiteral("BTC"));
        panel.setMode(ChartPanel::Mode::Candles);
        panel.setIntervalSec(60);
        panel.setRangePreset(60 * kMinute);
        // Go to two days before the newest candle: pages load until the view is covered.
        const qint64 target = kEnd - 2 * 24 * 60 * kMinute;
        panel.goTo(target);
        QTRY_VERIFY_WITH_TIMEOUT((panel.refresh(false),
                                  d->candles.at(60).front().bucketStartMs <= target - 30 * kMinute),
                                 30000);
        QVERIFY(loader.pagesLoaded() >= 2);
        QTRY_VERIFY_WITH_TIMEOUT((panel.refresh(false), panel.candleCount() >= 55), 10000);
        const auto [t0, t1] = panel.visibleRange();
        QVERIFY(t0 <= target && t1 >= target);
        // Pan further back: the next page comes, and the stored series has no holes.
        for (int i = 0; i < 10; ++i)
            panel.pan(-1.0);
        QTRY_VERIFY_WITH_TIMEOUT((panel.refresh(false), d->candles.at(60).front().bucketStartMs <=
                                                            panel.visibleRange().first),
                                 30000);
        const auto &list = d->candles.at(60);
        for (size_t i = 1; i < list.size(); ++i)
            QCOMPARE(list[i].bucketStartMs - list[i - 1].bucketStartMs, kMinute);
    }
};

QTEST_MAIN(TstUiHistory)
#include "tst_ui_history.moc"
