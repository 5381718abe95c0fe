// Backfill against a local HTTP server: exact candles from the histominute fixtures, paging with
// toTs/limit, the open last candle, progress, rate-limit retries, unknown symbols.
#include "local_http_server.h"
#include "source_probe.h"
#include "sources/backfill.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <set>

using namespace ms;
using namespace ms::test;
using namespace Qt::StringLiterals;

namespace {

// A page in the data/v2/histominute shape (keys as in the fixtures), N+1 candles ending at toTs.
QByteArray syntheticPage(qint64 toTs, int limit, int interval)
{
    QJsonArray data;
    for (qint64 t = toTs - qint64(limit) * interval; t <= toTs; t += interval) {
        const double p = 100.0 + double(t % 1000) / 10.0;
        data.append(QJsonObject{{"time"_L1, double(t)}, {"high"_L1, p + 1}, {"low"_L1, p - 1}, {"open"_L1, p},
                                {"volumefrom"_L1, 2.0}, {"volumeto"_L1, 2.0 * p}, {"close"_L1, p + 0.5},
                                {"conversionType"_L1, "direct"_L1}, {"conversionSymbol"_L1, ""_L1}});
    }
    QJsonObject inner{{"Aggregated"_L1, false}, {"TimeFrom"_L1, double(toTs - qint64(limit) * interval)},
                      {"TimeTo"_L1, double(toTs)}, {"Data"_L1, data}};
    return QJsonDocument(QJsonObject{{"Response"_L1, "Success"_L1}, {"Message"_L1, ""_L1}, {"HasWarning"_L1, false},
                                     {"Type"_L1, 100}, {"RateLimit"_L1, QJsonObject{}}, {"Data"_L1, inner}})
        .toJson(QJsonDocument::Compact);
}

HttpReply serveSynthetic(const HttpRequestRecord &rec)
{
    const QUrlQuery q(rec.url);
    const int interval = rec.url.path().endsWith(u"histohour"_s) ? 3600 : 60;
    return HttpReply::json(syntheticPage(q.queryItemValue(u"toTs"_s).toLongLong(), q.queryItemValue(u"limit"_s).toInt(), interval));
}

BackfillOptions options(const LocalHttpServer &server, qint64 fromMs, qint64 toMs)
{
    BackfillOptions o;
    o.cryptoCompareUrl = server.baseUrl().toString();
    o.apiKey = u"bf-SECRET-3c3c"_s;
    o.symbols = {u"BTC"_s};
    o.fromMs = fromMs;
    o.toMs = toMs;
    o.backoff = BackoffPolicy{20, 100, 2.0, 0.2};
    o.clock = [] { return qint64(4000000000000); };  // far future: every candle is closed
    return o;
}

struct Run
{
    std::vector<Candle> candles;
    bool done = false, ok = false;
    QString summary;
    QList<double> progress;
    QList<SourceStatus> statuses;

    void attach(Backfill &b)
    {
        b.setCandleHandler([this](std::span<const Candle> c) { candles.insert(candles.end(), c.begin(), c.end()); });
        QObject::connect(&b, &Backfill::finished, &b, [this](bool k, const QString &s) { done = true; ok = k; summary = s; });
        QObject::connect(&b, &Backfill::progress, &b, [this](double f) { progress.append(f); });
        QObject::connect(&b, &Backfill::statusChanged, &b, [this](const SourceStatus &s) { statuses.append(s); });
    }
};

}  // namespace

class TestBackfill : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exactCandlesAndOpenLastCandle();
    void truncatedFixtureTwentyCandles();
    void pagingCoversRangeOnce();
    void hourlyAndSeveralSymbolsProgress();
    void rateLimitRetriedThenSucceeds();
    void cooldownAnnounced();
    void unknownSymbolReportedOthersContinue();
    void invalidOptions();
};

void TestBackfill::exactCandlesAndOpenLastCandle()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(HttpReply::json(readFixture(u"cryptocompare/rest/histominute_v2_BTC-USD_limit1_2020-01-18_chorzkie.json"_s)));
    auto opt = options(server, 1579351560000, 1579351680000);
    opt.clock = [] { return qint64(1579351650000); };  // inside the second minute: still open
    Backfill backfill(opt);
    Run run;
    run.attach(backfill);
    backfill.start();
    QVERIFY(waitUntil([&] { return run.done; }));
    QVERIFY2(run.ok, qPrintable(run.summary));
    QCOMPARE(server.requests().size(), 1);
    const QUrlQuery q(server.requests()[0].url);
    QCOMPARE(server.requests()[0].url.path(), u"/data/v2/histominute"_s);
    QCOMPARE(q.queryItemValue(u"fsym"_s), u"BTC"_s);
    QCOMPARE(q.queryItemValue(u"tsym"_s), u"USD"_s);
    QCOMPARE(q.queryItemValue(u"toTs"_s), u"1579351620"_s);
    QCOMPARE(q.queryItemValue(u"limit"_s), u"1"_s);
    QCOMPARE(server.requests()[0].headers.value("authorization"), QByteArray("Apikey bf-SECRET-3c3c"));

    QCOMPARE(run.candles.size(), size_t(2));
    Candle a;
    a.symbol = "BTC";
    a.currency = "USD";
    a.asset = AssetClass::Crypto;
    a.intervalSec = 60;
    a.bucketStartMs = 1579351560000;
    a.open = 8901.9;
    a.high = 8902.45;
    a.low = 8900;
    a.close = 8901.88;
    a.volume = 1.591;
    a.vwap = 14189.52 / 1.591;
    a.trades = 0;
    a.firstTsMs = 1579351560000;
    a.lastTsMs = 1579351619999;
    a.final = true;
    QCOMPARE(run.candles[0], a);
    Candle b = a;
    b.bucketStartMs = 1579351620000;
    b.open = 8901.88;
    b.high = 8901.88;
    b.low = 8898.04;
    b.close = 8898.04;
    b.volume = 0;
    b.vwap = 8898.04;  // no volume: the close
    b.firstTsMs = 1579351620000;
    b.lastTsMs = 1579351679999;
    b.final = false;   // the open minute
    QCOMPARE(run.candles[1], b);
    QCOMPARE(run.progress.last(), 1.0);
}

void TestBackfill::truncatedFixtureTwentyCandles()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(HttpReply::json(readFixture(u"cryptocompare/rest/histominute_v2_BTC-USD_2021-11-21_TRUNCATED.json"_s)));
    Backfill backfill(options(server, 1637494680000, 1637494680000 + 20 * 60000));
    Run run;
    run.attach(backfill);
    backfill.start();
    QVERIFY(waitUntil([&] { return run.done; }));
    QVERIFY2(run.ok, qPrintable(run.summary));
    QCOMPARE(run.candles.size(), size_t(20));
    QCOMPARE(run.candles.front().bucketStartMs, qint64(1637494680000));
    QCOMPARE(run.candles.front().open, 58796.21);
    QCOMPARE(run.candles.front().close, 58852.76);
    QCOMPARE(run.candles.front().volume, 6.761);
    QCOMPARE(run.candles.back().bucketStartMs, qint64(1637494680000 + 19 * 60000));
    for (size_t i = 1; i < run.candles.size(); ++i)
        QCOMPARE(run.candles[i].bucketStartMs - run.candles[i - 1].bucketStartMs, qint64(60000));
}

void TestBackfill::pagingCoversRangeOnce()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setFallback(serveSynthetic);
    const qint64 from = 1700000000000 - 1700000000000 % 60000;
    const qint64 to = from + 5000 * 60000LL;
    Backfill backfill(options(server, from, to));
    Run run;
    run.attach(backfill);
    QSignalSpy pages(&backfill, &Backfill::pageDone);
    backfill.start();
    QVERIFY(waitUntil([&] { return run.done; }));
    QVERIFY2(run.ok, qPrintable(run.summary));
    QCOMPARE(server.requests().size(), 3);  // 2001 + 2001 + 998 candles
    QCOMPARE(pages.size(), 3);
    QCOMPARE(QUrlQuery(server.requests()[0].url).queryItemValue(u"toTs"_s).toLongLong(), (to - 60000) / 1000);
    QCOMPARE(QUrlQuery(server.requests()[0].url).queryItemValue(u"limit"_s), u"2000"_s);
    QCOMPARE(QUrlQuery(server.requests()[2].url).queryItemValue(u"limit"_s), u"997"_s);
    std::set<qint64> buckets;
    for (const Candle &c : run.candles) {
        QVERIFY(c.bucketStartMs >= from && c.bucketStartMs < to);
        QVERIFY(c.final);
        buckets.insert(c.bucketStartMs);
    }
    QCOMPARE(run.candles.size(), size_t(5000));
    QCOMPARE(buckets.size(), size_t(5000));  // each bucket exactly once
    QCOMPARE(backfill.pagesFetched(), 3);
    QVERIFY(std::is_sorted(run.progress.begin(), run.progress.end()));
    QCOMPARE(run.progress.first(), 0.0);
    QCOMPARE(run.progress.last(), 1.0);
}

void TestBackfill::hourlyAndSeveralSymbolsProgress()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setFallback(serveSynthetic);
    const qint64 from = 1700000000000 - 1700000000000 % 3600000;
    auto opt = options(server, from, from + 48 * 3600000LL);
    opt.intervalSec = 3600;
    opt.symbols = {u"BTC"_s, u"ETH"_s};
    opt.limit = 10;
    Backfill backfill(opt);
    Run run;
    run.attach(backfill);
    backfill.start();
    QVERIFY(waitUntil([&] { return run.done; }));
    QVERIFY(run.ok);
    QCOMPARE(server.requests()[0].url.path(), u"/data/v2/histohour"_s);
    QCOMPARE(run.candles.size(), size_t(96));
    QCOMPARE(run.candles.front().intervalSec, 3600);
    QCOMPARE(server.requests().size(), 10);  // 5 pages of up to 11 candles per symbol
    QVERIFY(std::is_sorted(run.progress.begin(), run.progress.end()));
    QVERIFY(run.progress.contains(0.5));  // BTC done, ETH not started
    QCOMPARE(run.progress.last(), 1.0);
}

void TestBackfill::rateLimitRetriedThenSucceeds()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(HttpReply::json(readFixture(u"cryptocompare/rest/error_rate_limit_body_2024-07-29.json"_s)));
    const qint64 from = 1700000000000 - 1700000000000 % 60000;
    server.enqueue(HttpReply{200, syntheticPage(from / 1000 + 9 * 60, 9, 60), {}, HttpReply::Mode::CloseMidBody});
    server.enqueue(HttpReply::json("{\"Response\":\"Success\",\"Data\":{\"Data\":[{\"time\":"));
    server.setFallback(serveSynthetic);
    Backfill backfill(options(server, from, from + 10 * 60000));
    Run run;
    run.attach(backfill);
    backfill.start();
    QVERIFY(waitUntil([&] { return run.done; }));
    QVERIFY2(run.ok, qPrintable(run.summary));
    QCOMPARE(run.candles.size(), size_t(10));
    QCOMPARE(run.statuses.size(), 3);
    QVERIFY(run.statuses[0].state == SourceState::RateLimited);
    QVERIFY(run.statuses[1].state == SourceState::NetworkDown);
    QVERIFY(run.statuses[2].state == SourceState::Malformed);
    QVERIFY(!run.statuses[0].message.contains(u"bf-SECRET"_s));
}

void TestBackfill::cooldownAnnounced()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setFallback([](const HttpRequestRecord &) {
        return HttpReply::json(readFixture(u"cryptocompare/rest/error_rate_limit_with_cooldown_body.json"_s));
    });
    Backfill backfill(options(server, 1700000000000, 1700000600000));
    Run run;
    run.attach(backfill);
    backfill.start();
    QVERIFY(waitUntil([&] { return !run.statuses.isEmpty(); }));
    QCOMPARE(run.statuses[0].retryAfterMs, qint64(406000));
    QTest::qWait(200);
    QCOMPARE(server.requests().size(), 1);  // waiting out the cooldown
    backfill.cancel();
    QVERIFY(run.done && !run.ok);
}

void TestBackfill::unknownSymbolReportedOthersContinue()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setFallback([](const HttpRequestRecord &rec) {
        if (QUrlQuery(rec.url).queryItemValue(u"fsym"_s) == u"BTCCC")
            return HttpReply::json(readFixture(u"cryptocompare/rest/error_no_data_for_symbol.json"_s));
        return serveSynthetic(rec);
    });
    const qint64 from = 1700000000000 - 1700000000000 % 60000;
    auto opt = options(server, from, from + 5 * 60000);
    opt.symbols = {u"BTCCC"_s, u"ETH"_s};
    Backfill backfill(opt);
    Run run;
    run.attach(backfill);
    backfill.start();
    QVERIFY(waitUntil([&] { return run.done; }));
    QVERIFY(!run.ok);
    QVERIFY2(run.summary.contains(u"There is no data for the symbol BTCCC"_s), qPrintable(run.summary));
    QCOMPARE(run.candles.size(), size_t(5));
    QCOMPARE(run.candles.front().symbol, std::string("ETH"));
}

void TestBackfill::invalidOptions()
{
    BackfillOptions o;
    o.fromMs = 2000;
    o.toMs = 1000;
    QVERIFY(!Backfill(o).validate().ok());
    o.toMs = 3000;
    o.intervalSec = 300;
    QVERIFY(Backfill(o).validate().errorMessage().contains(u"1m or 1h"_s));
    o.intervalSec = 60;
    o.symbols.clear();
    QVERIFY(!Backfill(o).validate().ok());
}

QTEST_GUILESS_MAIN(TestBackfill)
#include "tst_backfill.moc"
