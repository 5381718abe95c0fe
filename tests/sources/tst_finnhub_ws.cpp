// FinnhubWsSource against a local QWebSocketServer replaying the Finnhub stream fixtures.
#include "local_http_server.h"
#include "local_ws_server.h"
#include "source_probe.h"
#include "sources/finnhub_ws_source.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <QMutex>
#include <QThread>
#include <QUrlQuery>

#include <atomic>

using namespace ms;
using namespace ms::test;
using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"fh-ws-SECRET-91b2"_s;

FinnhubWsOptions options(const LocalWsServer &server, QStringList symbols)
{
    FinnhubWsOptions o;
    o.finnhubWsUrl = server.url().toString();
    o.apiKey = kKey;
    o.symbols = std::move(symbols);
    o.idleTimeoutMs = 5000;
    o.connectTimeoutMs = 2000;
    o.backoff = BackoffPolicy{30, 200, 2.0, 0.2};
    return o;
}

QString frame(const char *name)
{
    return QString::fromUtf8(readFixture(u"finnhub/ws/"_s + QLatin1String(name)));
}

int countSubscribes(const LocalWsServer &server, const QString &symbol)
{
    int n = 0;
    for (const QString &m : server.received()) {
        const QJsonObject o = QJsonDocument::fromJson(m.toUtf8()).object();
        n += o.value("type"_L1).toString() == u"subscribe" && o.value("symbol"_L1).toString() == symbol;
    }
    return n;
}

}  // namespace

class TestFinnhubWs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tradesFromFixtures_data();
    void tradesFromFixtures();
    void subscribeMessagesAndKeyInUrl();
    void pingAndErrorFrames();
    void malformedFramesKeepConnection();
    void heartbeatStopReconnectsAndResubscribes();
    void serverCloseReconnects();
    void unsubscribeOnSymbolChange();
    void keyNeverLeaks();
    void runsOnWorkerThread();
    void handshakeRejected401IsUnauthorized();
};

void TestFinnhubWs::tradesFromFixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("count");
    QTest::newRow("AAPL 2023 (10 trades, duplicates)") << u"trade_AAPL_2023-03-31_live_capture.json"_s << 10;
    QTest::newRow("AAPL 2023 #2") << u"trade_AAPL_2023-03-31_live_capture_2.json"_s << 3;
    QTest::newRow("AAPL 2024 (not time-ordered)") << u"trade_AAPL_2024-11-14_from_code_comment.json"_s << 4;
    QTest::newRow("BINANCE doc sample (no c)") << u"trade_BINANCE-BTCUSDT_official_doc_sample.json"_s << 1;
}

void TestFinnhubWs::tradesFromFixtures()
{
    QFETCH(QString, file);
    QFETCH(int, count);
    LocalWsServer server;
    QVERIFY(server.listen());
    const QString payload = QString::fromUtf8(readFixture(u"finnhub/ws/"_s + file));
    server.setOnMessage([&](QWebSocket *ws, const QString &) { ws->sendTextMessage(payload); });
    FinnhubWsSource source(options(server, {u"AAPL"_s}));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForTicks(size_t(count)));
    source.stop();
    QCOMPARE(probe.ticks.size(), size_t(count));

    // Exact ticks: every field from the frame, in frame order.
    const QJsonArray data = QJsonDocument::fromJson(payload.toUtf8()).object().value("data"_L1).toArray();
    QSet<QString> ids;
    for (int i = 0; i < count; ++i) {
        const QJsonObject tr = data[i].toObject();
        const Tick &t = probe.ticks[size_t(i)];
        QVERIFY(t.source == SourceKind::Finnhub && t.kind == TickKind::Trade && t.asset == AssetClass::Stock);
        QCOMPARE(QString::fromStdString(t.symbol), tr.value("s"_L1).toString());
        QCOMPARE(t.currency, std::string("USD"));
        QCOMPARE(t.price, tr.value("p"_L1).toDouble());
        QCOMPARE(t.volume, tr.value("v"_L1).toDouble());
        QCOMPARE(t.tsMs, qint64(tr.value("t"_L1).toDouble()));  // already milliseconds
        QVERIFY(!t.open && !t.high && !t.low && !t.previousClose);
        ids.insert(QString::fromStdString(t.id));
    }
    QCOMPARE(ids.size(), count);  // identical trades in one frame still get distinct ids
}

void TestFinnhubWs::subscribeMessagesAndKeyInUrl()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    FinnhubWsSource source(options(server, {u"AAPL"_s, u"BINANCE:BTCUSDT"_s}));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return server.received().size() >= 2; }));
    // Byte-for-byte the documented client messages.
    QCOMPARE(server.received()[0], frame("client_subscribe_AAPL.json").trimmed());
    QCOMPARE(server.received()[1], frame("client_subscribe_BINANCE-BTCUSDT.json").trimmed());
    QCOMPARE(QUrlQuery(server.connectUrls().first()).queryItemValue(u"token"_s), kKey);
    QVERIFY(probe.sawState(SourceState::Running));
    QVERIFY(!probe.allMessages().contains(kKey));
    QVERIFY(probe.allMessages().contains(u"token=***"_s));
    source.stop();
    QCOMPARE(probe.finished, 1);
}

void TestFinnhubWs::pingAndErrorFrames()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    FinnhubWsSource source(options(server, {u"AAPL"_s}));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::Running));
    const qsizetype before = probe.statuses.size();
    server.sendToAll(frame("server_ping.json"));
    server.sendToAll(frame("server_error_too_many_symbols.json"));
    QVERIFY(probe.waitForState(SourceState::Forbidden));
    QCOMPARE(probe.statuses.size(), before + 1);  // the ping changed nothing
    QVERIFY(probe.statuses.last().message.contains(u"Subscribing to too many symbols"_s));
    QVERIFY(probe.ticks.empty());
    QCOMPARE(server.connectionCount(), 1);
    source.stop();
}

void TestFinnhubWs::malformedFramesKeepConnection()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    FinnhubWsSource source(options(server, {u"AAPL"_s}));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::Running));
    const QString good = frame("trade_AAPL_2023-03-31_live_capture_2.json");
    server.sendToAll(QString());
    server.sendToAll(good.left(good.size() / 2));
    server.sendToAll(u"garbage"_s);
    server.sendToAll(u"{\"type\":\"trade\"}"_s);
    server.sendToAll(u"{\"type\":\"trade\",\"data\":[{\"p\":-1,\"s\":\"AAPL\",\"t\":1680286542024}]}"_s);
    QVERIFY(waitUntil([&] { return source.malformedFrames() >= 5; }));
    QVERIFY(probe.sawState(SourceState::Malformed));
    QVERIFY(probe.ticks.empty());
    // The refused trade is counted by its reason, and the status (what the issue log shows) says it.
    QCOMPARE(source.refusalsByReason().value(u"bad_price"_s), qint64(1));
    QCOMPARE(source.refusedItems(), qint64(1));
    bool named = false;
    for (const SourceStatus &st : probe.statuses)
        named = named || st.message.contains(u"trade price p -1 is not positive [bad_price]"_s);
    QVERIFY(named);
    server.sendToAll(good);
    QVERIFY(probe.waitForTicks(3));
    QCOMPARE(server.connectionCount(), 1);
    QVERIFY(probe.statuses.last().state == SourceState::Running);
    source.stop();
}

void TestFinnhubWs::heartbeatStopReconnectsAndResubscribes()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    auto opt = options(server, {u"AAPL"_s, u"MSFT"_s});
    opt.idleTimeoutMs = 300;  // the server below never pings
    FinnhubWsSource source(opt);
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return server.connectionCount() >= 3; }));
    QVERIFY(waitUntil([&] { return countSubscribes(server, u"MSFT"_s) >= 3; }));
    QCOMPARE(countSubscribes(server, u"AAPL"_s), countSubscribes(server, u"MSFT"_s));
    const SourceStatus down = probe.firstOf(SourceState::NetworkDown);
    QVERIFY2(down.message.contains(u"heartbeats stopped"_s), qPrintable(down.message));
    QVERIFY(down.retryAfterMs > 0);
    // After the reconnect the stream works again.
    server.sendToAll(frame("trade_AAPL_2023-03-31_live_capture_2.json"));
    QVERIFY(probe.waitForTicks(3));
    source.stop();
    const int connections = server.connectionCount();
    QTest::qWait(100);
    QCOMPARE(server.connectionCount(), connections);  // stop means no more reconnects
}

void TestFinnhubWs::serverCloseReconnects()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    FinnhubWsSource source(options(server, {u"AAPL"_s}));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::Running));
    server.closeAll();
    QVERIFY(waitUntil([&] { return server.connectionCount() >= 2 && countSubscribes(server, u"AAPL"_s) >= 2; }));
    const int down = probe.indexOf(SourceState::NetworkDown);
    QVERIFY(down >= 0);
    QVERIFY(probe.indexOf(SourceState::Running, down) > down);
    source.stop();
}

void TestFinnhubWs::unsubscribeOnSymbolChange()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    FinnhubWsSource source(options(server, {u"AAPL"_s}));
    source.start();
    QVERIFY(waitUntil([&] { return server.received().size() >= 1; }));
    source.setSymbols({u"MSFT"_s});
    QVERIFY(waitUntil([&] { return server.received().size() >= 3; }));
    QCOMPARE(server.received()[1], frame("client_unsubscribe_AAPL.json").trimmed());
    QCOMPARE(server.received()[2], u"{\"type\":\"subscribe\",\"symbol\":\"MSFT\"}"_s);
    source.stop();
}

void TestFinnhubWs::keyNeverLeaks()
{
    LogCapture logs;
    quint16 port = 0;
    {
        LocalWsServer gone;
        QVERIFY(gone.listen());
        port = gone.url().port();
    }
    FinnhubWsOptions o;
    o.finnhubWsUrl = u"ws://127.0.0.1:%1"_s.arg(port);
    o.apiKey = kKey;
    o.backoff = BackoffPolicy{20, 100, 2.0, 0.2};
    FinnhubWsSource source(o);
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return probe.statuses.size() >= 6; }));
    source.stop();
    QVERIFY(probe.sawState(SourceState::NetworkDown));
    QVERIFY(probe.ticks.empty());
    QVERIFY2(!probe.allMessages().contains(kKey), qPrintable(probe.allMessages()));
    QVERIFY2(!logs.text().contains(kKey), qPrintable(logs.text()));
}

void TestFinnhubWs::runsOnWorkerThread()
{
    // As the runtime runs it: parentless, moved to its own thread, started and stopped by queued calls.
    LocalWsServer server;
    QVERIFY(server.listen());
    const QString payload = frame("trade_AAPL_2023-03-31_live_capture.json");
    server.setOnMessage([&](QWebSocket *ws, const QString &) { ws->sendTextMessage(payload); });
    QThread worker;
    auto *source = new FinnhubWsSource(options(server, {u"AAPL"_s}));
    std::atomic<int> ticks{0};
    std::atomic<bool> wrongThread{false};
    source->setTickHandler([&](std::span<const Tick> batch) {
        wrongThread = wrongThread || QThread::currentThread() != &worker;
        ticks += int(batch.size());
    });
    std::atomic<int> finished{0};
    connect(source, &Source::finished, source, [&] { ++finished; }, Qt::DirectConnection);
    source->moveToThread(&worker);
    connect(&worker, &QThread::finished, source, &QObject::deleteLater);
    worker.start();
    QMetaObject::invokeMethod(source, &Source::start, Qt::QueuedConnection);
    QVERIFY(waitUntil([&] { return ticks >= 10; }));
    QMetaObject::invokeMethod(source, &Source::stop, Qt::BlockingQueuedConnection);
    QCOMPARE(finished.load(), 1);
    QVERIFY(!wrongThread);
    worker.quit();
    QVERIFY(worker.wait(5000));
}

void TestFinnhubWs::handshakeRejected401IsUnauthorized()
{
    // A bad token: the upgrade request is answered with HTTP 401 and Finnhub's error body.
    LocalHttpServer http;
    QVERIFY(http.listen());
    http.setFallback([](const HttpRequestRecord &) {
        return HttpReply::json(readFixture(u"finnhub/rest/error_401_invalid_api_key.json"_s), 401);
    });
    FinnhubWsOptions o;
    o.finnhubWsUrl = u"ws://127.0.0.1:%1"_s.arg(http.baseUrl().port());
    o.apiKey = kKey;
    o.backoff = BackoffPolicy{20, 100, 2.0, 0.2};
    FinnhubWsSource source(o);
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return http.requests().size() >= 2; }));  // retried with backoff
    source.stop();
    QVERIFY2(probe.sawState(SourceState::Unauthorized), qPrintable(probe.allMessages()));
    QVERIFY(probe.ticks.empty());
    QVERIFY(!probe.allMessages().contains(kKey));
}

QTEST_GUILESS_MAIN(TestFinnhubWs)
#include "tst_finnhub_ws.moc"
