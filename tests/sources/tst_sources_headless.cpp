// Phase 2: every source end to end through `marketstream --headless` (embedded broker → SQLite)
// against the local HTTP / WebSocket stand-ins replaying the fixtures. Every source type exists: one
// the runtime no longer creates fails here (with the app's output), it is never skipped.
#include "local_http_server.h"
#include "local_ws_server.h"
#include "model/time_util.h"
#include "source_probe.h"
#include "sources/tick_recorder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ms;
using namespace ms::test;
using namespace Qt::StringLiterals;

namespace {

struct Outcome
{
    int exitCode = -1;
    QString out, err;
    QJsonObject summary;  // the last stdout line
};

// Runs the app while this thread keeps serving the local servers.
Outcome runApp(const QStringList &args, const QString &workDir)
{
    QProcess p;
    p.setWorkingDirectory(workDir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"CRYPTOCOMPARE_API_KEY"_s, u"hl-SECRET-cc"_s);
    env.insert(u"FINNHUB_API_KEY"_s, u"hl-SECRET-fh"_s);
    env.remove(u"DATABASE_URL"_s);
    p.setProcessEnvironment(env);
    ms::test::dieWithTest(p);
    p.start(QStringLiteral(MS_APP_PATH), args);
    Outcome o;
    if (!p.waitForStarted(10000))
        return o;
    if (!waitUntil([&] { return p.state() == QProcess::NotRunning; }, 90000)) {
        p.kill();
        p.waitForFinished(5000);
    }
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    const QStringList lines = o.out.trimmed().split(u'\n');
    o.summary = QJsonDocument::fromJson(lines.value(lines.size() - 1).toUtf8()).object();
    return o;
}

qint64 rows(const QString &dbPath, const QString &sql)
{
    const QString name = u"hl-"_s + QString::number(nowMs());
    qint64 n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dbPath);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                n = q.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return n;
}

}  // namespace

class TestSourcesHeadless : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cryptoCompareRest();
    void finnhubRest();
    void finnhubWs();
    void cryptoCompareWs();
    void replayFile();
};

void TestSourcesHeadless::cryptoCompareRest()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setFallback([](const HttpRequestRecord &) {
        return HttpReply::json(readFixture(u"cryptocompare/rest/pricemultifull_BTC-ETH_USD_2022-08-09_DERIVED.json"_s));
    });
    QTemporaryDir dir;
    const QString db = dir.filePath(u"t.db"_s);
    const Outcome o = runApp({u"--headless"_s, u"--source"_s, u"cryptocompare"_s, u"--symbols"_s, u"BTC,ETH"_s,
                              u"--cryptocompare-url"_s, server.baseUrl().toString(), u"--db"_s, u"sqlite:///"_s + db,
                              u"--max-ticks"_s, u"2"_s},
                             dir.path());
    QVERIFY2(o.exitCode == 0, qPrintable(o.out + o.err));
    QCOMPARE(rows(db, u"SELECT COUNT(*) FROM crypto_data WHERE source = 'cryptocompare'"_s), qint64(2));
    QCOMPARE(rows(db, u"SELECT COUNT(*) FROM crypto_data WHERE symbol = 'ETH' AND price = 1774.25"_s), qint64(1));
    QVERIFY(!QString(o.out + o.err).contains(u"hl-SECRET"_s));
}

void TestSourcesHeadless::finnhubRest()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setFallback([](const HttpRequestRecord &) {
        return HttpReply::json(readFixture(u"finnhub/rest/quote_SPY_2022-12-28_real_from_code_comment.json"_s));
    });
    QTemporaryDir dir;
    const QString db = dir.filePath(u"t.db"_s);
    const Outcome o = runApp({u"--headless"_s, u"--source"_s, u"finnhub"_s, u"--symbols"_s, u"stock:SPY"_s,
                              u"--finnhub-url"_s, server.baseUrl().toString() + u"/api/v1"_s, u"--db"_s,
                              u"sqlite:///"_s + db, u"--max-ticks"_s, u"1"_s},
                             dir.path());
    QVERIFY2(o.exitCode == 0, qPrintable(o.out + o.err));
    QCOMPARE(rows(db, u"SELECT COUNT(*) FROM stock_data WHERE symbol = 'SPY' AND price = 376.66 AND previous_close = 381.4"_s),
             qint64(1));
    QVERIFY(!QString(o.out + o.err).contains(u"hl-SECRET"_s));
}

void TestSourcesHeadless::finnhubWs()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    server.setOnMessage([](QWebSocket *ws, const QString &) {
        ws->sendTextMessage(QString::fromUtf8(readFixture(u"finnhub/ws/trade_AAPL_2023-03-31_live_capture.json"_s)));
    });
    QTemporaryDir dir;
    const QString db = dir.filePath(u"t.db"_s);
    const Outcome o = runApp({u"--headless"_s, u"--source"_s, u"finnhub-ws"_s, u"--symbols"_s, u"stock:AAPL"_s,
                              u"--finnhub-ws-url"_s, server.url().toString(), u"--db"_s, u"sqlite:///"_s + db,
                              u"--max-ticks"_s, u"10"_s},
                             dir.path());
    QVERIFY2(o.exitCode == 0, qPrintable(o.out + o.err));
    QCOMPARE(rows(db, u"SELECT COUNT(*) FROM stock_data WHERE source = 'finnhub' AND kind = 'trade'"_s), qint64(10));
}

void TestSourcesHeadless::cryptoCompareWs()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    server.setOnMessage([](QWebSocket *ws, const QString &) {
        ws->sendTextMessage(QString::fromUtf8(readFixture(u"cryptocompare/ws/server_5_cccagg_BTC-USD_2024-02-13.json"_s)));
        ws->sendTextMessage(QString::fromUtf8(readFixture(u"cryptocompare/ws/server_0_trade_Coinbase_BTC-USD_2025-07-22_RECONSTRUCTED.json"_s)));
    });
    QTemporaryDir dir;
    const QString db = dir.filePath(u"t.db"_s);
    const Outcome o = runApp({u"--headless"_s, u"--source"_s, u"cryptocompare-ws"_s, u"--symbols"_s, u"BTC"_s,
                              u"--cryptocompare-ws-url"_s, server.url().toString(), u"--db"_s, u"sqlite:///"_s + db,
                              u"--max-ticks"_s, u"2"_s},
                             dir.path());
    QVERIFY2(o.exitCode == 0, qPrintable(o.out + o.err));
    QCOMPARE(rows(db, u"SELECT COUNT(*) FROM crypto_data WHERE source = 'cryptocompare'"_s), qint64(2));
    QVERIFY(server.connectUrls().first().toString().contains(u"api_key=hl-SECRET-cc"_s));
    QVERIFY(!QString(o.out + o.err).contains(u"hl-SECRET"_s));
}

void TestSourcesHeadless::replayFile()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"ticks.jsonl"_s);
    {
        auto rec = TickRecorder::open(file);
        QVERIFY(rec.ok());
        std::vector<Tick> ticks;
        for (int i = 0; i < 100; ++i) {
            Tick t;
            t.source = SourceKind::Replay;
            t.symbol = i % 2 ? "BTC" : "ETH";
            t.price = 100 + i;
            t.volume = 1;
            t.tsMs = 1700000000000 + i * 1000;
            t.id = "r-" + std::to_string(i);
            ticks.push_back(t);
        }
        QVERIFY((*rec)->append(ticks).ok());
    }
    const QString db = dir.filePath(u"t.db"_s);
    const Outcome o = runApp({u"--headless"_s, u"--source"_s, u"replay:"_s + file, u"--replay-speed"_s, u"0"_s,
                              u"--db"_s, u"sqlite:///"_s + db, u"--max-ticks"_s, u"100"_s},
                             dir.path());
    QVERIFY2(o.exitCode == 0, qPrintable(o.out + o.err));
    QCOMPARE(rows(db, u"SELECT COUNT(*) FROM crypto_data WHERE source = 'replay'"_s), qint64(100));
}

QTEST_GUILESS_MAIN(TestSourcesHeadless)
#include "tst_sources_headless.moc"
#include "test_util.h"
