// Storage write throughput, printed (never asserted). Starts its own PostgreSQL 15 (fsync on) and
// writes to a SQLite file under /tmp. Every figure is verified against a row count.
//   PostgreSQL COPY fast path      new ticks, binary COPY straight into the table inside a savepoint
//   PostgreSQL COPY text format    the same with COPY's text format (timestamps/doubles parsed by the server)
//   PostgreSQL replay path         the same ticks again (all duplicates): staging COPY + ON CONFLICT
//   PostgreSQL staging, new rows   the replay path forced on new ticks (its cost when nothing is a dup)
//   PostgreSQL half dups then new  the adaptive choice between the two paths
//   PostgreSQL multi-row INSERT    QSqlQuery, 100 rows per prepared INSERT … ON CONFLICT DO NOTHING
//   SQLite                         TickStore (prepared statements, one transaction per batch)
// Usage: bench_storage [total ticks per case, default 200000]
#include "pg_server.h"
#include "storage/database.h"
#include "storage/row_format.h"
#include "storage/tick_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

#include <cstdio>
#include <ctime>
#include <unistd.h>
#include <vector>

using namespace ms;

namespace {

std::vector<Tick> makeTicks(qint64 from, qint64 count)
{
    static const char *const crypto[] = {"BTC", "ETH", "BNB"};
    static const char *const stocks[] = {"AAPL", "MSFT", "GOOGL"};
    std::vector<Tick> out;
    out.reserve(size_t(count));
    for (qint64 i = from; i < from + count; ++i) {
        Tick t;
        t.asset = i % 2 ? AssetClass::Stock : AssetClass::Crypto;
        t.symbol = t.asset == AssetClass::Crypto ? crypto[i % 3] : stocks[i % 3];
        t.price = 100 + double(i % 1000) * 0.01;
        t.volume = double(i % 13) * 0.1;
        t.tsMs = 1700000000000LL + i;
        t.id = "sim-" + std::to_string(i);
        out.push_back(std::move(t));
    }
    return out;
}

// A realistic batch also carries candles (6 symbols × 4 intervals) and offsets (6 partitions).
std::vector<Candle> makeCandles(qint64 batchNo)
{
    std::vector<Candle> out;
    static const char *const symbols[] = {"BTC", "ETH", "BNB", "AAPL", "MSFT", "GOOGL"};
    for (int s = 0; s < 6; ++s) {
        for (int interval : {1, 60, 300, 3600}) {
            Candle c;
            c.asset = s < 3 ? AssetClass::Crypto : AssetClass::Stock;
            c.symbol = symbols[s];
            c.intervalSec = interval;
            c.bucketStartMs = (1700000000000LL + batchNo * 1000) / (interval * 1000LL) * interval * 1000LL;
            c.open = c.high = c.low = c.close = c.vwap = 100;
            c.volume = 1;
            c.trades = batchNo + 1;
            c.firstTsMs = c.lastTsMs = c.bucketStartMs;
            out.push_back(c);
        }
    }
    return out;
}

std::vector<OffsetRecord> makeOffsets(qint64 next)
{
    std::vector<OffsetRecord> out;
    for (int p = 0; p < 6; ++p)
        out.push_back({"bench", "cluster", p % 2 ? "stock_topic" : "crypto_topic", p, next});
    return out;
}

std::unique_ptr<TickStore> openOrDie(const DatabaseUrl &url)
{
    auto store = TickStore::open(url, QStringLiteral("bench"));
    if (!store) {
        std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(url.redacted()), qPrintable(store.errorMessage()));
        std::exit(1);
    }
    return std::move(store).value();
}

qint64 countRows(QSqlDatabase db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

// CPU spent by this process plus the PostgreSQL backend serving the connection: a figure that does
// not depend on how busy the shared machine is (wall-clock rows/s does).
qint64 processCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

qint64 backendCpuNs(qint64 pid)
{
    if (pid <= 0)
        return 0;
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    const qint64 ticks = fields[11].toLongLong() + fields[12].toLongLong();  // utime + stime
    return ticks * 1000000000LL / sysconf(_SC_CLK_TCK);
}

qint64 g_backendPid = 0;
qint64 g_cpuStart = 0;

void startCpu(QSqlDatabase db)
{
    g_backendPid = 0;
    if (db.driverName() == QLatin1String("QPSQL")) {
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT pg_backend_pid()")) && q.next())
            g_backendPid = q.value(0).toLongLong();
    }
    g_cpuStart = processCpuNs() + backendCpuNs(g_backendPid);
}

void report(const char *name, int batch, qint64 rows, qint64 ns, qint64 verified, qint64 expected)
{
    const qint64 cpu = processCpuNs() + backendCpuNs(g_backendPid) - g_cpuStart;
    std::printf("%-34s batch %6d  %9lld rows  %8.0f rows/s  %8.0f rows/CPU-s  %s\n", name, batch,
                static_cast<long long>(rows), rows * 1e9 / double(std::max<qint64>(ns, 1)),
                rows * 1e9 / double(std::max<qint64>(cpu, 1)),
                verified == expected ? "verified" : qPrintable(QStringLiteral("MISMATCH (%1 rows, expected %2)").arg(verified).arg(expected)));
    std::fflush(stdout);
}

// Writes `ticks` in batches; returns elapsed ns or -1 on error.
qint64 writeAll(TickStore &store, const std::vector<Tick> &ticks, int batch, bool withExtras)
{
    QElapsedTimer timer;
    timer.start();
    for (size_t i = 0, n = 0; i < ticks.size(); i += size_t(batch), ++n) {
        const size_t len = std::min(size_t(batch), ticks.size() - i);
        const std::vector<Candle> candles = withExtras ? makeCandles(qint64(n)) : std::vector<Candle>{};
        const std::vector<OffsetRecord> offsets = withExtras ? makeOffsets(qint64(i + len)) : std::vector<OffsetRecord>{};
        auto r = store.write({std::span<const Tick>(ticks).subspan(i, len), candles, offsets});
        if (!r) {
            std::fprintf(stderr, "write failed: %s\n", qPrintable(r.errorMessage()));
            return -1;
        }
    }
    return timer.nsecsElapsed();
}

qint64 multiRowInsert(QSqlDatabase db, const std::vector<Tick> &ticks, int batch)
{
    constexpr int kRows = 100;
    QString sql = QStringLiteral("INSERT INTO crypto_data (symbol, price, \"timestamp\", currency, volume, source, kind, trade_id, date_key) VALUES ");
    for (int r = 0; r < kRows; ++r)
        sql += (r ? QStringLiteral(",") : QString()) + QStringLiteral("(?,?,to_timestamp(?::double precision / 1000),?,?,?,?,?,?)");
    sql += QStringLiteral(" ON CONFLICT (source, symbol, trade_id) DO NOTHING");
    QSqlQuery q(db);
    if (!q.prepare(sql))
        return -1;
    QElapsedTimer timer;
    timer.start();
    for (size_t i = 0; i < ticks.size(); i += size_t(batch)) {
        db.transaction();
        const size_t end = std::min(ticks.size(), i + size_t(batch));
        for (size_t j = i; j + kRows <= end; j += kRows) {
            int p = 0;
            for (size_t k = j; k < j + kRows; ++k) {
                const Tick &t = ticks[k];
                q.bindValue(p++, QString::fromStdString(t.symbol));
                q.bindValue(p++, t.price);
                q.bindValue(p++, t.tsMs);
                q.bindValue(p++, QString::fromStdString(t.currency));
                q.bindValue(p++, t.volume);
                q.bindValue(p++, QStringLiteral("simulator"));
                q.bindValue(p++, QStringLiteral("trade"));
                q.bindValue(p++, QString::fromStdString(t.id));
                q.bindValue(p++, rowfmt::utcDateKey(t.tsMs));
            }
            if (!q.exec())
                return -1;
        }
        db.commit();
    }
    return timer.nsecsElapsed();
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 total = argc > 1 ? std::atoll(argv[1]) : 200000;
    ms::test::PgServer pg;
    if (!pg.start()) {
        std::fprintf(stderr, "cannot start PostgreSQL: %s\n", qPrintable(pg.errorString()));
        return 1;
    }
    QTemporaryDir dir;
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    const QByteArray load = loadavg.open(QIODevice::ReadOnly) ? loadavg.readLine().trimmed() : QByteArray("?");
    std::printf("storage write throughput, %lld ticks per case (half crypto, half stock); load average %s\n",
                static_cast<long long>(total), load.constData());
    {
        // Client-side cost of the COPY path: text rows per second on one core (no I/O).
        const std::vector<Tick> ticks = makeTicks(0, 1000000);
        std::string buf;
        buf.reserve(ticks.size() * 100);
        const qint64 cpu0 = processCpuNs();
        for (const Tick &tick : ticks)
            rowfmt::appendCopyTickRow(buf, tick);
        const qint64 ns = processCpuNs() - cpu0;
        std::printf("%-34s %25lld rows  %8.0f rows/CPU-s (%.0f bytes/row, client only)\n", "COPY text row formatting",
                    static_cast<long long>(ticks.size()), ticks.size() * 1e9 / double(ns), double(buf.size()) / ticks.size());
        buf.clear();
        const qint64 cpu1 = processCpuNs();
        for (const Tick &tick : ticks)
            rowfmt::appendCopyBinaryTickRow(buf, tick);
        const qint64 ns2 = processCpuNs() - cpu1;
        std::printf("%-34s %25lld rows  %8.0f rows/CPU-s (%.0f bytes/row, client only)\n", "COPY binary row formatting",
                    static_cast<long long>(ticks.size()), ticks.size() * 1e9 / double(ns2), double(buf.size()) / ticks.size());
    }
    int schema = 0;
    for (const int batch : {1000, 10000}) {
        for (const bool extras : {false, true}) {
            const char *suffix = extras ? " +candles+offsets" : "";
            auto freshPg = [&]() {
                const QString s = QStringLiteral("b%1").arg(++schema);
                pg.psql(QStringLiteral("CREATE SCHEMA ") + s);
                return *DatabaseUrl::parse(pg.url() + QStringLiteral("?options=-csearch_path%3D") + s);
            };
            const std::vector<Tick> ticks = makeTicks(0, total);
            {
                auto store = openOrDie(freshPg());
                QSqlDatabase db = QSqlDatabase::database(QStringLiteral("bench"));
                startCpu(db);
                qint64 ns = writeAll(*store, ticks, batch, extras);
                report(qPrintable(QStringLiteral("PG COPY fast path") + QLatin1String(suffix)), batch, total, ns, countRows(db), total);
                startCpu(db);
                ns = writeAll(*store, ticks, batch, extras);
                report(qPrintable(QStringLiteral("PG replay path (all dups)") + QLatin1String(suffix)), batch, total, ns, countRows(db), total);
                if (!extras) {
                    // First half of the batches all duplicates, then all new: the adaptive path choice.
                    const std::vector<Tick> mixed = makeTicks(total / 2, total);
                    ns = 0;
                    startCpu(db);
                    for (size_t i = 0; i < mixed.size(); i += size_t(batch)) {
                        const size_t len = std::min(size_t(batch), mixed.size() - i);
                        std::vector<Tick> one(mixed.begin() + qsizetype(i), mixed.begin() + qsizetype(i + len));
                        QElapsedTimer t;
                        t.start();
                        auto r = store->write({one, {}, {}});
                        ns += t.nsecsElapsed();
                        if (!r)
                            return 1;
                    }
                    report("PG half dups then new (adaptive)", batch, total, ns, countRows(db), total + total / 2);
                }
                db = QSqlDatabase();
            }
            if (!extras) {
                auto store = openOrDie(freshPg());
                store->setTextCopy(true);
                QSqlDatabase db = QSqlDatabase::database(QStringLiteral("bench"));
                startCpu(db);
                const qint64 ns = writeAll(*store, ticks, batch, false);
                report("PG COPY fast path, text format", batch, total, ns, countRows(db), total);
                db = QSqlDatabase();
            }
            if (!extras) {
                auto store = openOrDie(freshPg());
                store->setAlwaysReplayPath(true);
                QSqlDatabase db = QSqlDatabase::database(QStringLiteral("bench"));
                startCpu(db);
                const qint64 ns = writeAll(*store, ticks, batch, false);
                report("PG staging path, new rows", batch, total, ns, countRows(db), total);
                db = QSqlDatabase();
            }
            if (!extras) {
                auto store = openOrDie(freshPg());
                QSqlDatabase db = QSqlDatabase::database(QStringLiteral("bench"));
                const qint64 n = total / 5;  // it is slow; a fifth is enough for a stable figure
                const std::vector<Tick> part(ticks.begin(), ticks.begin() + n);
                startCpu(db);
                const qint64 ns = multiRowInsert(db, part, batch);
                report("PG multi-row INSERT (100/stmt)", batch, n, ns, countRows(db), n);
                db = QSqlDatabase();
            }
            {
                const QString path = dir.filePath(QStringLiteral("bench-%1-%2.db").arg(batch).arg(extras));
                auto store = openOrDie(*DatabaseUrl::parse(QStringLiteral("sqlite://") + path));
                QSqlDatabase db = QSqlDatabase::database(QStringLiteral("bench"));
                startCpu(db);
                qint64 ns = writeAll(*store, ticks, batch, extras);
                report(qPrintable(QStringLiteral("SQLite new rows") + QLatin1String(suffix)), batch, total, ns, countRows(db), total);
                startCpu(db);
                ns = writeAll(*store, ticks, batch, extras);
                report(qPrintable(QStringLiteral("SQLite replay (all dups)") + QLatin1String(suffix)), batch, total, ns, countRows(db), total);
                db = QSqlDatabase();
            }
        }
    }
    return 0;
}
