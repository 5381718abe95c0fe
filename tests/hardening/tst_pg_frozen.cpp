// Every libpq call of the write path, and the reads of the consumer's start (stored offsets, the
// candle restore), has a client-side deadline and honours the stop flag: with the PostgreSQL server
// frozen (SIGSTOP on the postmaster and every backend: TCP still accepts, nobody answers), a call
// returns within 2 s of stop, or fails as retryable after its deadline.
// Regressions: PQgetResult without a timeout blocked until the server resumed; the reads went
// through Qt's QPSQL, which waits without a bound.
#include "pg_server.h"
#include "storage/tick_store.h"
#include "storage_test_util.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>
#include <atomic>
#include <csignal>
#include <limits>
#include <optional>
#include <thread>

using namespace ms;
using namespace ms::test;

namespace {
// The postmaster (first line of postmaster.pid) and its children.
std::vector<pid_t> serverPids(const QString &dataDir)
{
    std::vector<pid_t> pids;
    QFile f(dataDir + QStringLiteral("/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return pids;
    const pid_t master = pid_t(f.readLine().trimmed().toInt());
    if (master <= 0)
        return pids;
    pids.push_back(master);
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool isPid = false;
        const int pid = entry.toInt(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const qsizetype close = line.lastIndexOf(')'); // "pid (comm) state ppid ..."
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        if (fields.size() > 1 && fields[1].toInt() == master)
            pids.push_back(pid_t(pid));
    }
    return pids;
}

// Bytes that reached the server's end of a loopback connection on `port` and that nobody has read
// yet (rx_queue of the server-side sockets in /proc/net/tcp). With the server frozen, a non-zero
// figure means a client sent its request and can only be waiting for the answer now: the kernel
// acknowledges the data for the stopped backend, so the client's poll() is the only thing left.
qint64 unreadBytesAtServer(int port)
{
    QFile f(QStringLiteral("/proc/net/tcp"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    qint64 unread = 0;
    f.readLine(); // header
    while (!f.atEnd()) {
        // "sl local_address rem_address st tx_queue:rx_queue ..."
        const QList<QByteArray> fields = f.readLine().simplified().split(' ');
        if (fields.size() < 5 || fields[3] != "01") // 01 = ESTABLISHED
            continue;
        const QList<QByteArray> local = fields[1].split(':');
        const QList<QByteArray> queues = fields[4].split(':');
        if (local.size() != 2 || queues.size() != 2 || local[1].toInt(nullptr, 16) != port)
            continue;
        unread += queues[1].toLongLong(nullptr, 16);
    }
    return unread;
}

// Freezes the server for its lifetime (SIGCONT in the destructor, whatever the test did).
struct Frozen
{
    explicit Frozen(std::vector<pid_t> p) : pids(std::move(p))
    {
        for (pid_t pid : pids)
            ::kill(pid, SIGSTOP);
    }
    ~Frozen() { resume(); }
    void resume()
    {
        for (pid_t pid : pids)
            ::kill(pid, SIGCONT);
        pids.clear();
    }
    std::vector<pid_t> pids;
};
} // namespace

class TestPgFrozen : public QObject
{
    Q_OBJECT
    PgServer m_pg;
    int m_seq = 0;

    std::unique_ptr<TickStore> freshStore()
    {
        const QString name = QStringLiteral("frozen%1").arg(++m_seq);
        if (!m_pg.createDatabase(name))
            return nullptr;
        auto store = TickStore::open(*DatabaseUrl::parse(m_pg.url(name)), name);
        return store ? std::move(store).value() : nullptr;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString())); }

    void startReadsReturnPromptlyOnStopOrDeadline_data()
    {
        QTest::addColumn<QString>("read");
        QTest::addColumn<bool>("viaStop");
        for (const char *read :
             {"loadOffsets", "loadCandlesForRestore", "loadCandles", "loadTicks"}) {
            QTest::addRow("%s, stop", read) << QString::fromLatin1(read) << true;
            QTest::addRow("%s, deadline", read) << QString::fromLatin1(read) << false;
        }
    }
    void startReadsReturnPromptlyOnStopOrDeadline()
    {
        QFETCH(QString, read);
        QFETCH(bool, viaStop);
        auto store = freshStore();
        QVERIFY(store);
        std::atomic_bool stop{false};
        store->setWriteLimits(viaStop ? 600000 : 1000, &stop);
        const std::vector<Tick> ticks = makeTicks(0, 10);
        const std::vector<Candle> candles{makeCandle("BTC", 1700000000000, 101.5)};
        const std::vector<OffsetRecord> offsets{{"g", "c", "crypto_topic", 0, 10}};
        QVERIFY(store->write({ticks, candles, offsets}).ok());
        const CandleLookback lookback{60, 3600000};
        // Returns the error text, or "" when the read succeeded with the rows written above.
        auto runRead = [&]() -> std::optional<Error> {
            if (read == QLatin1String("loadOffsets")) {
                auto r = store->loadOffsets("g", "c");
                return r ? (r->size() == 1
                                ? std::nullopt
                                : std::optional<Error>(Error{QStringLiteral("rows"), {}}))
                         : r.error();
            }
            if (read == QLatin1String("loadCandlesForRestore")) {
                auto r = store->loadCandlesForRestore(std::span(&lookback, 1));
                return r ? (r->size() == 1
                                ? std::nullopt
                                : std::optional<Error>(Error{QStringLiteral("rows"), {}}))
                         : r.error();
            }
            if (read == QLatin1String("loadCandles")) {
                auto r = store->loadCandles(0);
                return r ? (r->size() == 1
                                ? std::nullopt
                                : std::optional<Error>(Error{QStringLiteral("rows"), {}}))
                         : r.error();
            }
            auto r = store->loadTicks(AssetClass::Crypto, ticks[0].symbol, 0,
                                      std::numeric_limits<qint64>::max() / 2);
            return r ? (!r->empty() ? std::nullopt
                                    : std::optional<Error>(Error{QStringLiteral("rows"), {}}))
                     : r.error();
        };
        QVERIFY(!runRead().has_value());

        const std::vector<pid_t> pids = serverPids(m_pg.dataDir());
        QVERIFY2(pids.size() >= 2, "postmaster and at least one backend expected");
        std::optional<std::optional<Error>> result;
        qint64 returnedAfterMs = -1;
        {
            Frozen frozen(pids);
            QElapsedTimer clock;
            clock.start(); // before the thread reads it
            std::atomic_bool done{false};
            std::thread reader([&] {
                result.emplace(runRead());
                returnedAfterMs = clock.elapsed();
                done = true;
            });
            qint64 stoppedAtMs = 0;
            bool sentBeforeStop = true;
            if (viaStop) {
                // Stop once the reader is stuck waiting on the frozen server: its request sits
                // unread at the server's end of the connection.
                // (No QVERIFY before the join: the reader thread must not outlive this scope.)
                sentBeforeStop = QTest::qWaitFor(
                    [&] { return done.load() || unreadBytesAtServer(m_pg.port()) > 0; }, 10000);
                stoppedAtMs = clock.elapsed();
                stop = true;
            }
            // Without a deadline the read waits for the server for ever: give it 10 s, then resume
            // the server so the reader (and this test) can end, and fail.
            const bool returnedWhileFrozen = QTest::qWaitFor([&] { return done.load(); }, 10000);
            if (!returnedWhileFrozen)
                frozen.resume();
            reader.join();
            QVERIFY2(sentBeforeStop, "the reader sent nothing to the frozen server");
            QVERIFY2(returnedWhileFrozen, "the read blocked on the frozen server");
            QVERIFY(result.has_value());
            QVERIFY2(result->has_value(), "the read succeeded on a frozen server");
            QVERIFY2(isRetryable(**result), qPrintable((*result)->message));
            if (viaStop)
                QVERIFY2(
                    returnedAfterMs - stoppedAtMs < 2000,
                    qPrintable(
                        QStringLiteral("%1 ms after the stop").arg(returnedAfterMs - stoppedAtMs)));
            else
                QVERIFY2(returnedAfterMs >= 1000 && returnedAfterMs < 1000 + 2000,
                         qPrintable(QString::number(returnedAfterMs)));
        }
        // Resumed: the same store reconnects and reads what was stored.
        stop = false;
        const std::optional<Error> again = runRead();
        QVERIFY2(!again.has_value(), qPrintable(again ? again->message : QString()));
    }

    void writeReturnsPromptlyOnStopOrDeadline_data()
    {
        QTest::addColumn<bool>("viaStop");
        QTest::addColumn<int>("batchSize");
        QTest::newRow("stop, small batch") << true << 100;
        // Measured: the server freezes before the write starts, so this row too waits on the
        // answer to "BEGIN; SAVEPOINT ms_ticks" (31 bytes unread at the server); the COPY itself
        // never runs against a frozen server here.
        QTest::newRow("stop, large batch (COPY fills the socket)") << true << 200000;
        QTest::newRow("deadline, small batch") << false << 100;
    }
    void writeReturnsPromptlyOnStopOrDeadline()
    {
        QFETCH(bool, viaStop);
        QFETCH(int, batchSize);
        auto store = freshStore();
        QVERIFY(store);
        std::atomic_bool stop{false};
        store->setWriteLimits(viaStop ? 600000 : 1000, &stop);
        QVERIFY(store->write({makeTicks(0, 10), {}, {}}).ok());
        const std::vector<OffsetRecord> offsets{{"g", "c", "crypto_topic", 0, 1}};
        const std::vector<Tick> ticks = makeTicks(10, 10 + batchSize);

        const std::vector<pid_t> pids = serverPids(m_pg.dataDir());
        QVERIFY2(pids.size() >= 2, "postmaster and at least one backend expected");
        std::optional<Result<WriteResult>> result;
        qint64 returnedAfterMs = -1;
        {
            Frozen frozen(pids);
            QElapsedTimer clock;
            clock.start(); // before the thread reads it
            std::atomic_bool done{false};
            std::thread writer([&] {
                result.emplace(store->write({ticks, {}, offsets}));
                returnedAfterMs = clock.elapsed();
                done = true;
            });
            qint64 stoppedAtMs = 0;
            bool sentBeforeStop = true;
            if (viaStop) {
                // Stop once the writer is stuck waiting on the frozen server: its request sits
                // unread at the server's end of the connection.
                // (No QVERIFY before the join: the writer thread must not outlive this scope.)
                sentBeforeStop = QTest::qWaitFor(
                    [&] { return done.load() || unreadBytesAtServer(m_pg.port()) > 0; }, 10000);
                stoppedAtMs = clock.elapsed();
                stop = true;
            }
            // Without the deadline the writer would wait for the server for ever: give it 10 s,
            // then resume the server so the writer (and this test) can end, and fail.
            const bool returnedWhileFrozen = QTest::qWaitFor([&] { return done.load(); }, 10000);
            if (!returnedWhileFrozen)
                frozen.resume();
            writer.join();
            QVERIFY2(sentBeforeStop, "the writer sent nothing to the frozen server");
            QVERIFY2(returnedWhileFrozen, "the write blocked on the frozen server");
            QVERIFY(result.has_value());
            QVERIFY(!result->ok());
            QVERIFY2(isRetryable(result->error()), qPrintable(result->errorMessage()));
            if (viaStop)
                QVERIFY2(
                    returnedAfterMs - stoppedAtMs < 2000,
                    qPrintable(
                        QStringLiteral("%1 ms after the stop").arg(returnedAfterMs - stoppedAtMs)));
            else
                QVERIFY2(returnedAfterMs >= 1000 && returnedAfterMs < 1000 + 2000,
                         qPrintable(QString::number(returnedAfterMs)));
        }
        // Resumed: the same store reconnects and the batch goes in once.
        stop = false;
        auto again = store->write({ticks, {}, offsets});
        QVERIFY2(again.ok(), qPrintable(again.errorMessage()));
        QCOMPARE(again->ticksInserted + again->ticksDuplicate, qint64(batchSize));
    }
};

QTEST_GUILESS_MAIN(TestPgFrozen)
#include "tst_pg_frozen.moc"
