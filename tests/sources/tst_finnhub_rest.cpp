// FinnhubRestSource against a local HTTP server replaying the Finnhub fixtures.
#include "local_http_server.h"
#include "source_probe.h"
#include "sources/finnhub_rest_source.h"

#include <QTest>
#include <QUrlQuery>

using namespace ms;
using namespace ms::test;
using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"fh-SECRET-token-77c1"_s;

FinnhubRestOptions options(const LocalHttpServer &server, QStringList symbols)
{
    FinnhubRestOptions o;
    o.finnhubUrl = server.baseUrl().toString() + u"/api/v1"_s;
    o.apiKey = kKey;
    o.symbols = std::move(symbols);
    o.pollIntervalMs = 10;
    o.callsPerMinute = 6000;  // 10 ms spacing in tests; 60/min (1 s) in production
    o.requestTimeoutMs = 2000;
    o.backoff = BackoffPolicy{20, 100, 2.0, 0.2};
    return o;
}

HttpReply fixture(const char *name, int status = 200)
{
    return HttpReply::json(readFixture(u"finnhub/rest/"_s + QLatin1String(name)), status);
}

}  // namespace

class TestFinnhubRest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quoteFixtures_data();
    void quoteFixtures();
    void unknownSymbolIsNotFoundAndOthersGoOn();
    void errorFixtures_data();
    void errorFixtures();
    void badBodiesThenRecovery_data();
    void badBodiesThenRecovery();
    void neverAnswersTimesOutThenRecovers();
    void pacingWithinBudget();
    void keyNeverLeaks();
};

void TestFinnhubRest::quoteFixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<double>("price");
    QTest::addColumn<qint64>("t");
    QTest::addColumn<double>("open");
    QTest::addColumn<double>("high");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("pc");
    QTest::newRow("2020 shape (no d/dp)") << u"quote_AAPL_official_doc_sample.json"_s << 261.74 << qint64(1582641000)
                                          << 261.07 << 263.31 << 260.68 << 259.45;
    QTest::newRow("current shape") << u"quote_SPY_2022-12-28_real_from_code_comment.json"_s << 376.66
                                   << qint64(1672261200) << 381.33 << 383.38 << 376.42 << 381.4;
}

void TestFinnhubRest::quoteFixtures()
{
    QFETCH(QString, file);
    QFETCH(double, price);
    QFETCH(qint64, t);
    QFETCH(double, open);
    QFETCH(double, high);
    QFETCH(double, low);
    QFETCH(double, pc);
    LocalHttpServer server;
    QVERIFY(server.listen());
    const QByteArray body = readFixture(u"finnhub/rest/"_s + file);
    server.setFallback([&](const HttpRequestRecord &) { return HttpReply::json(body); });
    FinnhubRestSource source(options(server, {u"AAPL"_s}));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return server.requests().size() >= 3; }));
    source.stop();

    Tick expected;
    expected.source = SourceKind::Finnhub;
    expected.kind = TickKind::Quote;
    expected.asset = AssetClass::Stock;
    expected.symbol = "AAPL";
    expected.currency = "USD";
    expected.price = price;
    expected.volume = 0;
    expected.tsMs = t * 1000;
    expected.id = "q-" + std::to_string(t);
    expected.open = open;
    expected.high = high;
    expected.low = low;
    expected.previousClose = pc;
    QCOMPARE(probe.ticks.size(), size_t(1));  // re-polls of the same quote time add nothing
    QCOMPARE(probe.ticks[0], expected);

    const HttpRequestRecord &req = server.requests().first();
    QCOMPARE(req.url.path(), u"/api/v1/quote"_s);
    QCOMPARE(QUrlQuery(req.url).queryItemValue(u"symbol"_s), u"AAPL"_s);
    QCOMPARE(req.headers.value("x-finnhub-token"), kKey.toUtf8());
    QVERIFY(!req.url.toString().contains(kKey));
}

void TestFinnhubRest::unknownSymbolIsNotFoundAndOthersGoOn()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setFallback([](const HttpRequestRecord &rec) {
        const QString sym = QUrlQuery(rec.url).queryItemValue(u"symbol"_s);
        return sym == u"NOPE" ? fixture("quote_unknown_symbol_http200.json")
                              : fixture("quote_SPY_2022-12-28_real_from_code_comment.json");
    });
    FinnhubRestSource source(options(server, {u"NOPE"_s, u"SPY"_s}));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(waitUntil([&] { return server.requests().size() >= 6; }));
    source.stop();
    QVERIFY(probe.sawState(SourceState::NotFound));
    QVERIFY(probe.firstOf(SourceState::NotFound).message.contains(u"NOPE"_s));
    QCOMPARE(probe.ticks.size(), size_t(1));
    QCOMPARE(probe.ticks[0].symbol, std::string("SPY"));
    // Reported once, not on every round.
    int notFound = 0;
    for (const auto &s : probe.statuses)
        notFound += s.state == SourceState::NotFound;
    QCOMPARE(notFound, 1);
}

void TestFinnhubRest::errorFixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("status");
    QTest::addColumn<SourceState>("state");
    QTest::addColumn<QString>("words");
    QTest::newRow("401 invalid key") << u"error_401_invalid_api_key.json"_s << 401 << SourceState::Unauthorized << u"Invalid API key."_s;
    QTest::newRow("403 no access") << u"error_403_no_access.json"_s << 403 << SourceState::Forbidden << u"access to this resource"_s;
    QTest::newRow("401 no access (2021)") << u"error_403_no_access.json"_s << 401 << SourceState::Unauthorized << u"access"_s;
    QTest::newRow("429 limit") << u"error_429_api_limit.json"_s << 429 << SourceState::RateLimited << u"API limit reached"_s;
    QTest::newRow("429 plain text") << u"error_429_no_token_TEXT.txt"_s << 429 << SourceState::RateLimited << u"sign up"_s;
    QTest::newRow("403 CFD") << u"error_cfd_indices_subscription.json"_s << 403 << SourceState::Forbidden << u"CFD indices"_s;
}

void TestFinnhubRest::errorFixtures()
{
    QFETCH(QString, file);
    QFETCH(int, status);
    QFETCH(SourceState, state);
    QFETCH(QString, words);
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(HttpReply::json(readFixture(u"finnhub/rest/"_s + file), status));
    server.setFallback([](const HttpRequestRecord &) { return HttpReply{200, {}, {}, HttpReply::Mode::NeverAnswer}; });
    FinnhubRestSource source(options(server, {u"AAPL"_s}));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForState(state));
    QVERIFY2(probe.firstOf(state).message.contains(words), qPrintable(probe.firstOf(state).message));
    QVERIFY(probe.ticks.empty());
    source.stop();
}

void TestFinnhubRest::badBodiesThenRecovery_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("mode");
    const QByteArray good = readFixture(u"finnhub/rest/quote_SPY_2022-12-28_real_from_code_comment.json"_s);
    QTest::newRow("empty") << QByteArray() << int(HttpReply::Mode::Normal);
    QTest::newRow("truncated") << good.left(30) << int(HttpReply::Mode::Normal);
    QTest::newRow("garbage") << QByteArray("\x01\x02not json") << int(HttpReply::Mode::Normal);
    QTest::newRow("no price") << QByteArray("{\"t\":1672261200}") << int(HttpReply::Mode::Normal);
    QTest::newRow("closed mid-response") << good << int(HttpReply::Mode::CloseMidBody);
    QTest::newRow("connection reset") << good << int(HttpReply::Mode::CloseImmediately);
}

void TestFinnhubRest::badBodiesThenRecovery()
{
    QFETCH(QByteArray, body);
    QFETCH(int, mode);
    LocalHttpServer server;
    QVERIFY(server.listen());
    HttpReply bad = HttpReply::json(body);
    bad.mode = HttpReply::Mode(mode);
    // Three times: Qt's network stack silently re-sends a GET once when a connection dies before
    // any byte of the answer.
    for (int i = 0; i < 3; ++i)
        server.enqueue(bad);
    server.setFallback([](const HttpRequestRecord &) { return fixture("quote_SPY_2022-12-28_real_from_code_comment.json"); });
    FinnhubRestSource source(options(server, {u"SPY"_s}));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForTicks(1));
    source.stop();
    const SourceState expected = mode == int(HttpReply::Mode::Normal) ? SourceState::Malformed : SourceState::NetworkDown;
    const int bad1 = probe.indexOf(expected);
    QVERIFY2(bad1 >= 0, qPrintable(probe.allMessages()));
    QVERIFY(probe.indexOf(SourceState::Running, bad1) > bad1);
    QCOMPARE(probe.ticks.size(), size_t(1));
}

void TestFinnhubRest::neverAnswersTimesOutThenRecovers()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(HttpReply{200, {}, {}, HttpReply::Mode::NeverAnswer});
    server.setFallback([](const HttpRequestRecord &) { return fixture("quote_SPY_2022-12-28_real_from_code_comment.json"); });
    auto opt = options(server, {u"SPY"_s});
    opt.requestTimeoutMs = 300;
    FinnhubRestSource source(opt);
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForTicks(1));
    source.stop();
    const int down = probe.indexOf(SourceState::NetworkDown);
    QVERIFY(down >= 0);
    QVERIFY(probe.indexOf(SourceState::Running, down) > down);
}

void TestFinnhubRest::pacingWithinBudget()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setFallback([](const HttpRequestRecord &) { return fixture("quote_AAPL_official_doc_sample.json"); });
    // Production budget: 60 calls/min → one call per second whatever the poll interval asks.
    FinnhubRestOptions prod = options(server, {u"AAPL"_s, u"MSFT"_s, u"GOOGL"_s});
    prod.callsPerMinute = 60;
    prod.pollIntervalMs = 100;
    QCOMPARE(FinnhubRestSource(prod).callSpacingMs(), qint64(1000));
    prod.pollIntervalMs = 30000;  // 3 symbols every 30 s → one call every 10 s
    QCOMPARE(FinnhubRestSource(prod).callSpacingMs(), qint64(10000));

    // Running: never two requests at once, symbols in turn.
    auto opt = options(server, {u"AAPL"_s, u"MSFT"_s, u"GOOGL"_s});
    FinnhubRestSource source(opt);
    source.start();
    QVERIFY(waitUntil([&] { return server.requests().size() >= 9; }));
    source.stop();
    QCOMPARE(server.maxConcurrent(), 1);
    for (int i = 0; i < 9; ++i)
        QCOMPARE(QUrlQuery(server.requests()[i].url).queryItemValue(u"symbol"_s), opt.symbols[i % 3]);
    // Printed, not asserted: the gaps the server saw.
    QStringList gaps;
    for (int i = 1; i < 9; ++i)
        gaps << QString::number(server.requests()[i].receivedAtMs - server.requests()[i - 1].receivedAtMs);
    qInfo("request gaps at %lld ms spacing: %s", source.callSpacingMs(), qPrintable(gaps.join(u' ')));
}

void TestFinnhubRest::keyNeverLeaks()
{
    LogCapture logs;
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(fixture("error_401_invalid_api_key.json", 401));
    server.enqueue(HttpReply::json("token " + kKey.toUtf8() + " is not valid", 403));
    server.enqueue(fixture("error_429_no_token_TEXT.txt", 429));
    server.enqueue(HttpReply{200, {}, {}, HttpReply::Mode::CloseImmediately});
    server.setFallback([](const HttpRequestRecord &) { return fixture("quote_SPY_2022-12-28_real_from_code_comment.json"); });
    FinnhubRestSource source(options(server, {u"SPY"_s}));
    SourceProbe probe;
    probe.attach(source);
    source.start();
    QVERIFY(probe.waitForTicks(1));
    source.stop();
    QVERIFY(probe.statuses.size() >= 5);
    QVERIFY(probe.allMessages().contains(u"***"_s));  // the echoed key was replaced
    QVERIFY2(!probe.allMessages().contains(kKey), qPrintable(probe.allMessages()));
    QVERIFY2(!logs.text().contains(kKey), qPrintable(logs.text()));
}

QTEST_GUILESS_MAIN(TestFinnhubRest)
#include "tst_finnhub_rest.moc"
