#include "reporting_fixture.h"

#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>

namespace ms::test {

namespace {

struct SeedCandle
{
    const char *asset, *symbol;
    int interval;
    const char *bucket;  // UTC
    double open, high, low, close, volume, vwap;
    qint64 trades;
};

// BTC 1-minute candles over three UTC days (+ one 1-hour candle the views must ignore); AAPL two.
// Latest BTC bucket 2026-11-21 09:59 → 24 h window (after 2026-11-20 09:59) holds c1..c4:
//   open_24h 100, last 117.5 → change 17.5 %; high 120, low 95; volume 2+1+3+0 = 6;
//   VWAP (2*104 + 1*103 + 3*115 + 0) / 6 = 656/6; trades 3+2+4+1 = 10.
// AAPL: open 190, last 192 → 1.0526… %; high 193, low 189; volume 150; VWAP (100*190.5+50*192)/150 = 191.
const SeedCandle kCandles[] = {
    {"crypto", "BTC", 60, "2026-11-19 12:00:00", 90, 91, 89, 91, 5, 90, 5},
    {"crypto", "BTC", 60, "2026-11-20 10:00:00", 100, 110, 95, 105, 2, 104, 3},
    {"crypto", "BTC", 60, "2026-11-20 10:01:00", 105, 108, 101, 102, 1, 103, 2},
    {"crypto", "BTC", 60, "2026-11-21 09:00:00", 102, 120, 100, 118, 3, 115, 4},
    {"crypto", "BTC", 60, "2026-11-21 09:59:00", 118, 119, 117, 117.5, 0, 118, 1},
    {"crypto", "BTC", 3600, "2026-11-21 09:00:00", 102, 999, 1, 117.5, 1000, 500, 99},
    {"stock", "AAPL", 60, "2026-11-21 14:30:00", 190, 192, 189, 191, 100, 190.5, 10},
    {"stock", "AAPL", 60, "2026-11-21 14:31:00", 191, 193, 190, 192, 50, 192, 5},
};

}  // namespace

const ExpectedQuote kExpectedQuotes[2] = {
    {"crypto:BTC:USD", 117.5, 100, 17.5, 120, 95, 6, 656.0 / 6.0, 10},
    {"stock:AAPL:USD", 192, 190, 200.0 / 190.0, 193, 189, 150, 191, 15},
};

QString seedReportingData(QSqlDatabase &db)
{
    const bool pg = db.driverName() != QLatin1String("QSQLITE");
    const auto ts = [pg](const QString &t) -> QString { return pg ? t + QStringLiteral("+00") : t + QStringLiteral(".000"); };
    QSqlQuery q(db);
    for (const SeedCandle &c : kCandles) {
        const QString bucket = QString::fromLatin1(c.bucket);
        q.prepare(QStringLiteral(
            "INSERT INTO candles (asset_class, symbol, currency, interval_s, bucket_start, open, high, low, close, "
            "volume, vwap, trades, first_ts, last_ts, is_final) VALUES (?, ?, 'USD', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        q.addBindValue(QString::fromLatin1(c.asset));
        q.addBindValue(QString::fromLatin1(c.symbol));
        q.addBindValue(c.interval);
        q.addBindValue(ts(bucket));
        for (double v : {c.open, c.high, c.low, c.close, c.volume, c.vwap})
            q.addBindValue(v);
        q.addBindValue(c.trades);
        q.addBindValue(ts(bucket));
        q.addBindValue(ts(bucket.left(17) + QStringLiteral("50")));
        q.addBindValue(pg ? QVariant(true) : QVariant(1));
        if (!q.exec())
            return QStringLiteral("candle %1 %2: %3").arg(QString::fromLatin1(c.symbol), bucket, q.lastError().text());
    }
    struct SeedTick { const char *table, *symbol; double price, volume; const char *time, *source, *tradeId; };
    const SeedTick ticks[] = {
        {"crypto_data", "BTC", 117.5, 0.5, "2026-11-21 09:59:30.250", "simulator", "t1"},
        // A trade id with a comma, quotes, a newline and non-ASCII: RFC 4180 quoting must round-trip it.
        {"crypto_data", "BTC", 117.25, 0, "2026-11-21 09:59:31.000", "simulator", "a,\"b\"\nc é"},
        {"stock_data", "AAPL", 192, 10, "2026-11-21 14:31:10.000", "finnhub", "s1"},
    };
    for (const SeedTick &t : ticks) {
        // PostgreSQL's tick tables carry the UTC day (045), written by the app like every column.
        q.prepare(QStringLiteral("INSERT INTO %1 (symbol, price, \"timestamp\", volume, source, kind, trade_id%2) "
                                 "VALUES (?, ?, ?, ?, ?, 'trade', ?%3)")
                      .arg(QString::fromLatin1(t.table), pg ? QStringLiteral(", date_key") : QString(),
                           pg ? QStringLiteral(", ?") : QString()));
        q.addBindValue(QString::fromLatin1(t.symbol));
        q.addBindValue(t.price);
        q.addBindValue(pg ? QString::fromLatin1(t.time) + QStringLiteral("+00") : QString::fromLatin1(t.time));
        q.addBindValue(t.volume);
        q.addBindValue(QString::fromLatin1(t.source));
        q.addBindValue(QString::fromUtf8(t.tradeId));
        if (pg)
            q.addBindValue(QString::fromLatin1(t.time).left(10).remove(u'-').toInt());
        if (!q.exec())
            return QStringLiteral("tick %1: %2").arg(QString::fromLatin1(t.tradeId), q.lastError().text());
    }
    // One tick dropped as late for the 1-minute BTC candle (v_late_ticks_daily).
    if (!q.exec(QStringLiteral("INSERT INTO late_ticks (source, symbol, trade_id, interval_s, asset_class, currency, "
                               "\"timestamp\", price, volume, watermark) VALUES ('simulator', 'BTC', 'late1', 60, "
                               "'crypto', 'USD', %1, 101, 0.25, %2)")
                    .arg(pg ? QStringLiteral("'2026-11-21 09:00:10+00'") : QStringLiteral("'2026-11-21 09:00:10.000'"),
                         pg ? QStringLiteral("'2026-11-21 09:02:00+00'") : QStringLiteral("'2026-11-21 09:02:00.000'"))))
        return QStringLiteral("late tick: %1").arg(q.lastError().text());
    return {};
}

QString schemaFor(const QString &fileName)
{
    static const QList<QPair<QString, QString>> map = {
        {QStringLiteral(".pbip"), QStringLiteral("pbip__pbipProperties__1.0.0")},
        {QStringLiteral("definition.pbism"), QStringLiteral("item__semanticModel__definitionProperties__1.0.0")},
        {QStringLiteral("definition.pbir"), QStringLiteral("item__report__definitionProperties__2.0.0")},
        {QStringLiteral("report.json"), QStringLiteral("item__report__definition__report__3.0.0")},
        {QStringLiteral("version.json"), QStringLiteral("item__report__definition__versionMetadata__1.0.0")},
        {QStringLiteral("pages.json"), QStringLiteral("item__report__definition__pagesMetadata__1.0.0")},
        {QStringLiteral("page.json"), QStringLiteral("item__report__definition__page__2.0.0")},
    };
    for (const auto &[suffix, schema] : map) {
        if (fileName.endsWith(suffix))
            return QStringLiteral(MS_SHARED_DIR "/fixtures/powerbi/schemas/") + schema + QStringLiteral(".schema.json");
    }
    return {};
}

QString validateJson(const QString &jsonPath, const QString &schemaPath)
{
    static const char script[] =
        "import json, sys, jsonschema\n"
        "schema = json.load(open(sys.argv[2], encoding='utf-8'))\n"
        "doc = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "cls = jsonschema.validators.validator_for(schema)\n"
        "errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))\n"
        "for e in errors: print('/'.join(map(str, e.path)) + ': ' + e.message)\n"
        "sys.exit(1 if errors else 0)\n";
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"), QString::fromLatin1(script), jsonPath, schemaPath});
    if (!p.waitForFinished(60000))
        return QStringLiteral("python3 did not finish");
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()).trimmed();
    return {};
}

qint64 vmRssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &l : lines) {
        if (l.startsWith("VmRSS:"))
            return l.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

}  // namespace ms::test
