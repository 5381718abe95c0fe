// The shared pieces: backoff, URL redaction, tolerant JSON readers, aggregate → quote mapping.
#include "sources/backoff.h"
#include "sources/cryptocompare_parse.h"
#include "sources/finnhub_parse.h"
#include "sources/json_fields.h"
#include "sources/url_redaction.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ms;
using namespace Qt::StringLiterals;

class TestSourceHelpers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void backoffGrowsWithJitterAndCaps();
    void redaction_data();
    void redaction();
    void tolerantFields();
    void aggregateTypeDriftAndNulls();
    void finnhubQuoteEdgeCases();
    void cryptoCompareLists();
};

// The lists both CryptoCompare clients send (one function, so REST and streamer cannot drift).
void TestSourceHelpers::cryptoCompareLists()
{
    QCOMPARE(cryptocompare::currencyList(u" usd, eur ,,"_s), (QStringList{u"USD"_s, u"EUR"_s}));
    QCOMPARE(cryptocompare::currencyList(u" , "_s), QStringList{u"USD"_s});
    QCOMPARE(cryptocompare::symbolList({u" btc"_s, u""_s, u"Eth "_s, u"  "_s}), (QStringList{u"BTC"_s, u"ETH"_s}));
}

void TestSourceHelpers::backoffGrowsWithJitterAndCaps()
{
    Backoff plain(BackoffPolicy{100, 1000, 2.0, 0.0});
    QList<qint64> d;
    for (int i = 0; i < 6; ++i)
        d << plain.nextDelayMs();
    QCOMPARE(d, (QList<qint64>{100, 200, 400, 800, 1000, 1000}));
    plain.reset();
    QCOMPARE(plain.nextDelayMs(), qint64(100));

    Backoff a(BackoffPolicy{1000, 60000, 2.0, 0.2}, 1), b(BackoffPolicy{1000, 60000, 2.0, 0.2}, 2);
    bool differ = false;
    for (int i = 0; i < 8; ++i) {
        const qint64 base = a.peekBaseMs();
        const qint64 x = a.nextDelayMs(), y = b.nextDelayMs();
        QVERIFY(x >= qint64(base * 0.8) && x <= qint64(base * 1.2) + 1);
        differ |= x != y;
    }
    QVERIFY(differ);  // two clients do not retry in lockstep
}

void TestSourceHelpers::redaction_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("api_key") << u"wss://streamer.cryptocompare.com/v2?api_key=abc123"_s
                             << u"wss://streamer.cryptocompare.com/v2?api_key=***"_s;
    QTest::newRow("token among others") << u"https://finnhub.io/api/v1/quote?symbol=AAPL&token=s3cr3t"_s
                                        << u"https://finnhub.io/api/v1/quote?symbol=AAPL&token=***"_s;
    QTest::newRow("case") << u"http://h/x?API_KEY=k&Token=t"_s << u"http://h/x?API_KEY=***&Token=***"_s;
    QTest::newRow("password") << u"http://user:pw@h/x"_s << u"http://user@h/x"_s;
    QTest::newRow("nothing secret") << u"http://h/x?fsyms=BTC"_s << u"http://h/x?fsyms=BTC"_s;
}

void TestSourceHelpers::redaction()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QCOMPARE(redactUrl(QUrl(url)), expected);
    QCOMPARE(redactSecret(u"key abc+/= in text abc%2B%2F%3D"_s, u"abc+/="_s), u"key *** in text ***"_s);
    QCOMPARE(redactSecret(u"unchanged"_s, QString()), u"unchanged"_s);
}

void TestSourceHelpers::tolerantFields()
{
    const QJsonObject o = QJsonDocument::fromJson(
        R"({"n":2050,"s":"2050","f":"1.5","null":null,"bad":"x","big":1e30,"arr":[1]})").object();
    QCOMPARE(json::number(o, "n"_L1), std::optional<double>(2050));
    QCOMPARE(json::number(o, "s"_L1), std::optional<double>(2050));
    QCOMPARE(json::number(o, "f"_L1), std::optional<double>(1.5));
    QVERIFY(!json::number(o, "null"_L1) && !json::number(o, "bad"_L1) && !json::number(o, "missing"_L1)
            && !json::number(o, "arr"_L1));
    QCOMPARE(json::integer(o, "s"_L1), std::optional<qint64>(2050));
    QVERIFY(!json::integer(o, "f"_L1) && !json::integer(o, "big"_L1));
    QCOMPARE(json::text(o, "n"_L1), u"2050"_s);
    QCOMPARE(json::text(o, "s"_L1), u"2050"_s);
    QCOMPARE(json::text(o, "null"_L1), QString());
}

void TestSourceHelpers::aggregateTypeDriftAndNulls()
{
    // FLAGS number/string, LASTTRADEID number, OPEN24HOUR null, PRICE as a string, extra keys.
    const QJsonObject raw = QJsonDocument::fromJson(
        R"({"TYPE":"5","FROMSYMBOL":"BTC","TOSYMBOL":"EUR","FLAGS":4,"PRICE":"4100.5","LASTUPDATE":1504754372,
            "LASTTRADEID":20466262,"OPEN24HOUR":null,"HIGH24HOUR":4200,"LOW24HOUR":null,"NEWFIELD":{"x":1}})").object();
    const auto t = cryptocompare::quoteFromAggregate(raw);
    QVERIFY2(t.ok(), qPrintable(t.errorMessage()));
    QCOMPARE(t->price, 4100.5);
    QCOMPARE(t->currency, std::string("EUR"));
    QVERIFY(!t->open && !t->low && !t->previousClose);
    QCOMPARE(t->high, std::optional<double>(4200));
    QCOMPARE(t->volume, 0.0);
    QCOMPARE(t->id, std::string("q-EUR-1504754372"));
    // PRICE - CHANGEDAY when OPENDAY is missing.
    QJsonObject withChange = raw;
    withChange.insert("CHANGEDAY"_L1, 100.5);
    QCOMPARE(cryptocompare::quoteFromAggregate(withChange)->previousClose, std::optional<double>(4000));
    // Unusable: no price, zero price, absurd time.
    for (const char *bad : {R"({"FROMSYMBOL":"BTC","TOSYMBOL":"USD","LASTUPDATE":1504754372})",
                            R"({"FROMSYMBOL":"BTC","TOSYMBOL":"USD","PRICE":0,"LASTUPDATE":1504754372})",
                            R"({"FROMSYMBOL":"BTC","TOSYMBOL":"USD","PRICE":1,"LASTUPDATE":1504754372000})"})
        QVERIFY(!cryptocompare::quoteFromAggregate(QJsonDocument::fromJson(bad).object()));
}

void TestSourceHelpers::finnhubQuoteEdgeCases()
{
    auto unknown = finnhub::parseQuote(R"({"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0})", u"X"_s, u"USD"_s,
                                       AssetClass::Stock);
    QVERIFY(unknown.ok() && unknown->outcome == finnhub::QuoteOutcome::UnknownSymbol);
    auto zeros = finnhub::parseQuote(R"({"c":10,"h":0,"l":0,"o":0,"pc":9,"t":1672261200})", u"X"_s, u"USD"_s,
                                     AssetClass::Stock);
    QVERIFY(zeros.ok());
    QVERIFY(!zeros->tick.open && !zeros->tick.high && zeros->tick.previousClose == 9.0);
    QVERIFY(!finnhub::parseQuote(R"({"error":"Invalid API key."})", u"X"_s, u"USD"_s, AssetClass::Stock).ok());
    QVERIFY(!finnhub::parseQuote(R"({"c":10})", u"X"_s, u"USD"_s, AssetClass::Stock).ok());
    QCOMPARE(finnhub::errorText(R"({"error":"API limit reached."})"), u"API limit reached."_s);
    QCOMPARE(finnhub::errorText("plain words\n"), u"plain words"_s);
}

QTEST_GUILESS_MAIN(TestSourceHelpers)
#include "tst_source_helpers.moc"
