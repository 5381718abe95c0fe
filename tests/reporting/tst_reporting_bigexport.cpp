// A 1M-tick CSV export in bounded memory: fact_tick is streamed with a forward-only query, so the
// process's resident set must not grow with the row count. Prints rows/s and the RSS growth.
#include "pg_server.h"
#include "reporting_fixture.h"
#include "reporting/csv_export.h"
#include "reporting/star_schema.h"
#include "storage/database.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using namespace ms::reporting;

class TestReportingBigExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void millionTicksInBoundedMemory()
    {
        test::PgServer pg;
        QVERIFY2(pg.start(), qPrintable(pg.errorString()));
        QVERIFY(pg.createDatabase(QStringLiteral("big")));
        Result<DatabaseUrl> url = DatabaseUrl::parse(pg.url(QStringLiteral("big")));
        QVERIFY(url.ok());
        {
            Result<QSqlDatabase> db = openDatabase(url.value(), QStringLiteral("big"));
            QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
            const Status migrated = applyMigrations(db.value());
            QVERIFY2(migrated.ok(), qPrintable(migrated.errorMessage()));
            constexpr qint64 kTicks = 1000000;
            const QString seeded = pg.psql(QStringLiteral(
                "INSERT INTO crypto_data (symbol, price, \"timestamp\", volume, source, kind, trade_id, date_key) "
                "SELECT 'SYM' || (g % 8), 100 + (g % 1000) / 7.0, ts, (g % 13) / 3.0, 'simulator', 'trade', 'id-' || g, "
                "to_char(ts AT TIME ZONE 'UTC', 'YYYYMMDD')::integer FROM generate_series(1, 800000) g, "
                "LATERAL (SELECT '2026-01-01'::timestamptz + g * interval '37 ms' AS ts) t; "
                "INSERT INTO stock_data (symbol, price, \"timestamp\", volume, source, kind, trade_id, date_key) "
                "SELECT 'STK' || (g % 4), 50 + (g % 100) / 3.0, ts, g % 7, 'finnhub', 'trade', 's-' || g, "
                "to_char(ts AT TIME ZONE 'UTC', 'YYYYMMDD')::integer FROM generate_series(1, 200000) g, "
                "LATERAL (SELECT '2026-01-01'::timestamptz + g * interval '1 s' AS ts) t; "
                "SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)"),
                QStringLiteral("big"));
            QVERIFY2(seeded.endsWith(QString::number(kTicks)), qPrintable(seeded));

            QTemporaryDir out;
            const ViewInfo *view = findStarView(QStringLiteral("fact_tick"));
            QVERIFY(view);
            const qint64 rssBefore = test::vmRssKiB();
            qint64 rssPeak = rssBefore, calls = 0;
            QElapsedTimer timer;
            timer.start();
            Result<qint64> rows = exportViewCsv(db.value(), *view, out.filePath(QStringLiteral("fact_tick.csv")),
                                                [&](qint64, qint64) {
                                                    ++calls;
                                                    rssPeak = qMax(rssPeak, test::vmRssKiB());
                                                });
            const qint64 ms = qMax<qint64>(1, timer.elapsed());
            QVERIFY2(rows.ok(), qPrintable(rows.errorMessage()));
            QCOMPARE(rows.value(), kTicks);
            const qint64 bytes = QFileInfo(out.filePath(QStringLiteral("fact_tick.csv"))).size();
            const qint64 growthKiB = rssPeak - rssBefore;
            qInfo("fact_tick CSV: %lld rows, %lld MiB in %lld ms = %lld rows/s; RSS before %lld KiB, peak growth %lld KiB",
                  rows.value(), bytes >> 20, ms, rows.value() * 1000 / ms, rssBefore, growthKiB);
            QVERIFY(calls >= kTicks / 20000);
            // Holding the rows (libpq result or QVariants) would need far more than the file's size;
            // streaming needs the write buffer and one row. The bound is generous but a fraction of the file.
            QVERIFY2(growthKiB * 1024 < bytes / 4,
                     qPrintable(QStringLiteral("RSS grew %1 KiB for a %2 MiB file").arg(growthKiB).arg(bytes >> 20)));

            // Cancel mid-stream: an error, and no partial file left behind.
            std::atomic_bool cancel{false};
            Result<qint64> cancelled = exportViewCsv(db.value(), *view, out.filePath(QStringLiteral("cancelled.csv")),
                                                     [&](qint64 done, qint64) { if (done >= 100000) cancel = true; },
                                                     &cancel);
            QVERIFY(!cancelled.ok());
            QCOMPARE(cancelled.error().code, QStringLiteral("cancelled"));
            QVERIFY(!QFileInfo::exists(out.filePath(QStringLiteral("cancelled.csv"))));
        }
        closeDatabase(QStringLiteral("big"));
    }
};

QTEST_GUILESS_MAIN(TestReportingBigExport)
#include "tst_reporting_bigexport.moc"
