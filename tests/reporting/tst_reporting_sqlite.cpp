// The reporting views on SQLite: same names and columns as PostgreSQL, the same hand-computed figures,
// the export's SQLite path (no .pbids, a CSV-import PBIP), CSV formatting, and the CLI's errors.
#include "../../app/export_command.h"
#include "reporting_fixture.h"
#include "reporting/csv_format.h"
#include "reporting/powerbi_export.h"
#include "reporting/reporting_queries.h"
#include "reporting/star_schema.h"
#include "storage/database.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using namespace ms::reporting;

namespace {
QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}
}  // namespace

class TestReportingSqlite : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DatabaseUrl m_url;
    QSqlDatabase m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        Result<DatabaseUrl> url = DatabaseUrl::parse(QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("ms.db")));
        QVERIFY2(url.ok(), qPrintable(url.errorMessage()));
        m_url = url.value();
        Result<QSqlDatabase> db = openDatabase(m_url, QStringLiteral("tst_reporting_sqlite"));
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        m_db = db.value();
        const Status migrated = applyMigrations(m_db);
        QVERIFY2(migrated.ok(), qPrintable(migrated.errorMessage()));
        const QString seeded = test::seedReportingData(m_db);
        QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
    }

    void sameViewsAndColumnsAsPostgres()
    {
        Result<QList<ViewInfo>> live = liveStarViews(m_db);
        QVERIFY2(live.ok(), qPrintable(live.errorMessage()));
        for (const ViewInfo &v : live.value()) {
            QStringList names, expected;
            for (const ColumnInfo &c : v.columns)
                names.append(c.name);
            for (const ColumnInfo &c : findStarView(v.name)->columns)
                expected.append(c.name);
            QCOMPARE(names, expected);
        }
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("SELECT count(*), min(date_key), max(date_key) FROM dim_date")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 14976);
        // ISO weeks and weekdays agree with PostgreSQL's extract(week/isodow) on known dates.
        QVERIFY(q.exec(QStringLiteral("SELECT iso_week, weekday, is_trading_day FROM dim_date WHERE date_key IN "
                                      "(20050101, 20210103, 20261124) ORDER BY date_key")));
        const int expected[3][3] = {{53, 6, 0}, {53, 7, 0}, {48, 2, 1}};
        for (const auto &row : expected) {
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), row[0]);
            QCOMPARE(q.value(1).toInt(), row[1]);
            QCOMPARE(q.value(2).toInt(), row[2]);
        }
    }

    void sameFiguresAsPostgres()
    {
        Result<QList<LatestQuote>> quotes = queryLatestQuotes(m_db);
        QVERIFY2(quotes.ok(), qPrintable(quotes.errorMessage()));
        QCOMPARE(quotes->size(), 2);
        for (int i = 0; i < 2; ++i) {
            const test::ExpectedQuote &e = test::kExpectedQuotes[i];
            const LatestQuote &q = quotes->at(i);
            QCOMPARE(q.symbolKey, QString::fromLatin1(e.symbolKey));
            QCOMPARE(q.lastPrice, e.lastPrice);
            QVERIFY(qFuzzyCompare(*q.changePct24h, e.changePct));
            QCOMPARE(q.high24h, e.high);
            QCOMPARE(q.low24h, e.low);
            QCOMPARE(q.volume24h, e.volume);
            QVERIFY(qFuzzyCompare(*q.vwap24h, e.vwap));
            QCOMPARE(q.trades24h, e.trades);
        }
        QCOMPARE(quotes->at(0).lastTime, QDateTime(QDate(2026, 11, 21), QTime(9, 59, 50), Qt::UTC));
        Result<QList<DailySummary>> days = queryDailySummary(m_db, QStringLiteral("crypto:BTC:USD"), 90);
        QVERIFY(days.ok());
        QCOMPARE(days->size(), 3);
        QCOMPARE(days->at(1).date, QDate(2026, 11, 20));
        QCOMPARE(days->at(1).close, 102.0);
        QVERIFY(qFuzzyCompare(*days->at(1).vwap, 311.0 / 3.0));
    }

    void csvFormatting_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<int>("type");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << QVariant(QStringLiteral("BTC")) << int(ColumnType::String) << QByteArray("BTC");
        QTest::newRow("empty string is quoted") << QVariant(QStringLiteral("")) << int(ColumnType::String) << QByteArray("\"\"");
        QTest::newRow("null is empty") << QVariant() << int(ColumnType::String) << QByteArray("");
        QTest::newRow("comma") << QVariant(QStringLiteral("a,b")) << int(ColumnType::String) << QByteArray("\"a,b\"");
        QTest::newRow("quote") << QVariant(QStringLiteral("say \"hi\"")) << int(ColumnType::String) << QByteArray("\"say \"\"hi\"\"\"");
        QTest::newRow("newline") << QVariant(QStringLiteral("a\r\nb")) << int(ColumnType::String) << QByteArray("\"a\r\nb\"");
        QTest::newRow("utf8") << QVariant(QStringLiteral("é€")) << int(ColumnType::String) << QByteArray("\xc3\xa9\xe2\x82\xac");
        QTest::newRow("double shortest") << QVariant(0.1) << int(ColumnType::Double) << QByteArray("0.1");
        QTest::newRow("double big") << QVariant(123456789.125) << int(ColumnType::Double) << QByteArray("123456789.125");
        QTest::newRow("int") << QVariant(qint64(20261124)) << int(ColumnType::Int64) << QByteArray("20261124");
        QTest::newRow("bool sqlite") << QVariant(1) << int(ColumnType::Boolean) << QByteArray("true");
        QTest::newRow("sqlite time") << QVariant(QStringLiteral("2026-11-21 09:59:31.000")) << int(ColumnType::DateTime)
                                     << QByteArray("2026-11-21T09:59:31.000Z");
        QTest::newRow("qdatetime with offset")
            << QVariant(QDateTime(QDate(2026, 11, 21), QTime(11, 0), Qt::OffsetFromUTC, 7200)) << int(ColumnType::DateTime)
            << QByteArray("2026-11-21T09:00:00.000Z");
    }
    void csvFormatting()
    {
        QFETCH(QVariant, value);
        QFETCH(int, type);
        QFETCH(QByteArray, expected);
        QByteArray out;
        appendCsvValue(out, value, ColumnType(type));
        QCOMPARE(out, expected);
    }

    void reportPagesUseOnlyModelFields()
    {
        // The four pages, in order, and every field a visual names exists in the model: a column of
        // its table or a measure of it (the same report as from PostgreSQL).
        QTemporaryDir out;
        Result<ExportSummary> exported = exportPowerBi(m_url, out.path(), ExportOptions{});
        QVERIFY2(exported.ok(), qPrintable(exported.errorMessage()));
        const QString def = out.filePath(QStringLiteral("MarketStream.Report/definition/pages/"));
        const QJsonObject pages = QJsonDocument::fromJson(readText(def + QStringLiteral("pages.json")).toUtf8()).object();
        QStringList names;
        for (const QJsonValue &id : pages.value(QStringLiteral("pageOrder")).toArray())
            names.append(QJsonDocument::fromJson(readText(def + id.toString() + QStringLiteral("/page.json")).toUtf8())
                             .object().value(QStringLiteral("displayName")).toString());
        QCOMPARE(names, QStringList({QStringLiteral("Overview"), QStringLiteral("Price"), QStringLiteral("Volume"),
                                     QStringLiteral("Data quality")}));
        QSet<QString> known;
        QDirIterator tables(out.filePath(QStringLiteral("MarketStream.SemanticModel/definition/tables")), {QStringLiteral("*.tmdl")});
        while (tables.hasNext()) {
            const QString path = tables.next();
            const QString table = QFileInfo(path).completeBaseName();
            for (const QString &l : readText(path).split(u'\n')) {
                if (l.startsWith(QLatin1String("\tcolumn ")))
                    known.insert(table + u'.' + l.mid(8).trimmed());
                if (l.startsWith(QLatin1String("\tmeasure "))) {
                    QString name = l.mid(9).section(QStringLiteral(" ="), 0, 0);
                    if (name.startsWith(u'\''))
                        name = name.mid(1, name.size() - 2);
                    known.insert(table + u'.' + name);
                }
            }
        }
        int fields = 0;
        QDirIterator it(def, {QStringLiteral("visual.json")}, QDir::Files, QDirIterator::Subdirectories);
        const QRegularExpression ref(QStringLiteral("\"queryRef\": \"([^\"]+)\""));
        while (it.hasNext()) {
            const QString text = readText(it.next());
            for (auto m = ref.globalMatch(text); m.hasNext(); ++fields) {
                const QString field = m.next().captured(1);
                QVERIFY2(known.contains(field), qPrintable(QStringLiteral("the report names ") + field));
            }
        }
        QVERIFY2(fields >= 40, qPrintable(QString::number(fields)));
        // Volumes are never summed across symbols: a page charting the Volume measure has a single-select
        // symbol slicer.
        int volumePages = 0;
        for (const QJsonValue &id : pages.value(QStringLiteral("pageOrder")).toArray()) {
            QString all;
            QDirIterator v(def + id.toString(), {QStringLiteral("visual.json")}, QDir::Files, QDirIterator::Subdirectories);
            while (v.hasNext())
                all += readText(v.next());
            if (!all.contains(QLatin1String("\"queryRef\": \"fact_candle.Volume\"")))
                continue;
            ++volumePages;
            QVERIFY2(all.contains(QLatin1String("\"singleSelect\"")) && all.contains(QLatin1String("\"dim_symbol.symbol\"")),
                     qPrintable(id.toString()));
        }
        QCOMPARE(volumePages, 1);
    }

    void exportOnSqliteUsesTheCsvPath()
    {
        QTemporaryDir out;
        Result<ExportSummary> s = exportPowerBi(m_url, out.path(), ExportOptions{});
        QVERIFY2(s.ok(), qPrintable(s.errorMessage()));
        QVERIFY(!QFile::exists(out.filePath(QStringLiteral("MarketStream.pbids"))));
        QVERIFY(!s->notes.isEmpty() && s->notes.first().contains(QLatin1String("CSV")));
        for (const ViewInfo &v : starViews())
            QVERIFY(QFile::exists(out.filePath(QStringLiteral("csv/") + v.name + QStringLiteral(".csv"))));
        const QString tick = readText(out.filePath(QStringLiteral("csv/fact_tick.csv")));
        QVERIFY(tick.startsWith(QLatin1String("symbol_key,date_key,asset_class,symbol,currency,tick_time,price,volume,source,kind,trade_id,tick_time_utc\r\n")));
        QVERIFY2(tick.contains(QStringLiteral("crypto:BTC:USD,20261121,crypto,BTC,USD,2026-11-21T09:59:31.000Z,117.25,0,"
                                              "simulator,trade,\"a,\"\"b\"\"\nc é\",2026-11-21T09:59:31.000\r\n")), qPrintable(tick));
        const QString table = readText(out.filePath(QStringLiteral("MarketStream.SemanticModel/definition/tables/fact_tick.tmdl")));
        QVERIFY(table.contains(QLatin1String("mode: import")));
        QVERIFY(table.contains(QLatin1String("Csv.Document(File.Contents(CsvFolder & \"/fact_tick.csv\")")));
        const QString expr = readText(out.filePath(QStringLiteral("MarketStream.SemanticModel/definition/expressions.tmdl")));
        QVERIFY(expr.contains(QLatin1String("expression CsvFolder = ")));
        QDirIterator it(out.path(), QDir::Files, QDirIterator::Subdirectories);
        int validated = 0;
        while (it.hasNext()) {
            const QString path = it.next();
            const QString schema = test::schemaFor(path);
            if (schema.isEmpty() || path.endsWith(QLatin1String(".csv")))
                continue;
            const QString problem = test::validateJson(path, schema);
            QVERIFY2(problem.isEmpty(), qPrintable(path + QStringLiteral(": ") + problem));
            ++validated;
        }
        QCOMPARE(validated, 10);
    }

    void exportErrorsAreClear()
    {
        // A database without migration 020: names the missing view and the fix.
        QTemporaryDir dir;
        Result<DatabaseUrl> bare = DatabaseUrl::parse(QStringLiteral("sqlite://") + dir.filePath(QStringLiteral("bare.db")));
        QVERIFY(bare.ok());
        Result<ExportSummary> s = exportPowerBi(bare.value(), dir.filePath(QStringLiteral("out")), ExportOptions{});
        QVERIFY(!s.ok());
        QVERIFY2(s.errorMessage().contains(QLatin1String("dim_symbol")) && s.errorMessage().contains(QLatin1String("020")),
                 qPrintable(s.errorMessage()));
        // Cancelled before it starts: an error, no CSV written.
        std::atomic_bool cancel{true};
        ExportOptions o;
        o.cancel = &cancel;
        s = exportPowerBi(m_url, dir.filePath(QStringLiteral("cancelled")), o);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, QStringLiteral("cancelled"));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("cancelled/csv/dim_symbol.csv"))));
    }

    void exportCommandArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("nothing") << QStringList{QStringLiteral("export")} << 2;
        QTest::newRow("unknown target") << QStringList{QStringLiteral("export"), QStringLiteral("excel")} << 2;
        QTest::newRow("no --out") << QStringList{QStringLiteral("export"), QStringLiteral("powerbi")} << 2;
        QTest::newRow("--out without value") << QStringList{QStringLiteral("export"), QStringLiteral("powerbi"),
                                                            QStringLiteral("--out")} << 2;
        QTest::newRow("unknown option") << QStringList{QStringLiteral("export"), QStringLiteral("powerbi"),
                                                       QStringLiteral("--out"), QStringLiteral("/tmp/x"),
                                                       QStringLiteral("--fast")} << 2;
        QTest::newRow("bad url") << QStringList{QStringLiteral("export"), QStringLiteral("powerbi"), QStringLiteral("--out"),
                                                QStringLiteral("/tmp/x"), QStringLiteral("--db"), QStringLiteral("mysql://h/db")} << 2;
        QTest::newRow("unknown view") << QStringList{QStringLiteral("export"), QStringLiteral("powerbi"), QStringLiteral("--out"),
                                                     QStringLiteral("/tmp/x"), QStringLiteral("--views"), QStringLiteral("nope")} << 2;
        QTest::newRow("help") << QStringList{QStringLiteral("export"), QStringLiteral("powerbi"), QStringLiteral("--help")} << 0;
    }
    void exportCommandArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QCOMPARE(runExportCommand(args), exitCode);
    }

    void exportCommandRuns()
    {
        QTemporaryDir out;
        const int rc = runExportCommand({QStringLiteral("export"), QStringLiteral("powerbi"), QStringLiteral("--out"),
                                         out.path(), QStringLiteral("--db"), m_url.toString(), QStringLiteral("--views"),
                                         QStringLiteral("dim_symbol,fact_candle")});
        QCOMPARE(rc, 0);
        QVERIFY(QFile::exists(out.filePath(QStringLiteral("csv/fact_candle.csv"))));
        QVERIFY(!QFile::exists(out.filePath(QStringLiteral("csv/fact_tick.csv"))));
        QVERIFY(QFile::exists(out.filePath(QStringLiteral("MarketStream.pbip"))));
    }

    void cleanupTestCase()
    {
        m_db = QSqlDatabase();
        closeDatabase(QStringLiteral("tst_reporting_sqlite"));
    }
};

QTEST_GUILESS_MAIN(TestReportingSqlite)
#include "tst_reporting_sqlite.moc"
