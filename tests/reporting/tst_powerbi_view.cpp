// The Power BI tab on the offscreen platform: shows the seeded figures (SQLite, the same hand-computed
// data as the PostgreSQL tests), follows the symbol selection, sorts, and exports off the GUI thread.
#include "powerbi/powerbi_view.h"
#include "reporting_fixture.h"
#include "storage/database.h"

#include <QAbstractItemModel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ms;

class TestPowerBiView : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_url;

    static int rowOf(QAbstractItemModel *m, const QString &symbol)
    {
        for (int r = 0; r < m->rowCount(); ++r) {
            if (m->index(r, 0).data().toString() == symbol)
                return r;
        }
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        m_url = QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("view.db"));
        Result<DatabaseUrl> url = DatabaseUrl::parse(m_url);
        QVERIFY(url.ok());
        {
            Result<QSqlDatabase> db = openDatabase(url.value(), QStringLiteral("seed"));
            QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
            QVERIFY(applyMigrations(db.value()).ok());
            const QString seeded = test::seedReportingData(db.value());
            QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
        }
        closeDatabase(QStringLiteral("seed"));
    }

    void showsTheSeededFigures()
    {
        PowerBiView view(nullptr);
        QCOMPARE(view.refreshIntervalMs(), 5000);
        view.resize(1200, 800);
        view.show();
        QSignalSpy refreshed(&view, &PowerBiView::refreshed);
        view.setDatabaseUrl(m_url);
        QVERIFY(view.isRefreshing());  // the query runs on the pool, not in setDatabaseUrl
        QVERIFY(refreshed.wait(20000));
        QCOMPARE(refreshed.takeFirst().at(0).toBool(), true);

        // All symbols: sums and the mean change; no single price.
        QCOMPARE(view.kpiText(QStringLiteral("volume")), QStringLiteral("156.00"));
        QCOMPARE(view.kpiText(QStringLiteral("change")), QStringLiteral("9.28%"));  // (17.5 + 1.0526) / 2
        QCOMPARE(view.kpiText(QStringLiteral("last")), QStringLiteral("–"));

        QAbstractItemModel *m = view.quotesModel();
        QCOMPARE(m->rowCount(), 2);
        const int btc = rowOf(m, QStringLiteral("BTC"));
        QVERIFY(btc >= 0);
        QCOMPARE(m->index(btc, 3).data().toString(), QStringLiteral("117.50"));
        QCOMPARE(m->index(btc, 4).data().toString(), QStringLiteral("17.50%"));
        QCOMPARE(m->index(btc, 8).data().toString(), QStringLiteral("109.33"));  // 656 / 6
        // Sortable, numerically: by last price descending AAPL (192) comes first.
        m->sort(3, Qt::DescendingOrder);
        QCOMPARE(m->index(0, 0).data().toString(), QStringLiteral("AAPL"));
        m->sort(3, Qt::AscendingOrder);
        QCOMPARE(m->index(0, 0).data().toString(), QStringLiteral("BTC"));
        QCOMPARE(view.trendPointCount(), 4);  // BTC 3 days + AAPL 1 day

        // One symbol: its own figures, and the trend follows.
        view.selectSymbol(QStringLiteral("crypto:BTC:USD"));
        QCOMPARE(view.kpiText(QStringLiteral("last")), QStringLiteral("117.50"));
        QCOMPARE(view.kpiText(QStringLiteral("vwap")), QStringLiteral("109.33"));
        QCOMPARE(view.kpiText(QStringLiteral("volume")), QStringLiteral("6.00"));
        QVERIFY(refreshed.wait(20000));
        QCOMPARE(view.trendPointCount(), 3);
    }

    void badDatabaseIsReportedNotFatal()
    {
        PowerBiView view(nullptr);
        QSignalSpy refreshed(&view, &PowerBiView::refreshed);
        view.setDatabaseUrl(QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("empty.db")));
        QVERIFY(refreshed.wait(20000));
        QCOMPARE(refreshed.takeFirst().at(0).toBool(), false);
        QVERIFY2(view.statusText().contains(QLatin1String("v_latest_quote")), qPrintable(view.statusText()));
    }

    void exportsOffTheGuiThread()
    {
        PowerBiView view(nullptr);
        view.setRefreshIntervalMs(0);
        view.setDatabaseUrl(m_url);
        QTemporaryDir out;
        QSignalSpy done(&view, &PowerBiView::exportFinished);
        view.startExport(out.path());
        QVERIFY(view.isExporting());
        QVERIFY(done.wait(60000));
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QVERIFY(QFile::exists(out.filePath(QStringLiteral("MarketStream.pbip"))));
        QVERIFY(QFile::exists(out.filePath(QStringLiteral("csv/fact_candle.csv"))));
    }
};

QTEST_MAIN(TestPowerBiView)
#include "tst_powerbi_view.moc"
