// CryptoCompareWsSource against a local QWebSocketServer replaying the streamer v2 fixtures.
#include "local_ws_server.h"
#include "source_probe.h"
#include "sources/cryptocompare_ws_source.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace ms;
using namespace ms::test;
using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"cc-ws-SECRET-0d4e"_s;

QString frame(const char *name)
{
    return QString::fromUtf8(readFixture(u"cryptocompare/ws/"_s + QLatin1String(name)));
}

CryptoCompareWsOptions options(const LocalWsServer &server)
{
    CryptoCompareWsOptions o;
    o.cryptoCompareWsUrl = server.url().toString() + u"/v2"_s;
    o.apiKey = kKey;
    o.symbols = {u"BTC"_s};
    o.currency = u"USD"_s;
    o.tradeExchanges = {u"Coinbase"_s};
    o.idleTimeoutMs = 5000;
    o.connectTimeoutMs = 2000;
    o.backoff = BackoffPolicy{30, 200, 2.0, 0.2};
    return o;
}

// A streamer that welcomes, acknowledges each SubAdd and reports load complete, like the real one.
void behaveLikeStreamer(LocalWsServer &server)
{
    server.setOnConnect([](QWebSocket *ws) { ws->sendTextMessage(frame("server_20_streamerwelcome_2025-07-22_live.json")); });
    server.setOnMessage([](QWebSocket *ws, const QString &text) {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        if (o.value("action"_L1).toString() != u"SubAdd")
            return;
        for (const QJsonValue &sub : o.value("subs"_L1).toArray()) {
            QJsonObject ack = QJsonDocument::fromJson(frame("server_16_subscribecomplete_docs.json").toUtf8()).object();
            ack.insert("SUB"_L1, sub.toString());
            ws->sendTextMessage(QString::fromUtf8(QJsonDocument(ack).toJson(QJsonDocument::Compact)));
        }
        ws->sendTextMessage(frame("server_3_loadcomplete_docs.json"));
    });
}

int subAdds(const LocalWsServer &server)
{
    int n = 0;
    for (const QString &m : server.received())
        n += QJsonDocument::fromJson(m.toUtf8()).object().value("action"_L1).toString() == u"SubAdd";
    return n;
}

}  // namespace

class TestCryptoCompareWs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void subscribesWithKeyInUrl();
    void aggregateSnapshotAndDeltasMerged();
    void tradeFrame();
    void errorFrames_data();
    void errorFrames();
    void forceDisconnectReconnects();
    void heartbeatsKeepAliveThenStopTriggersReconnect();
    void garbageFramesKeepConnection();
    void keyNeverLeaks();
    void rateLimitFrame();
};

void TestCryptoCompareWs::subscribesWithKeyInUrl()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    behaveLikeStreamer(server);
    auto opt = options(server);
    opt.symbols = {u"BTC"_s, u"ETH"_s};
    CryptoCompareWsSource source(opt);
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::Running));  // after LOADCOMPLETE
    QCOMPARE(server.connectUrls().first().path(), u"/v2"_s);
    QCOMPARE(QUrlQuery(server.connectUrls().first()).queryItemValue(u"api_key"_s), kKey);
    const QJsonObject sub = QJsonDocument::fromJson(server.received().first().toUtf8()).object();
    QCOMPARE(sub.value("action"_L1).toString(), u"SubAdd"_s);
    QCOMPARE(sub.value("subs"_L1).toArray().toVariantList(),
             (QVariantList{u"5~CCCAGG~BTC~USD"_s, u"5~CCCAGG~ETH~USD"_s, u"0~Coinbase~BTC~USD"_s, u"0~Coinbase~ETH~USD"_s}));
    QVERIFY(probe.allMessages().contains(u"api_key=***"_s));
    QVERIFY(!probe.allMessages().contains(kKey));
    source.stop();
    QCOMPARE(probe.finished, 1);
}

void TestCryptoCompareWs::aggregateSnapshotAndDeltasMerged()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    behaveLikeStreamer(server);
    CryptoCompareWsSource source(options(server));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::Running));
    // 1) the full snapshot (FLAGS is a number here)
    server.sendToAll(frame("server_5_cccagg_BTC-USD_2024-02-13.json"));
    // 2) a delta with only changed fields: a new price in the same second → no new tick
    server.sendToAll(u"{\"TYPE\":\"5\",\"MARKET\":\"CCCAGG\",\"FROMSYMBOL\":\"BTC\",\"TOSYMBOL\":\"USD\",\"FLAGS\":1,\"PRICE\":49736.1}"_s);
    // 3) a delta moving LASTUPDATE on: a tick with the merged fields (LASTVOLUME from the snapshot)
    server.sendToAll(u"{\"TYPE\":\"5\",\"MARKET\":\"CCCAGG\",\"FROMSYMBOL\":\"BTC\",\"TOSYMBOL\":\"USD\",\"FLAGS\":1,\"PRICE\":49740.5,\"LASTUPDATE\":1707832429}"_s);
    // 4) a volume-only delta: nothing new
    server.sendToAll(u"{\"TYPE\":\"5\",\"MARKET\":\"CCCAGG\",\"FROMSYMBOL\":\"BTC\",\"TOSYMBOL\":\"USD\",\"FLAGS\":4,\"VOLUMEDAY\":15500.1}"_s);
    server.sendToAll(frame("server_999_heartbeat_docs.json"));
    QVERIFY(waitUntil([&] { return source.heartbeats() >= 1; }));
    QCOMPARE(probe.ticks.size(), size_t(2));

    Tick first;
    first.source = SourceKind::CryptoCompare;
    first.kind = TickKind::Quote;
    first.asset = AssetClass::Crypto;
    first.symbol = "BTC";
    first.currency = "USD";
    first.price = 49735.6637659428;
    first.volume = 0.02800179;
    first.tsMs = 1707832427000;
    first.id = "q-USD-1707832427";  // same id as a REST quote of that second
    QCOMPARE(probe.ticks[0], first);
    Tick second = first;
    second.price = 49740.5;
    second.tsMs = 1707832429000;
    second.id = "q-USD-1707832429";
    QCOMPARE(probe.ticks[1], second);
    source.stop();
}

void TestCryptoCompareWs::tradeFrame()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    behaveLikeStreamer(server);
    CryptoCompareWsSource source(options(server));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::Running));
    server.sendToAll(frame("server_0_trade_Coinbase_BTC-USD_2025-07-22_RECONSTRUCTED.json"));
    QVERIFY(probe.waitForTicks(1));
    Tick t;
    t.source = SourceKind::CryptoCompare;
    t.kind = TickKind::Trade;
    t.asset = AssetClass::Crypto;
    t.symbol = "BTC";
    t.currency = "USD";
    t.price = 119283.1;
    t.volume = 0.34637342;
    t.tsMs = 1753190418654;  // TS seconds + TSNS nanoseconds
    t.id = "t-Coinbase-USD-852793745";
    QCOMPARE(probe.ticks[0], t);
    source.stop();
}

void TestCryptoCompareWs::errorFrames_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<SourceState>("state");
    QTest::addColumn<bool>("reconnects");
    QTest::addColumn<QString>("words");
    QTest::newRow("401") << u"server_401_unauthorized_docs.json"_s << SourceState::Unauthorized << true << u"valid api_key"_s;
    QTest::newRow("500 INVALID_SUB") << u"server_500_invalid_sub.json"_s << SourceState::NotFound << false << u"5~CCCAGG~FOO~USD"_s;
}

void TestCryptoCompareWs::errorFrames()
{
    QFETCH(QString, file);
    QFETCH(SourceState, state);
    QFETCH(bool, reconnects);
    QFETCH(QString, words);
    LocalWsServer server;
    QVERIFY(server.listen());
    behaveLikeStreamer(server);
    CryptoCompareWsSource source(options(server));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::Running));
    server.sendToAll(QString::fromUtf8(readFixture(u"cryptocompare/ws/"_s + file)));
    QVERIFY(probe.waitForState(state));
    QVERIFY2(probe.firstOf(state).message.contains(words), qPrintable(probe.firstOf(state).message));
    QVERIFY(probe.ticks.empty());
    if (reconnects) {
        QVERIFY(probe.firstOf(state).retryAfterMs > 0);
        QVERIFY(waitUntil([&] { return server.connectionCount() >= 2 && subAdds(server) >= 2; }));
    } else {
        // The other subscriptions go on: same connection, still streaming.
        server.sendToAll(frame("server_0_trade_Coinbase_BTC-USD_2025-07-22_RECONSTRUCTED.json"));
        QVERIFY(probe.waitForTicks(1));
        QCOMPARE(server.connectionCount(), 1);
    }
    source.stop();
}

void TestCryptoCompareWs::forceDisconnectReconnects()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    behaveLikeStreamer(server);
    CryptoCompareWsSource source(options(server));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::Running));
    server.sendToAll(frame("server_500_force_disconnect_testfixture.json"));
    QVERIFY(waitUntil([&] { return server.connectionCount() >= 2 && subAdds(server) >= 2; }));
    const int down = probe.indexOf(SourceState::NetworkDown);
    QVERIFY(down >= 0);
    QVERIFY(probe.waitForState(SourceState::Running));
    QVERIFY(waitUntil([&] { return probe.indexOf(SourceState::Running, down) > down; }));
    source.stop();
}

void TestCryptoCompareWs::heartbeatsKeepAliveThenStopTriggersReconnect()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    behaveLikeStreamer(server);
    auto opt = options(server);
    opt.idleTimeoutMs = 2000;  // generous: a loaded CI machine may delay the 50 ms beats
    CryptoCompareWsSource source(opt);
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::Running));
    // Heartbeats every 50 ms: 60 of them span well over the idle timeout, on one connection.
    QTimer beat;
    connect(&beat, &QTimer::timeout, &server, [&] { server.sendToAll(frame("server_999_heartbeat_docs.json")); });
    beat.start(50);
    QVERIFY(waitUntil([&] { return source.heartbeats() >= 60; }));
    QCOMPARE(server.connectionCount(), 1);
    // The heartbeats stop: reconnect and subscribe again.
    beat.stop();
    QVERIFY(waitUntil([&] { return server.connectionCount() >= 2 && subAdds(server) >= 2; }));
    const SourceStatus down = probe.firstOf(SourceState::NetworkDown);
    QVERIFY2(down.message.contains(u"heartbeats stopped"_s), qPrintable(down.message));
    source.stop();
}

void TestCryptoCompareWs::garbageFramesKeepConnection()
{
    LocalWsServer server;
    QVERIFY(server.listen());
    behaveLikeStreamer(server);
    CryptoCompareWsSource source(options(server));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::Running));
    const QString trade = frame("server_0_trade_Coinbase_BTC-USD_2025-07-22_RECONSTRUCTED.json");
    server.sendToAll(trade.left(trade.size() / 2));
    server.sendToAll(u"not json"_s);
    server.sendToAll(QString());
    server.sendToAll(u"{\"TYPE\":\"0\",\"FSYM\":\"BTC\"}"_s);
    QVERIFY(waitUntil([&] { return source.malformedFrames() >= 4; }));
    QVERIFY(probe.sawState(SourceState::Malformed));
    QVERIFY(probe.ticks.empty());
    // The trade without P is refused with its reason, counted and shown (not just "unusable").
    QCOMPARE(source.refusalsByReason().value(u"missing_price"_s), qint64(1));
    bool named = false;
    for (const SourceStatus &st : probe.statuses)
        named = named || st.message.contains(u"trade without a numeric P [missing_price]"_s);
    QVERIFY(named);
    server.sendToAll(trade);
    QVERIFY(probe.waitForTicks(1));
    QCOMPARE(server.connectionCount(), 1);
    source.stop();
}

void TestCryptoCompareWs::keyNeverLeaks()
{
    LogCapture logs;
    LocalWsServer server;
    QVERIFY(server.listen());
    behaveLikeStreamer(server);
    server.setOnConnect([](QWebSocket *ws) { ws->sendTextMessage(frame("server_401_unauthorized_docs.json")); });
    CryptoCompareWsSource source(options(server));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return server.connectionCount() >= 3; }));
    source.stop();
    QVERIFY(probe.sawState(SourceState::Unauthorized));
    QVERIFY2(!probe.allMessages().contains(kKey), qPrintable(probe.allMessages()));
    QVERIFY2(!logs.text().contains(kKey), qPrintable(logs.text()));
    QVERIFY(logs.text().contains(u"api_key=***"_s));
}

void TestCryptoCompareWs::rateLimitFrame()
{
    // No captured 429 frame exists; this one follows the documented error-frame shape
    // (TYPE, MESSAGE, INFO) of the 401/500 fixtures.
    LocalWsServer server;
    QVERIFY(server.listen());
    behaveLikeStreamer(server);
    server.setOnConnect([](QWebSocket *ws) {
        ws->sendTextMessage(u"{\"TYPE\":\"429\",\"MESSAGE\":\"TOO_MANY_SOCKETS_MAX_1_PER_CLIENT\",\"INFO\":\"Too many sockets open.\"}"_s);
    });
    CryptoCompareWsSource source(options(server));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::RateLimited));
    QVERIFY(probe.firstOf(SourceState::RateLimited).message.contains(u"TOO_MANY_SOCKETS"_s));
    QVERIFY(probe.firstOf(SourceState::RateLimited).retryAfterMs > 0);
    QVERIFY(waitUntil([&] { return server.connectionCount() >= 2; }));  // tries again later
    source.stop();
    QVERIFY(probe.ticks.empty());
}

QTEST_GUILESS_MAIN(TestCryptoCompareWs)
#include "tst_cryptocompare_ws.moc"
