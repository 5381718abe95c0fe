// CryptoCompareRestSource against a local HTTP server replaying the CryptoCompare fixtures.
#include "local_http_server.h"
#include "source_probe.h"
#include "sources/cryptocompare_rest_source.h"

#include <QTest>
#include <QUrlQuery>

using namespace ms;
using namespace ms::test;
using namespace Qt::StringLiterals;

namespace {

const QString kKey = QStringLiteral("cc-SECRET-key-5f3a9");

Tick quote(const char *sym, const char *cur, double price, qint64 lastUpdate, double lastVolume, double o,
           double h, double l, std::optional<double> pc)
{
    Tick t;
    t.source = SourceKind::CryptoCompare;
    t.kind = TickKind::Quote;
    t.asset = AssetClass::Crypto;
    t.symbol = sym;
    t.currency = cur;
    t.price = price;
    t.volume = lastVolume;
    t.tsMs = lastUpdate * 1000;
    t.id = std::string("q-") + cur + "-" + std::to_string(lastUpdate);
    t.open = o;
    t.high = h;
    t.low = l;
    t.previousClose = pc;
    return t;
}

CryptoCompareRestOptions options(const LocalHttpServer &server, QStringList symbols, QString currency)
{
    CryptoCompareRestOptions o;
    o.cryptoCompareUrl = server.baseUrl().toString();
    o.apiKey = kKey;
    o.symbols = std::move(symbols);
    o.currency = std::move(currency);
    o.pollIntervalMs = 20;
    o.requestTimeoutMs = 2000;
    o.backoff = BackoffPolicy{20, 100, 2.0, 0.2};
    return o;
}

}  // namespace

Q_DECLARE_METATYPE(std::vector<ms::Tick>)

class TestCryptoCompareRest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void successFixtures_data();
    void successFixtures();
    void unchangedLastUpdateGivesNoTick();
    void errorFixtures_data();
    void errorFixtures();
    void rateLimitCooldownRespected();
    void badBodies_data();
    void badBodies();
    void closedMidResponseThenRecovers();
    void neverAnswersTimesOutThenRecovers();
    void connectionRefused();
    void keyNeverLeaks();
};

void TestCryptoCompareRest::successFixtures_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QStringList>("symbols");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<std::vector<Tick>>("expected");

    QTest::newRow("2017 (FLAGS string, numeric LASTTRADEID, no OPENDAY)")
        << u"cryptocompare/rest/pricemultifull_BTC_USD_2017-09-07_vcr_body.json"_s << QStringList{u"BTC"_s} << u"USD"_s
        << std::vector<Tick>{quote("BTC", "USD", 4563.88, 1504754372, 2.19e-06, 4497.45, 4667.54, 4386.52, std::nullopt)};
    QTest::newRow("2021 two currencies")
        << u"cryptocompare/rest/pricemultifull_BTC_USD-EUR_2021-04-10.json"_s << QStringList{u"BTC"_s} << u"USD,EUR"_s
        << std::vector<Tick>{quote("BTC", "USD", 59692.06, 1618082612, 0.00080086, 58365.92, 61222.49, 57866.04, 58106.74),
                             quote("BTC", "EUR", 49897.2, 1618082610, 0.00022, 49095.49, 50874.46, 48733.06, 48922.72)};
    QTest::newRow("2022 two symbols")
        << u"cryptocompare/rest/pricemultifull_BTC-ETH_USD_2022-08-09_DERIVED.json"_s << QStringList{u"BTC"_s, u"ETH"_s} << u"USD"_s
        << std::vector<Tick>{quote("BTC", "USD", 23814.6, 1660013928, 0.00624648, 23306.6, 24251.9, 23258.27, 23817.7),
                             quote("ETH", "USD", 1774.25, 1660013928, 0.07259692, 1715.14, 1818.17, 1708.2, 1778)};
    QTest::newRow("2023 (CONVERSIONLASTUPDATE, extra fields)")
        << u"cryptocompare/rest/pricemultifull_BTC_USD_2023-09-01_from_code_comment.json"_s << QStringList{u"BTC"_s} << u"USD"_s
        << std::vector<Tick>{quote("BTC", "USD", 26014.13, 1693530679, 0.00013771, 27198.15, 27574.12, 25670.77, 25935.96)};
}

void TestCryptoCompareRest::successFixtures()
{
    QFETCH(QString, fixture);
    QFETCH(QStringList, symbols);
    QFETCH(QString, currency);
    QFETCH(std::vector<Tick>, expected);

    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(HttpReply::json(readFixture(fixture)));
    server.setFallback([](const HttpRequestRecord &) { return HttpReply{200, {}, {}, HttpReply::Mode::NeverAnswer}; });
    CryptoCompareRestSource source(options(server, symbols, currency));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForTicks(expected.size()));
    QCOMPARE(probe.ticks.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        QCOMPARE(probe.ticks[i], expected[i]);
    QVERIFY(probe.sawState(SourceState::Running));

    // The request: RAW endpoint, the pairs asked for, the key in the header and not in the URL.
    const HttpRequestRecord &req = server.requests().first();
    QCOMPARE(req.url.path(), QStringLiteral("/data/pricemultifull"));
    QUrlQuery q(req.url);
    QCOMPARE(q.queryItemValue(QStringLiteral("fsyms")), symbols.join(u','));
    QCOMPARE(q.queryItemValue(QStringLiteral("tsyms")), currency);
    QCOMPARE(req.headers.value("authorization"), "Apikey " + kKey.toUtf8());
    QVERIFY(!req.url.toString().contains(kKey));
    source.stop();
    QCOMPARE(probe.finished, 1);
    QVERIFY(source.status().state == SourceState::Stopped);
}

void TestCryptoCompareRest::unchangedLastUpdateGivesNoTick()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    const QByteArray body = readFixture(QStringLiteral("cryptocompare/rest/pricemultifull_BTC-ETH_USD_2022-08-09_DERIVED.json"));
    server.setFallback([&](const HttpRequestRecord &) { return HttpReply::json(body); });
    CryptoCompareRestSource source(options(server, {u"BTC"_s, u"ETH"_s}, u"USD"_s));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return server.requests().size() >= 4; }));
    source.stop();
    QCOMPARE(probe.ticks.size(), size_t(2));  // four identical polls, one tick per pair
    QVERIFY(source.pollCount() >= 4);
}

void TestCryptoCompareRest::errorFixtures_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<SourceState>("state");
    QTest::addColumn<QString>("words");
    QTest::newRow("rate limit 2021") << u"cryptocompare/rest/error_rate_limit_body_2021-01-26_telliot388.json"_s
                                     << SourceState::RateLimited << u"rate limit"_s;
    QTest::newRow("rate limit 2024") << u"cryptocompare/rest/error_rate_limit_body_2024-07-29.json"_s
                                     << SourceState::RateLimited << u"rate limit"_s;
    QTest::newRow("rate limit cooldown") << u"cryptocompare/rest/error_rate_limit_with_cooldown_body.json"_s
                                         << SourceState::RateLimited << u"cooldown 406 s"_s;
    QTest::newRow("no data for symbol") << u"cryptocompare/rest/error_no_data_for_symbol.json"_s
                                        << SourceState::NotFound << u"There is no data for the symbol BTCCC"_s;
    QTest::newRow("no data for tsyms") << u"cryptocompare/rest/error_no_data_for_tsyms_pricehistorical.json"_s
                                       << SourceState::NotFound << u"toSymbols USD"_s;
    QTest::newRow("fsym missing") << u"cryptocompare/rest/error_fsym_missing.json"_s << SourceState::Malformed
                                  << u"fsym param seems to be missing"_s;
    QTest::newRow("synthetic Type 1") << u"cryptocompare/rest/error_fixture_joancaron.json"_s << SourceState::Malformed
                                      << u"Type 1"_s;
}

void TestCryptoCompareRest::errorFixtures()
{
    QFETCH(QString, fixture);
    QFETCH(SourceState, state);
    QFETCH(QString, words);
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(HttpReply::json(readFixture(fixture)));  // HTTP 200, as CryptoCompare does
    server.setFallback([](const HttpRequestRecord &) { return HttpReply{200, {}, {}, HttpReply::Mode::NeverAnswer}; });
    CryptoCompareRestSource source(options(server, {u"BTC"_s}, u"USD"_s));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(state));
    const SourceStatus st = probe.firstOf(state);
    QVERIFY2(st.message.contains(words), qPrintable(st.message));
    QVERIFY(st.retryAfterMs > 0);
    QVERIFY(probe.ticks.empty());
    QVERIFY(!probe.sawState(SourceState::Running));
    source.stop();
}

void TestCryptoCompareRest::rateLimitCooldownRespected()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setFallback([](const HttpRequestRecord &) {
        return HttpReply::json(readFixture(QStringLiteral("cryptocompare/rest/error_rate_limit_with_cooldown_body.json")));
    });
    CryptoCompareRestSource source(options(server, {u"BTC"_s}, u"USD"_s));  // poll 20 ms, backoff 20 ms
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(SourceState::RateLimited));
    QCOMPARE(probe.firstOf(SourceState::RateLimited).retryAfterMs, qint64(406000));
    // Many poll intervals and backoff steps later, still only the one request: the cooldown holds.
    QTest::qWait(400);
    QCOMPARE(server.requests().size(), 1);
    source.stop();
}

void TestCryptoCompareRest::badBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<SourceState>("state");
    const QByteArray good = readFixture(QStringLiteral("cryptocompare/rest/pricemultifull_BTC_USD_2023-09-01_from_code_comment.json"));
    QTest::newRow("empty") << QByteArray() << 200 << SourceState::Malformed;
    QTest::newRow("truncated") << good.left(good.size() / 3) << 200 << SourceState::Malformed;
    QTest::newRow("garbage") << QByteArray("<html>502 Bad Gateway</html>") << 200 << SourceState::Malformed;
    QTest::newRow("array") << QByteArray("[1,2,3]") << 200 << SourceState::Malformed;
    QTest::newRow("no RAW") << QByteArray("{\"DISPLAY\":{}}") << 200 << SourceState::Malformed;
    // The pair is there but unusable: a refusal with its reason, not "no data".
    QTest::newRow("RAW without PRICE") << QByteArray("{\"RAW\":{\"BTC\":{\"USD\":{\"LASTUPDATE\":1693530679}}}}") << 200
                                       << SourceState::Malformed;
    QTest::newRow("HTTP 401") << QByteArray("{}") << 401 << SourceState::Unauthorized;
    QTest::newRow("HTTP 403") << QByteArray("{}") << 403 << SourceState::Forbidden;
    QTest::newRow("HTTP 429") << QByteArray("{}") << 429 << SourceState::RateLimited;
    QTest::newRow("HTTP 503") << QByteArray("oops") << 503 << SourceState::NetworkDown;
}

void TestCryptoCompareRest::badBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(SourceState, state);
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(HttpReply::json(body, status));
    const QByteArray good = readFixture(QStringLiteral("cryptocompare/rest/pricemultifull_BTC_USD_2023-09-01_from_code_comment.json"));
    server.setFallback([&](const HttpRequestRecord &) { return HttpReply::json(good); });
    CryptoCompareRestSource source(options(server, {u"BTC"_s}, u"USD"_s));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(state));
    const int bad = probe.indexOf(state);
    QVERIFY(probe.ticks.empty() || probe.indexOf(SourceState::Running) > bad);
    if (QByteArrayView(QTest::currentDataTag()) == "RAW without PRICE") {
        QCOMPARE(source.refusalsByReason().value(u"missing_price"_s), qint64(1));
        const QString said = probe.firstOf(SourceState::Malformed).message;
        QVERIFY2(said.contains(u"(BTC/USD): aggregate without a numeric PRICE [missing_price]"_s), qPrintable(said));
    }
    // Automatic recovery: the next answer is good.
    QVERIFY(probe.waitForTicks(1));
    QVERIFY(probe.indexOf(SourceState::Running, bad) > bad);
    QCOMPARE(probe.ticks.size(), size_t(1));
    QCOMPARE(probe.ticks[0].price, 26014.13);
    source.stop();
}

void TestCryptoCompareRest::closedMidResponseThenRecovers()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    const QByteArray good = readFixture(QStringLiteral("cryptocompare/rest/pricemultifull_BTC_USD_2023-09-01_from_code_comment.json"));
    HttpReply cut = HttpReply::json(good);
    cut.mode = HttpReply::Mode::CloseMidBody;
    server.enqueue(cut);
    server.setFallback([&](const HttpRequestRecord &) { return HttpReply::json(good); });
    CryptoCompareRestSource source(options(server, {u"BTC"_s}, u"USD"_s));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForTicks(1));
    const int down = probe.indexOf(SourceState::NetworkDown);
    QVERIFY2(down >= 0, qPrintable(probe.allMessages()));
    QVERIFY(probe.indexOf(SourceState::Running, down) > down);
    QCOMPARE(probe.ticks.size(), size_t(1));
    source.stop();
}

void TestCryptoCompareRest::neverAnswersTimesOutThenRecovers()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(HttpReply{200, {}, {}, HttpReply::Mode::NeverAnswer});
    const QByteArray good = readFixture(QStringLiteral("cryptocompare/rest/pricemultifull_BTC_USD_2023-09-01_from_code_comment.json"));
    server.setFallback([&](const HttpRequestRecord &) { return HttpReply::json(good); });
    auto opt = options(server, {u"BTC"_s}, u"USD"_s);
    opt.requestTimeoutMs = 300;
    CryptoCompareRestSource source(opt);
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForTicks(1));
    const int down = probe.indexOf(SourceState::NetworkDown);
    QVERIFY2(down >= 0, qPrintable(probe.allMessages()));
    QVERIFY(probe.statuses[down].message.contains(QStringLiteral("300 ms")));
    QVERIFY(probe.indexOf(SourceState::Running, down) > down);
    source.stop();
}

void TestCryptoCompareRest::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probePort;
        QVERIFY(probePort.listen(QHostAddress::LocalHost, 0));
        port = probePort.serverPort();
    }  // closed: nothing listens there now
    CryptoCompareRestOptions o;
    o.cryptoCompareUrl = QStringLiteral("http://127.0.0.1:%1").arg(port);
    o.apiKey = kKey;
    o.symbols = {u"BTC"_s};
    o.backoff = BackoffPolicy{50, 1000, 2.0, 0.2};
    CryptoCompareRestSource source(o);
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return probe.statuses.size() >= 4; }));  // connecting + 3 failures
    source.stop();
    QVERIFY(probe.sawState(SourceState::NetworkDown));
    QVERIFY(probe.ticks.empty());
    // Exponential: the announced delays grow.
    QList<qint64> delays;
    for (const auto &s : probe.statuses)
        if (s.state == SourceState::NetworkDown)
            delays << s.retryAfterMs;
    QVERIFY(delays.size() >= 3);
    QVERIFY(delays[2] > delays[0]);
}

void TestCryptoCompareRest::keyNeverLeaks()
{
    LogCapture logs;
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(HttpReply::json("{}", 401));
    server.enqueue(HttpReply::json(readFixture(QStringLiteral("cryptocompare/rest/error_rate_limit_body_2024-07-29.json"))));
    server.enqueue(HttpReply{200, "{\"RAW\":", {}, HttpReply::Mode::CloseMidBody});
    server.enqueue(HttpReply::json("garbage " + kKey.toUtf8()));
    server.setFallback([](const HttpRequestRecord &) {
        return HttpReply::json(readFixture(QStringLiteral("cryptocompare/rest/pricemultifull_BTC_USD_2023-09-01_from_code_comment.json")));
    });
    CryptoCompareRestSource source(options(server, {u"BTC"_s}, u"USD"_s));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForTicks(1));
    source.stop();
    QVERIFY(probe.statuses.size() >= 5);
    QVERIFY(logs.lineCount() >= 4);
    QVERIFY2(!probe.allMessages().contains(kKey), qPrintable(probe.allMessages()));
    QVERIFY2(!logs.text().contains(kKey), qPrintable(logs.text()));
}

QTEST_GUILESS_MAIN(TestCryptoCompareRest)
#include "tst_cryptocompare_rest.moc"
