// DirectQuery timings: seeds a throwaway PostgreSQL 15 with generate_series (default 5,000,000 ticks
// over one day, the 1 s candles of that day and 1 min / 5 min / 1 h candles over 30 days), then runs
// each visual query shape of the starter report (tests/reporting/directquery_shapes.h) as Power BI's
// DirectQuery sends it and prints the median and the slowest of the runs, the rows and whether the plan
// read an index. Figures only, no assertion (the EXPLAIN tests are tst_reporting_directquery).
//
//   bench_reporting [ticks] [candle_days] [runs] [postgresql://… of an empty database to seed instead of a throwaway server]
#include "directquery_shapes.h"
#include "pg_server.h"
#include "realistic_seed.h"
#include "storage/database.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace ms;

namespace {

QString readResource(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The reporting views as they were before migration 040 (020 + 030's dim_symbol), in schema v020 over
// the same tables: the same visual queries then show what the computed keys cost.
bool createBeforeViews(QSqlDatabase &db)
{
    const QString v020 = readResource(QStringLiteral(":/sql/postgres/020_reporting_views.sql"));
    const QString v030 = readResource(QStringLiteral(":/sql/postgres/030_tick_write_path_indexes.sql"));
    const qsizetype dimSymbol = v030.indexOf(QLatin1String("CREATE OR REPLACE VIEW dim_symbol"));
    if (v020.isEmpty() || dimSymbol < 0)
        return false;
    QSqlQuery q(db);
    const bool ok = q.exec(QStringLiteral("CREATE SCHEMA v020")) && q.exec(QStringLiteral("SET search_path = v020, public"))
                    && q.exec(v020) && q.exec(v030.mid(dimSymbol)) && q.exec(QStringLiteral("ANALYZE v020.dim_date"));
    if (!ok)
        std::fprintf(stderr, "v020 views: %s\n", qPrintable(q.lastError().text()));
    q.exec(QStringLiteral("SET search_path = public"));
    return ok;
}

// Median of `runs` executions after one warm-up; -1 when the query fails (a column added by 040).
double medianMs(QSqlQuery &q, const QString &sql, int runs, qint64 *rows, std::vector<double> *all = nullptr)
{
    std::vector<double> ms;
    for (int r = 0; r < runs + 1; ++r) {
        QElapsedTimer t;
        t.start();
        if (!q.exec(sql))
            return -1;
        qint64 n = 0;
        while (q.next())
            ++n;
        if (rows)
            *rows = n;
        if (r > 0)
            ms.push_back(t.nsecsElapsed() / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    if (all)
        *all = ms;
    return ms[ms.size() / 2];
}

QString scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    return q.exec(sql) && q.next() ? q.value(0).toString() : q.lastError().text();
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    test::RealisticSeed seed;
    seed.ticks = args.size() > 1 ? args.at(1).toLongLong() : 5000000;
    seed.tickDays = 7;  // a week of ticks at ~8 per second per symbol
    seed.oneSecondCandleHours = 24;
    seed.candleDays = args.size() > 2 ? args.at(2).toInt() : 30;
    const int runs = args.size() > 3 ? qMax(1, args.at(3).toInt()) : 7;

    test::PgServer pg;
    QString urlText = args.size() > 4 ? args.at(4) : QString();
    if (urlText.isEmpty()) {
        if (!pg.start() || !pg.createDatabase(QStringLiteral("bench"))) {
            std::fprintf(stderr, "cannot start PostgreSQL: %s\n", qPrintable(pg.errorString()));
            return 1;
        }
        urlText = pg.url(QStringLiteral("bench"));
    }
    Result<DatabaseUrl> url = DatabaseUrl::parse(urlText);
    Result<QSqlDatabase> opened = url ? openDatabase(url.value(), QStringLiteral("bench")) : Result<QSqlDatabase>(url.error());
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.errorMessage()));
        return 1;
    }
    QSqlDatabase db = opened.value();
    opened = makeError(QString());  // db is the only handle left: closeDatabase at the end finds it unused
    if (const Status s = applyMigrations(db); !s.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(s.errorMessage()));
        return 1;
    }
    QElapsedTimer seedTimer;
    seedTimer.start();
    if (const QString e = test::seedRealisticData(db, seed); !e.isEmpty()) {
        std::fprintf(stderr, "seeding failed: %s\n", qPrintable(e));
        return 1;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // lines as they come, also into a file
    std::printf("seeded in %.1f s: %s ticks, %s candles (%s of them 1 s), %s on disk\n", seedTimer.elapsed() / 1000.0,
                qPrintable(scalar(db, QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)"))),
                qPrintable(scalar(db, QStringLiteral("SELECT count(*) FROM candles"))),
                qPrintable(scalar(db, QStringLiteral("SELECT count(*) FROM candles WHERE interval_s = 1"))),
                qPrintable(scalar(db, QStringLiteral("SELECT pg_size_pretty(pg_database_size(current_database()))"))));
    // Two columns: the server's default (jit = on in PostgreSQL 15) and jit = off, which
    // scripts/create-powerbi-reader.sh sets for the powerbi_reader role: the views' cost estimates
    // (a recursive CTE is guessed at 100 rows) pass jit_above_cost, and compiling the plan took
    // ~0.4 s for queries that run in a few milliseconds.
    const bool before = createBeforeViews(db);
    std::printf("%-56s %12s %12s %9s %14s %8s  %s\n", "visual query (DirectQuery shape)", "jit on: med", "jit off: med",
                "off: max", "020 views: med", "rows", "plan");

    static const QRegularExpression seqScan(QStringLiteral("Seq Scan on (crypto_data|stock_data|candles)\\b"));
    static const QRegularExpression index(QStringLiteral("(Index (Only )?Scan|Bitmap Index Scan)"));
    for (const test::DirectQueryShape &shape : test::directQueryShapes()) {
        const QString sql = QString::fromUtf8(shape.sql);
        QSqlQuery q(db);
        q.setForwardOnly(true);
        QString planText;
        if (q.exec(QStringLiteral("EXPLAIN ") + sql)) {
            while (q.next())
                planText += q.value(0).toString() + u'\n';
        }
        qint64 rows = 0;
        std::vector<double> ms;
        q.exec(QStringLiteral("SET jit = on"));
        const double jitOn = medianMs(q, sql, runs, &rows);
        q.exec(QStringLiteral("SET jit = off"));
        const double jitOff = medianMs(q, sql, runs, &rows, &ms);
        if (jitOn < 0 || jitOff < 0) {
            std::fprintf(stderr, "%s: %s\n", shape.name, qPrintable(q.lastError().text()));
            return 1;
        }
        // The same visual over the 020 views (jit off): 040's *_utc columns were the plain ones then.
        double old = -1;
        if (before) {
            QString oldSql = sql;
            oldSql.replace(QStringLiteral("\"public\"."), QStringLiteral("\"v020\"."))
                .replace(QStringLiteral("bucket_start_utc"), QStringLiteral("bucket_start"))
                .replace(QStringLiteral("tick_time_utc"), QStringLiteral("tick_time"));
            old = medianMs(q, oldSql, qMin(runs, 3), nullptr);
        }
        const char *planSummary = seqScan.match(planText).hasMatch() ? "SEQ SCAN"
                                  : index.match(planText).hasMatch() ? "index"
                                                                     : "no base table";
        const QString oldText = old < 0 ? QStringLiteral("n/a") : QString::number(old, 'f', 2);
        std::printf("%-56s %12.2f %12.2f %9.2f %14s %8lld  %s\n", shape.name, jitOn, jitOff, ms.back(),
                    qPrintable(oldText), rows, planSummary);
    }
    db = QSqlDatabase();
    closeDatabase(QStringLiteral("bench"));
    return 0;
}
