// The reporting layer on a real PostgreSQL 15: views vs. the catalog, the latest quote never scans
// the tick tables (EXPLAIN), hand-computed figures, the Power BI export (JSON schemas, TMDL vs. the
// live views, measures, CSV → COPY round trip) and the powerbi_reader role.
#include "pg_server.h"
#include "reporting_fixture.h"
#include "reporting/csv_export.h"
#include "reporting/powerbi_export.h"
#include "reporting/reporting_queries.h"
#include "reporting/star_schema.h"
#include "reporting/tmdl_model.h"
#include "storage/database.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using namespace ms::reporting;

namespace {

struct TmdlColumn { QString table, name, dataType, sourceColumn; };

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

}  // namespace

class TestReportingPg : public QObject
{
    Q_OBJECT

private:
    test::PgServer m_pg;
    QSqlDatabase m_db;
    QTemporaryDir m_out;
    DatabaseUrl m_url;
    const QString m_secret = QStringLiteral("Sup3r-s3cret-pw");

    QString psqlAs(const QString &role, const QString &sql, int *exitCode)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("/usr/lib/postgresql/15/bin/psql"),
                {QStringLiteral("-h"), m_pg.host(), QStringLiteral("-p"), QString::number(m_pg.port()),
                 QStringLiteral("-U"), role, QStringLiteral("-d"), QStringLiteral("marketdata"), QStringLiteral("-tAX"),
                 QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"), sql});
        p.waitForFinished(30000);
        *exitCode = p.exitCode();
        return QString::fromUtf8(p.readAll()).trimmed();
    }

    QList<TmdlColumn> tmdlColumns()
    {
        QList<TmdlColumn> cols;
        QDirIterator it(m_out.filePath(QStringLiteral("MarketStream.SemanticModel/definition/tables")),
                        {QStringLiteral("*.tmdl")});
        while (it.hasNext()) {
            const QStringList lines = readText(it.next()).split(u'\n');
            QString table;
            TmdlColumn *cur = nullptr;
            for (const QString &l : lines) {
                if (l.startsWith(QLatin1String("table ")))
                    table = l.mid(6).trimmed();
                else if (l.startsWith(QLatin1String("\tcolumn "))) {
                    cols.append({table, l.mid(8).trimmed(), {}, {}});
                    cur = &cols.last();
                } else if (l.startsWith(QLatin1String("\t\t")) && cur) {
                    const QString t = l.trimmed();
                    if (t.startsWith(QLatin1String("dataType: ")))
                        cur->dataType = t.mid(10);
                    else if (t.startsWith(QLatin1String("sourceColumn: ")))
                        cur->sourceColumn = t.mid(14);
                } else if (l.startsWith(u'\t') && !l.startsWith(QLatin1String("\t\t"))) {
                    cur = nullptr;
                }
            }
        }
        return cols;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(m_pg.createDatabase(QStringLiteral("marketdata")));
        // A password in the URL (ignored by trust auth) must never reach an exported file.
        QString url = m_pg.url(QStringLiteral("marketdata"));
        url.replace(QStringLiteral("postgres@"), QStringLiteral("postgres:") + m_secret + u'@');
        Result<DatabaseUrl> parsed = DatabaseUrl::parse(url);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorMessage()));
        m_url = parsed.value();
        Result<QSqlDatabase> db = openDatabase(m_url, QStringLiteral("tst_reporting_pg"));
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        m_db = db.value();
        const Status migrated = applyMigrations(m_db);
        QVERIFY2(migrated.ok(), qPrintable(migrated.errorMessage()));
        const QString seeded = test::seedReportingData(m_db);
        QVERIFY2(seeded.isEmpty(), qPrintable(seeded));
        QSqlQuery(m_db).exec(QStringLiteral("ANALYZE"));
        QVERIFY(m_out.isValid());
    }

    void viewsMatchTheCatalog()
    {
        Result<QList<ViewInfo>> live = liveStarViews(m_db);
        QVERIFY2(live.ok(), qPrintable(live.errorMessage()));
        QCOMPARE(live->size(), starViews().size());
        for (const ViewInfo &v : live.value()) {
            const ViewInfo *expected = findStarView(v.name);
            QVERIFY(expected);
            QCOMPARE(v.columns, expected->columns);  // same names, order and types as PostgreSQL reports
        }
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("SELECT count(*), min(date_key), max(date_key), count(DISTINCT \"date\") FROM dim_date")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 14976);  // 2000-01-01 .. 2040-12-31, no gaps
        QCOMPARE(q.value(1).toInt(), 20000101);
        QCOMPARE(q.value(2).toInt(), 20401231);
        QCOMPARE(q.value(3).toInt(), 14976);
    }

    void latestQuoteDoesNotScanTicks()
    {
        // Make the tick tables big enough that a scan would be the planner's obvious choice if needed.
        QVERIFY(!m_pg.psql(QStringLiteral(
            "INSERT INTO crypto_data (symbol, price, \"timestamp\", source, kind, trade_id, date_key) "
            "SELECT 'ETH', 1 + g % 7, '2026-11-01'::timestamptz + g * interval '1 s', 'bulk', 'trade', 'b' || g, "
            "to_char(('2026-11-01'::timestamptz + g * interval '1 s') AT TIME ZONE 'UTC', 'YYYYMMDD')::integer "
            "FROM generate_series(1, 20000) g; ANALYZE; SELECT 'ok'"), QStringLiteral("marketdata")).isEmpty());
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("EXPLAIN SELECT * FROM v_latest_quote")));
        QString plan;
        while (q.next())
            plan += q.value(0).toString() + u'\n';
        QVERIFY2(!plan.contains(QLatin1String("crypto_data")) && !plan.contains(QLatin1String("stock_data")),
                 qPrintable(plan));
        QVERIFY(m_pg.psql(QStringLiteral("DELETE FROM crypto_data WHERE source = 'bulk'; SELECT 'ok'"),
                          QStringLiteral("marketdata")).endsWith(QLatin1String("ok")));
    }

    void latestQuotesMatchHandComputedFigures()
    {
        Result<QList<LatestQuote>> quotes = queryLatestQuotes(m_db);
        QVERIFY2(quotes.ok(), qPrintable(quotes.errorMessage()));
        QCOMPARE(quotes->size(), 2);
        for (int i = 0; i < 2; ++i) {
            const test::ExpectedQuote &e = test::kExpectedQuotes[i];
            const LatestQuote &q = quotes->at(i);
            QCOMPARE(q.symbolKey, QString::fromLatin1(e.symbolKey));
            QCOMPARE(q.lastPrice, e.lastPrice);
            QVERIFY(q.changePct24h.has_value());
            QVERIFY(qFuzzyCompare(*q.changePct24h, e.changePct));
            QCOMPARE(q.high24h, e.high);
            QCOMPARE(q.low24h, e.low);
            QCOMPARE(q.volume24h, e.volume);
            QVERIFY(q.vwap24h.has_value());
            QVERIFY(qFuzzyCompare(*q.vwap24h, e.vwap));
            QCOMPARE(q.trades24h, e.trades);
        }
        QCOMPARE(quotes->at(0).lastTime, QDateTime(QDate(2026, 11, 21), QTime(9, 59, 50), Qt::UTC));
        const Kpis all = computeKpis(quotes.value(), QString());
        QCOMPARE(all.symbols, 2);
        QCOMPARE(all.volume, 156.0);
        QCOMPARE(all.trades, qint64(25));
        QVERIFY(!all.lastPrice.has_value());
        QVERIFY(qFuzzyCompare(*all.changePct, (17.5 + 200.0 / 190.0) / 2));
        const Kpis btc = computeKpis(quotes.value(), QStringLiteral("crypto:BTC:USD"));
        QCOMPARE(btc.symbols, 1);
        QCOMPARE(*btc.lastPrice, 117.5);
    }

    void dailySummary()
    {
        Result<QList<DailySummary>> days = queryDailySummary(m_db, QStringLiteral("crypto:BTC:USD"), 90);
        QVERIFY2(days.ok(), qPrintable(days.errorMessage()));
        QCOMPARE(days->size(), 3);
        const DailySummary &d = days->at(1);
        QCOMPARE(d.date, QDate(2026, 11, 20));
        QCOMPARE(d.open, 100.0);
        QCOMPARE(d.high, 110.0);
        QCOMPARE(d.low, 95.0);
        QCOMPARE(d.close, 102.0);
        QCOMPARE(d.volume, 3.0);
        QVERIFY(qFuzzyCompare(*d.vwap, 311.0 / 3.0));
        QCOMPARE(d.trades, qint64(5));
        Result<QList<DailySummary>> last = queryDailySummary(m_db, QString(), 1);
        QVERIFY(last.ok());
        QCOMPARE(last->size(), 2);  // the newest day, both symbols
        QCOMPARE(last->at(0).date, QDate(2026, 11, 21));
    }

    void exportWritesEverything()
    {
        ExportOptions o;
        QStringList steps;
        o.progress = [&](const ExportProgress &p) { if (!steps.contains(p.step)) steps.append(p.step); };
        Result<ExportSummary> s = exportPowerBi(m_url, m_out.path(), o);
        QVERIFY2(s.ok(), qPrintable(s.errorMessage()));
        QVERIFY(s->files.contains(QStringLiteral("MarketStream.pbids")));
        QVERIFY(s->files.contains(QStringLiteral("MarketStream.pbip")));
        QVERIFY(s->files.contains(QStringLiteral("csv/fact_tick.csv")));
        QVERIFY(steps.contains(QStringLiteral("csv:fact_candle")) && steps.contains(QStringLiteral("pbip")));
        QCOMPARE(steps.last(), QStringLiteral("done"));

        const QJsonObject pbids = QJsonDocument::fromJson(readText(m_out.filePath(QStringLiteral("MarketStream.pbids"))).toUtf8()).object();
        QCOMPARE(pbids.value(QStringLiteral("version")).toString(), QStringLiteral("0.1"));
        const QJsonObject conn = pbids.value(QStringLiteral("connections")).toArray().at(0).toObject();
        QCOMPARE(pbids.value(QStringLiteral("connections")).toArray().size(), 1);
        QCOMPARE(conn.value(QStringLiteral("mode")).toString(), QStringLiteral("DirectQuery"));
        const QJsonObject details = conn.value(QStringLiteral("details")).toObject();
        QCOMPARE(details.value(QStringLiteral("protocol")).toString(), QStringLiteral("postgresql"));
        QCOMPARE(details.value(QStringLiteral("address")).toObject().value(QStringLiteral("server")).toString(),
                 QStringLiteral("127.0.0.1:%1").arg(m_pg.port()));
        QCOMPARE(details.value(QStringLiteral("address")).toObject().value(QStringLiteral("database")).toString(),
                 QStringLiteral("marketdata"));

        QDirIterator it(m_out.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QVERIFY2(!readText(path).contains(m_secret), qPrintable(path + QStringLiteral(" contains the password")));
        }
    }

    void exportedJsonValidatesAgainstSchemas()
    {
        int validated = 0, visuals = 0;
        QDirIterator it(m_out.path(), {QStringLiteral("*.json"), QStringLiteral("*.pbip"), QStringLiteral("*.pbir"),
                                       QStringLiteral("*.pbism"), QStringLiteral("*.pbids")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QJsonParseError err;
            const QJsonDocument doc = QJsonDocument::fromJson(readText(path).toUtf8(), &err);
            QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(path + u' ' + err.errorString()));
            const QString schema = test::schemaFor(path);
            if (path.endsWith(QLatin1String("visual.json"))) {
                ++visuals;  // visualContainer's schema is not among the fixtures: check the required shape
                for (const char *key : {"$schema", "name", "position", "visual"})
                    QVERIFY2(doc.object().contains(QLatin1String(key)), qPrintable(path));
                continue;
            }
            if (schema.isEmpty())
                continue;
            const QString problem = test::validateJson(path, schema);
            QVERIFY2(problem.isEmpty(), qPrintable(path + QStringLiteral(": ") + problem));
            ++validated;
        }
        QCOMPARE(validated, 10);  // pbip, pbism, pbir, report, version, pages, 4 × page
        QCOMPARE(visuals, 25);
    }

    void tmdlNamesOnlyLiveColumnsWithCompatibleTypes()
    {
        // Independent of the catalog: what information_schema says about each view.
        const QMap<QString, QString> compatible = {
            {QStringLiteral("integer"), QStringLiteral("int64")}, {QStringLiteral("bigint"), QStringLiteral("int64")},
            {QStringLiteral("double precision"), QStringLiteral("double")}, {QStringLiteral("text"), QStringLiteral("string")},
            {QStringLiteral("timestamp with time zone"), QStringLiteral("dateTime")},
            {QStringLiteral("timestamp without time zone"), QStringLiteral("dateTime")},
            {QStringLiteral("date"), QStringLiteral("dateTime")}, {QStringLiteral("boolean"), QStringLiteral("boolean")}};
        const QList<TmdlColumn> cols = tmdlColumns();
        QVERIFY(cols.size() > 50);
        QSet<QString> tables;
        for (const TmdlColumn &c : cols) {
            tables.insert(c.table);
            QSqlQuery q(m_db);
            q.prepare(QStringLiteral("SELECT data_type FROM information_schema.columns WHERE table_schema = "
                                     "current_schema() AND table_name = ? AND column_name = ?"));
            q.addBindValue(c.table);
            q.addBindValue(c.sourceColumn);
            QVERIFY(q.exec());
            QVERIFY2(q.next(), qPrintable(QStringLiteral("%1.%2 is not in the database").arg(c.table, c.sourceColumn)));
            const QString pgType = q.value(0).toString();
            QVERIFY2(compatible.value(pgType) == c.dataType,
                     qPrintable(QStringLiteral("%1.%2: %3 vs %4").arg(c.table, c.name, c.dataType, pgType)));
        }
        QCOMPARE(tables.size(), 7);
        // Partitions name existing views; relationships existing model columns.
        QDirIterator it(m_out.filePath(QStringLiteral("MarketStream.SemanticModel/definition/tables")), {QStringLiteral("*.tmdl")});
        while (it.hasNext()) {
            const QString text = readText(it.next());
            QVERIFY(text.contains(QLatin1String("PostgreSQL.Database(Server, Database)")));
            QVERIFY(text.contains(QLatin1String("mode: directQuery")));
        }
        const QString rels = readText(m_out.filePath(QStringLiteral("MarketStream.SemanticModel/definition/relationships.tmdl")));
        const QRegularExpression ref(QStringLiteral("(?:from|to)Column: (\\w+)\\.(\\w+)"));
        int refs = 0;
        for (auto m = ref.globalMatch(rels); m.hasNext(); ++refs) {
            const auto hit = m.next();
            bool found = false;
            for (const TmdlColumn &c : cols)
                found = found || (c.table == hit.captured(1) && c.name == hit.captured(2));
            QVERIFY2(found, qPrintable(hit.captured(0)));
        }
        QCOMPARE(refs, 18);
        const QString expr = readText(m_out.filePath(QStringLiteral("MarketStream.SemanticModel/definition/expressions.tmdl")));
        QVERIFY(expr.contains(QStringLiteral("expression Server = \"127.0.0.1:%1\"").arg(m_pg.port())));
        QVERIFY(expr.contains(QLatin1String("expression Database = \"marketdata\"")));
    }

    void measuresReferenceOnlyExistingColumns()
    {
        const QList<TmdlColumn> cols = tmdlColumns();
        const QString text = readText(m_out.filePath(QStringLiteral("MarketStream.SemanticModel/definition/tables/fact_candle.tmdl")));
        // Measure blocks: the "measure" line and the deeper-indented expression lines after it.
        QStringList names, bodies;
        const QStringList lines = text.split(u'\n');
        for (int i = 0; i < lines.size(); ++i) {
            if (!lines[i].startsWith(QLatin1String("\tmeasure ")))
                continue;
            const QString head = lines[i].mid(9);
            const qsizetype eq = head.indexOf(QLatin1String(" ="));
            QString name = head.left(eq);
            if (name.startsWith(u'\''))
                name = name.mid(1, name.size() - 2);
            names.append(name);
            QString body = head.mid(eq + 2);
            while (i + 1 < lines.size() && lines[i + 1].startsWith(QLatin1String("\t\t\t")))
                body += u'\n' + lines[++i];
            bodies.append(body);
        }
        for (const char *required : {"Last Price", "Change %", "Volume", "VWAP", "Trades", "High", "Low"})
            QVERIFY2(names.contains(QString::fromUtf8(required)), required);
        const QRegularExpression colRef(QStringLiteral("([A-Za-z_]\\w*)\\[([^\\]]+)\\]"));
        const QRegularExpression measureRef(QStringLiteral("(?<![\\w\\]])\\[([^\\]]+)\\]"));
        int columnRefs = 0;
        for (const QString &body : std::as_const(bodies)) {
            for (auto m = colRef.globalMatch(body); m.hasNext(); ++columnRefs) {
                const auto hit = m.next();
                bool found = false;
                for (const TmdlColumn &c : cols)
                    found = found || (c.table == hit.captured(1) && c.name == hit.captured(2));
                QVERIFY2(found, qPrintable(QStringLiteral("measure refers to missing column ") + hit.captured(0)));
            }
            for (auto m = measureRef.globalMatch(body); m.hasNext();) {
                const auto hit = m.next();
                QVERIFY2(names.contains(hit.captured(1)), qPrintable(QStringLiteral("unknown measure ") + hit.captured(0)));
            }
        }
        QVERIFY(columnRefs >= 15);
    }

    void csvDoublesAreShortestWhateverTheSessionSettings()
    {
        // extra_float_digits = 3 (set by older drivers and some poolers) makes the server print 17
        // digits: 189.39 arrives as "189.38999999999999". The export formats doubles itself.
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("CREATE TEMP TABLE noise_check AS SELECT * FROM (VALUES "
                                      "(1, 189.39::float8), (2, 2298.74::float8), (3, 0.1::float8 + 0.2::float8), "
                                      "(4, 6.43827::float8), (5, NULL::float8)) v(n, x)")));
        QVERIFY(q.exec(QStringLiteral("SET extra_float_digits = 3")));
        const ViewInfo view{QStringLiteral("noise_check"), ViewRole::Fact,
                            {{QStringLiteral("n"), ColumnType::Int64}, {QStringLiteral("x"), ColumnType::Double}}};
        const QString file = m_out.filePath(QStringLiteral("noise_check.csv"));
        Result<qint64> rows = exportViewCsv(m_db, view, file);
        QVERIFY(q.exec(QStringLiteral("RESET extra_float_digits")));
        QVERIFY(q.exec(QStringLiteral("DROP TABLE noise_check")));
        QVERIFY2(rows.ok(), qPrintable(rows.errorMessage()));
        QCOMPARE(rows.value(), 5);
        QStringList lines = readText(file).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        std::sort(lines.begin() + 1, lines.end());
        QCOMPARE(lines, QStringList({QStringLiteral("n,x"), QStringLiteral("1,189.39"), QStringLiteral("2,2298.74"),
                                     QStringLiteral("3,0.30000000000000004"), QStringLiteral("4,6.43827"),
                                     QStringLiteral("5,")}));
        QFile::remove(file);
    }

    void csvLoadsBackWithCopyRowForRow()
    {
        // psql runs as the postgres user: let it read the export.
        for (const QString &dir : {m_out.path(), m_out.filePath(QStringLiteral("csv"))})
            QFile::setPermissions(dir, QFileDevice::Permissions(0x7755));
        for (const ViewInfo &v : starViews()) {
            const QString file = m_out.filePath(QStringLiteral("csv/") + v.name + QStringLiteral(".csv"));
            QFile::setPermissions(file, QFileDevice::Permissions(0x6644));
            const QString rt = QStringLiteral("rt_") + v.name;
            QVERIFY(m_pg.psql(QStringLiteral("CREATE TABLE %1 AS SELECT * FROM %2 WITH NO DATA; SELECT 'ok'").arg(rt, v.name),
                              QStringLiteral("marketdata")).endsWith(QLatin1String("ok")));
            const QString copied = m_pg.psql(QStringLiteral("\\copy %1 FROM '%2' WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')")
                                                 .arg(rt, file), QStringLiteral("marketdata"));
            QVERIFY2(copied.startsWith(QLatin1String("COPY")), qPrintable(v.name + QStringLiteral(": ") + copied));
            const QString diff = m_pg.psql(
                QStringLiteral("SELECT (SELECT count(*) FROM %1) || ' ' || (SELECT count(*) FROM %2) || ' ' || "
                               "(SELECT count(*) FROM (SELECT * FROM %1 EXCEPT ALL SELECT * FROM %2) a) || ' ' || "
                               "(SELECT count(*) FROM (SELECT * FROM %2 EXCEPT ALL SELECT * FROM %1) b)").arg(rt, v.name),
                QStringLiteral("marketdata"));
            const QStringList n = diff.split(u' ');
            QCOMPARE(n.size(), 4);
            QVERIFY2(n[0] == n[1] && n[0].toInt() > 0, qPrintable(v.name + QStringLiteral(" rows: ") + diff));
            QVERIFY2(n[2] == QLatin1String("0") && n[3] == QLatin1String("0"), qPrintable(v.name + QStringLiteral(" differs: ") + diff));
        }
        // The awkward trade id survived quoting byte for byte.
        QCOMPARE(m_pg.psql(QStringLiteral("SELECT count(*) FROM rt_fact_tick WHERE trade_id = E'a,\"b\"\\nc é'"),
                           QStringLiteral("marketdata")), QStringLiteral("1"));
    }

    void powerbiReaderCanOnlyReadTheViews()
    {
        const QString script = QStringLiteral(MS_SOURCE_DIR "/scripts/create-powerbi-reader.sh");
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGHOST"), m_pg.host());
        env.insert(QStringLiteral("PGPORT"), QString::number(m_pg.port()));
        env.insert(QStringLiteral("PGUSER"), QStringLiteral("postgres"));
        env.insert(QStringLiteral("PGDATABASE"), QStringLiteral("marketdata"));
        env.insert(QStringLiteral("PSQL"), QStringLiteral("/usr/lib/postgresql/15/bin/psql"));
        env.remove(QStringLiteral("MS_POWERBI_READER_PASSWORD"));
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(QStringLiteral("/bin/sh"), {script});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);  // no password and no terminal: refuses, says why
        QVERIFY(p.readAll().contains("no password"));

        env.insert(QStringLiteral("MS_POWERBI_READER_PASSWORD"), QStringLiteral("it's a secret"));
        p.setProcessEnvironment(env);
        for (int run = 0; run < 2; ++run) {  // idempotent
            p.start(QStringLiteral("/bin/sh"), {script});
            QVERIFY(p.waitForFinished(30000));
            const QByteArray out = p.readAll();
            QVERIFY2(p.exitCode() == 0, out.constData());
            QVERIFY(!out.contains("secret"));
        }
        int rc = -1;
        for (const ViewInfo &v : starViews()) {
            const QString out = psqlAs(QStringLiteral("powerbi_reader"), QStringLiteral("SELECT count(*) FROM ") + v.name, &rc);
            QVERIFY2(rc == 0 && out.toInt() > 0, qPrintable(v.name + QStringLiteral(": ") + out));
        }
        const QStringList denied = {
            QStringLiteral("SELECT count(*) FROM crypto_data"), QStringLiteral("SELECT count(*) FROM stock_data"),
            QStringLiteral("SELECT count(*) FROM candles"), QStringLiteral("SELECT count(*) FROM pipeline_offsets"),
            QStringLiteral("SELECT count(*) FROM reporting_symbol_keys"),
            QStringLiteral("INSERT INTO candles (asset_class, symbol, currency, interval_s, bucket_start, open, high, low, "
                           "close, volume, vwap, trades, first_ts, last_ts) VALUES ('crypto','X','USD',60,now(),1,1,1,1,1,1,1,now(),now())"),
            QStringLiteral("DELETE FROM dim_date"), QStringLiteral("CREATE TABLE evil (i int)"),
            QStringLiteral("SET default_transaction_read_only = off; CREATE TABLE evil (i int)")};
        for (const QString &sql : denied) {
            const QString out = psqlAs(QStringLiteral("powerbi_reader"), sql, &rc);
            QVERIFY2(rc != 0, qPrintable(sql + QStringLiteral(" was allowed: ") + out));
            QVERIFY2(out.contains(QLatin1String("permission denied")) || out.contains(QLatin1String("read-only")),
                     qPrintable(out));
        }
    }

    void cleanupTestCase()
    {
        m_db = QSqlDatabase();
        closeDatabase(QStringLiteral("tst_reporting_pg"));
    }
};

QTEST_GUILESS_MAIN(TestReportingPg)
#include "tst_reporting_pg.moc"
