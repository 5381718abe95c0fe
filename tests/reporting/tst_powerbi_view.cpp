// The Power BI tab on the offscreen platform, over the hand-computed SQLite data of reporting_fixture
// (BTC 1-minute candles on 2026-11-19/20/21, AAPL on 2026-11-21): the per-symbol page (KPIs, candles
// and volume with axes, the table filtered to the symbol), the all-symbols page (% change, counts per
// asset class, never a summed volume), before Start over an existing database, and an export that
// always ends in words: done with the folder, or why not.
#include "powerbi/powerbi_charts.h"
#include "powerbi/powerbi_pages.h"
#include "powerbi/powerbi_view.h"
#include "reporting_fixture.h"
#include "storage/database.h"

#include <QAbstractItemModel>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QChart>
#include <QLineSeries>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

using namespace ms;

class TestPowerBiView : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_url, m_emptyUrl;

    static QString migrated(const QString &path, bool seed)
    {
        Result<DatabaseUrl> url = DatabaseUrl::parse(QStringLiteral("sqlite://") + path);
        if (!url)
            return url.errorMessage();
        QString error;
        {
            Result<QSqlDatabase> db = openDatabase(url.value(), QStringLiteral("seed"));
            if (!db)
                return db.errorMessage();
            if (const Status s = applyMigrations(db.value()); !s.ok())
                error = s.errorMessage();
            else if (seed)
                error = test::seedReportingData(db.value());
        }
        closeDatabase(QStringLiteral("seed"));
        return error;
    }

    // A shown view that has read the database once.
    static bool refreshedOnce(PowerBiView &view, const QString &url)
    {
        QSignalSpy refreshed(&view, &PowerBiView::refreshed);
        view.resize(1280, 800);
        if (!url.isEmpty())
            view.setDatabaseUrl(url);  // as the main window does, before the tab is shown
        view.show();
        return refreshed.wait(20000) && refreshed.first().at(0).toBool();
    }

    static QMessageBox *resultBox(PowerBiView &view)
    {
        return view.findChild<QMessageBox *>(QStringLiteral("powerBiExportResult"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        m_url = QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("view.db"));
        m_emptyUrl = QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("empty.db"));
        QString e = migrated(m_dir.filePath(QStringLiteral("view.db")), true);
        QVERIFY2(e.isEmpty(), qPrintable(e));
        e = migrated(m_dir.filePath(QStringLiteral("empty.db")), false);
        QVERIFY2(e.isEmpty(), qPrintable(e));
    }

    void perSymbolChartHasPointsAndAxes()
    {
        PowerBiView view;
        QVERIFY(refreshedOnce(view, m_url));
        QSignalSpy refreshed(&view, &PowerBiView::refreshed);
        view.selectSymbol(QStringLiteral("crypto:BTC:USD"));
        QVERIFY(!view.showsAllSymbols());
        QVERIFY(refreshed.wait(20000));

        QCOMPARE(view.kpiText(QStringLiteral("last")), QStringLiteral("117.50 USD"));
        QCOMPARE(view.kpiText(QStringLiteral("change")), QStringLiteral("+17.50 %"));
        QCOMPARE(view.kpiText(QStringLiteral("high")), QStringLiteral("120.00"));
        QCOMPARE(view.kpiText(QStringLiteral("low")), QStringLiteral("95.00"));
        QCOMPARE(view.kpiText(QStringLiteral("volume")), QStringLiteral("6 BTC"));  // coins, in the coin's unit
        QCOMPARE(view.kpiText(QStringLiteral("vwap")), QStringLiteral("109.33"));

        // Three daily candles on a day axis with three distinct labels, and a price axis around them.
        QChart *price = view.symbolPage()->priceChart();
        QCOMPARE(powerbi::chartPointCount(price), 3);
        QCOMPARE(view.trendPointCount(), 3);
        const QStringList days = powerbi::chartAxisLabels(price, Qt::Horizontal);
        QCOMPARE(days, QStringList({QStringLiteral("19 Nov"), QStringLiteral("20 Nov"), QStringLiteral("21 Nov")}));
        const auto *y = qobject_cast<QValueAxis *>(price->axes(Qt::Vertical).value(0));
        QVERIFY(y);
        QVERIFY2(y->min() <= 89 && y->max() >= 120, qPrintable(QStringLiteral("%1..%2").arg(y->min()).arg(y->max())));
        QVERIFY(y->titleText().contains(QLatin1String("USD")));
        auto *candles = qobject_cast<QCandlestickSeries *>(price->series().value(0));
        QVERIFY(candles);
        QCOMPARE(candles->sets().last()->close(), 117.5);
        QCOMPARE(candles->sets().last()->high(), 120.0);
        // Daily volume bars: 5, 3 (2 + 1), 3 (3 + 0); the axis names the unit.
        QChart *volume = view.symbolPage()->volumeChart();
        QCOMPARE(powerbi::chartPointCount(volume), 3);
        QVERIFY(qobject_cast<QValueAxis *>(volume->axes(Qt::Vertical).value(0))->titleText().contains(QLatin1String("BTC")));
    }

    void tableFiltersToTheSymbol()
    {
        PowerBiView view;
        QVERIFY(refreshedOnce(view, m_url));
        QSignalSpy refreshed(&view, &PowerBiView::refreshed);
        view.selectSymbol(QStringLiteral("crypto:BTC:USD"));
        QVERIFY(refreshed.wait(20000));
        QAbstractItemModel *m = view.candleModel();
        QCOMPARE(m->rowCount(), 3);  // BTC's three days, none of AAPL's
        QCOMPARE(m->index(0, 0).data().toString(), QStringLiteral("2026-11-19 Thu"));
        QCOMPARE(m->index(2, 4).data().toString(), QStringLiteral("117.50"));
        view.selectSymbol(QStringLiteral("stock:AAPL:USD"));
        QVERIFY(refreshed.wait(20000));
        QCOMPARE(m->rowCount(), 1);
        QCOMPARE(m->index(0, 0).data().toString(), QStringLiteral("2026-11-21 Sat"));
        QCOMPARE(m->index(0, 6).data().toString(), QStringLiteral("150 shares"));  // whole shares, no decimals
        QCOMPARE(view.kpiText(QStringLiteral("volume")), QStringLiteral("150 shares"));
    }

    void allSymbolsShowsPercentChangeAndNoSummedVolume()
    {
        PowerBiView view;
        QVERIFY(refreshedOnce(view, m_url));
        QVERIFY(view.showsAllSymbols());
        QCOMPARE(view.kpiText(QStringLiteral("count:all")), QStringLiteral("2"));
        QCOMPARE(view.kpiText(QStringLiteral("count:crypto")), QStringLiteral("1"));
        QCOMPARE(view.kpiText(QStringLiteral("count:stock")), QStringLiteral("1"));
        // No card adds quantities of different instruments (BTC coins + AAPL shares).
        const QList<powerbi::KpiCard *> cards = view.overviewPage()->findChildren<powerbi::KpiCard *>();
        QVERIFY(cards.size() >= 3);
        for (const powerbi::KpiCard *c : cards)
            QVERIFY2(!c->text().contains(QLatin1String("156")), qPrintable(c->text()));
        QVERIFY(view.kpiText(QStringLiteral("volume")).isEmpty() || view.kpiText(QStringLiteral("volume")) == QStringLiteral("–"));

        // % change from each symbol's first close shown: BTC 91 → 102 → 117.5; AAPL one day at 0.
        QChart *trend = view.overviewPage()->trendChart();
        QCOMPARE(powerbi::chartPointCount(trend), 4);
        QMap<QString, QList<QPointF>> lines;
        for (QAbstractSeries *s : trend->series())
            lines.insert(s->name(), static_cast<QLineSeries *>(s)->points());
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.value(QStringLiteral("BTC")).size(), 3);
        QCOMPARE(lines.value(QStringLiteral("BTC")).at(0).y(), 0.0);
        QVERIFY(qAbs(lines.value(QStringLiteral("BTC")).at(2).y() - (117.5 / 91 - 1) * 100) < 1e-9);
        QCOMPARE(lines.value(QStringLiteral("AAPL")).at(0), QPointF(2, 0));  // on the shared day axis
        const auto *y = qobject_cast<QValueAxis *>(trend->axes(Qt::Vertical).value(0));
        QVERIFY(y && y->titleText().contains(u'%'));
        QVERIFY2(y->min() >= -10 && y->max() <= 40, qPrintable(QStringLiteral("%1..%2").arg(y->min()).arg(y->max())));
        const QStringList days = powerbi::chartAxisLabels(trend, Qt::Horizontal);
        QCOMPARE(QSet<QString>(days.begin(), days.end()).size(), days.size());  // no repeated date label

        // Top movers: both rose over 24 h; the quotes table gives each volume in its own unit.
        QCOMPARE(view.overviewPage()->gainersModel()->rowCount(), 2);
        QCOMPARE(view.overviewPage()->losersModel()->rowCount(), 0);
        QAbstractItemModel *q = view.quotesModel();
        QCOMPARE(q->rowCount(), 2);
        QStringList volumes;
        for (int r = 0; r < q->rowCount(); ++r)
            volumes.append(q->index(r, 6).data().toString());
        volumes.sort();
        QCOMPARE(volumes, QStringList({QStringLiteral("150 shares"), QStringLiteral("6 BTC")}));
    }

    void rangeControlLimitsTheDays()
    {
        PowerBiView view;
        QVERIFY(refreshedOnce(view, m_url));
        QSignalSpy refreshed(&view, &PowerBiView::refreshed);
        view.selectSymbol(QStringLiteral("crypto:BTC:USD"));
        QVERIFY(refreshed.wait(20000));
        view.setRange(reporting::DashboardRange::Days7);
        QVERIFY(refreshed.wait(20000));
        QCOMPARE(view.candleModel()->rowCount(), 3);
        // Days up to the newest stored day (2026-11-21), whatever today is: 7 d holds all three.
        view.setRange(reporting::DashboardRange::All);
        QVERIFY(refreshed.wait(20000));
        QCOMPARE(view.candleModel()->rowCount(), 3);
    }

    void worksBeforeStartOverAnExistingDatabase()
    {
        // Nobody calls setDatabaseUrl (the main window does so on Start): the view reads the
        // database the pipeline would use, here DATABASE_URL.
        qputenv("DATABASE_URL", m_url.toUtf8());
        PowerBiView view;
        QVERIFY(refreshedOnce(view, QString()));
        qunsetenv("DATABASE_URL");
        QCOMPARE(view.databaseUrl(), m_url);
        QCOMPARE(view.quotesModel()->rowCount(), 2);
        QVERIFY2(!view.statusText().contains(QLatin1String("No database")), qPrintable(view.statusText()));
    }

    void missingDatabaseIsReportedAndNotCreated()
    {
        const QString path = m_dir.filePath(QStringLiteral("never.db"));
        PowerBiView view;
        QSignalSpy refreshed(&view, &PowerBiView::refreshed);
        view.setDatabaseUrl(QStringLiteral("sqlite://") + path);
        QVERIFY(refreshed.wait(20000));
        QCOMPARE(refreshed.first().at(0).toBool(), false);
        QVERIFY2(view.statusText().contains(QLatin1String("No database yet at")), qPrintable(view.statusText()));
        QVERIFY(!QFile::exists(path));
    }

    void exportWithoutADatabaseShowsAnError()
    {
        const QString path = m_dir.filePath(QStringLiteral("none.db"));
        PowerBiView view;
        view.setRefreshIntervalMs(0);
        view.setDatabaseUrl(QStringLiteral("sqlite://") + path);
        QTemporaryDir out;
        QSignalSpy done(&view, &PowerBiView::exportFinished);
        view.startExport(out.path());
        QVERIFY(done.wait(20000));
        QCOMPARE(done.first().at(0).toBool(), false);
        QVERIFY2(view.lastExportMessage().contains(QLatin1String("no database at")), qPrintable(view.lastExportMessage()));
        QMessageBox *box = resultBox(view);
        QVERIFY(box);
        QCOMPARE(box->text(), view.lastExportMessage());
        QVERIFY(QDir(out.path()).isEmpty());
        QVERIFY(!QFile::exists(path));
    }

    void exportOfAnEmptyDatabaseSaysNothingToExport()
    {
        PowerBiView view;
        view.setRefreshIntervalMs(0);
        view.setDatabaseUrl(m_emptyUrl);
        QTemporaryDir out;
        QSignalSpy done(&view, &PowerBiView::exportFinished);
        view.startExport(out.path());
        QVERIFY(done.wait(20000));
        QCOMPARE(done.first().at(0).toBool(), false);
        QVERIFY2(view.lastExportMessage().startsWith(QLatin1String("Nothing to export")), qPrintable(view.lastExportMessage()));
        QVERIFY(QDir(out.path()).isEmpty());
    }

    void exportToAnUnwritableFolderShowsAnError()
    {
        QTemporaryDir out;
        QFile file(out.filePath(QStringLiteral("a-file")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        PowerBiView view;
        view.setRefreshIntervalMs(0);
        view.setDatabaseUrl(m_url);
        QSignalSpy done(&view, &PowerBiView::exportFinished);
        view.startExport(out.filePath(QStringLiteral("a-file/powerbi")));  // under a file: no root override
        QVERIFY(done.wait(20000));
        QCOMPARE(done.first().at(0).toBool(), false);
        QVERIFY2(view.lastExportMessage().startsWith(QLatin1String("Export failed: cannot create the output folder")),
                 qPrintable(view.lastExportMessage()));
        QVERIFY(resultBox(view));
        QVERIFY2(view.exportStatusText().startsWith(QLatin1String("Export failed")), qPrintable(view.exportStatusText()));
    }

    void exportReachesOneHundredPercentAndShowsTheFolder()
    {
        PowerBiView view;
        view.setRefreshIntervalMs(0);
        view.setDatabaseUrl(m_url);
        QTemporaryDir out;
        QSignalSpy done(&view, &PowerBiView::exportFinished);
        view.startExport(out.path());
        QVERIFY(view.isExporting());
        QVERIFY(done.wait(60000));
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QTRY_COMPARE(view.exportProgressPercent(), 100);
        QVERIFY2(view.exportProgressLabel().startsWith(QLatin1String("Done: ")), qPrintable(view.exportProgressLabel()));
        QVERIFY2(view.lastExportMessage().contains(QDir::toNativeSeparators(QDir(out.path()).absolutePath())),
                 qPrintable(view.lastExportMessage()));
        QMessageBox *box = resultBox(view);
        QVERIFY(box);
        QVERIFY(box->findChild<QPushButton *>(QStringLiteral("openExportFolder")));
        QVERIFY(QFile::exists(out.filePath(QStringLiteral("MarketStream.pbip"))));
        QVERIFY(QFile::exists(out.filePath(QStringLiteral("csv/fact_candle.csv"))));
    }
};

QTEST_MAIN(TestPowerBiView)
#include "tst_powerbi_view.moc"
