// Feed gaps on the chart: a gap stored in feed_gaps shows as a shaded span over the price plot at
// its place in time, only for its own symbol and only while it is in view.
#include "chart_panel.h"
#include "gap_spans.h"
#include "health_panel.h"
#include "main_window.h"
#include "storage/database_url.h"
#include "storage/tick_store.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using namespace ms::ui;

namespace {
constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kEnd = 1'700'000'000'000LL / kMinute * kMinute; // the newest stored minute
constexpr int kMinutes = 240;

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
            c.close = c.open + 0.05;
            c.high = c.close + 0.1;
            c.low = c.open - 0.1;
            c.volume = 10;
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

FeedGap gap(const char *symbol, qint64 startMs, qint64 endMs)
{
    FeedGap g;
    g.source = SourceKind::Replay;
    g.symbol = symbol;
    g.startMs = startMs;
    g.endMs = endMs;
    g.thresholdMs = 5000;
    g.detectedAtMs = endMs + 10;
    return g;
}
} // namespace

class TstUiGaps : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_url;
    const qint64 m_gapStart = kEnd - 20 * kMinute;
    const qint64 m_gapEnd = kEnd - 12 * kMinute;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_url = QStringLiteral("sqlite://") + m_dir.path() + QStringLiteral("/ticks.db");
        auto store = TickStore::open(*DatabaseUrl::parse(m_url), QStringLiteral("seed"));
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        const std::vector<Candle> candles = seedCandles();
        WriteBatch batch;
        batch.candles = candles;
        // Through the consumer's own write path: the rows a detector hands back with the batch.
        batch.deriveFromInserted = [this](std::span<const quint8>, DerivedRows &out) {
            out.feedGaps.push_back(gap("BTC", m_gapStart, m_gapEnd));
            out.feedGaps.push_back(
                gap("BTC", kEnd - 200 * kMinute, kEnd - 199 * kMinute)); // out of view
            out.feedGaps.push_back(
                gap("ETH", kEnd - 40 * kMinute, kEnd - 30 * kMinute)); // not BTC's
            return Status{};
        };
        auto written = (*store)->write(batch);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
        QCOMPARE(written->feedGapsWritten, qint64(3));
    }

    void storedGapIsShadedOnTheChart()
    {
        const QString settingsFile = m_dir.path() + QStringLiteral("/settings.ini");
        {
            QSettings s(settingsFile, QSettings::IniFormat);
            s.setValue(QStringLiteral("chart/mode"), QStringLiteral("line"));
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
        w.charts()->setSymbol(QStringLiteral("BTC"));
        w.charts()->refresh(true);
        const GapSpans *spans = w.charts()->gapSpans();
        QVERIFY(spans);
        QTRY_COMPARE_WITH_TIMEOUT(spans->spanRects().size(), size_t(1), 20000);
        QCOMPARE(spans->gaps().size(), size_t(1)); // the one in view (± a span); not ETH's
        const auto [t0, t1] = w.charts()->visibleRange();
        QVERIFY(t0 < m_gapStart && m_gapEnd < t1);
        const QRectF plot = spans->plotRect();
        const QRectF r = spans->spanRects().front();
        const double perMs = plot.width() / double(t1 - t0);
        QCOMPARE(qRound(r.left()), qRound(plot.left() + double(m_gapStart - t0) * perMs));
        QCOMPARE(qRound(r.right()), qRound(plot.left() + double(m_gapEnd - t0) * perMs));
        QCOMPARE(r.top(), plot.top());
        QCOMPARE(r.bottom(), plot.bottom());

        // ETH's own gap, not BTC's, once ETH is shown.
        w.charts()->setSymbol(QStringLiteral("ETH"));
        w.charts()->refresh(true);
        QTRY_VERIFY_WITH_TIMEOUT(spans->gaps().size() == 1 && spans->gaps().front().symbol == "ETH",
                                 20000);
        QCOMPARE(spans->spanRects().size(), size_t(1));
        QCOMPARE(spans->gaps().front().startMs, kEnd - 40 * kMinute);
    }

    void healthPanelCountsStoredGaps()
    {
        HealthPanel panel;
        MetricsSnapshot s;
        s.feedGaps = 3;
        QVERIFY(panel.update(s, 1'000'000));
        QVERIFY2(panel.summary().contains(QStringLiteral("feed gaps 3")), qPrintable(panel.summary()));
    }
};

QTEST_MAIN(TstUiGaps)
#include "tst_ui_gaps.moc"
