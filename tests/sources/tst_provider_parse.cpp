// The provider parsers' unit conversions on hostile times: a seconds → ms product that does not fit
// in 64 bits must be refused, never wrapped. 2305843010913693952 s × 1000 wraps to exactly
// 1700000000000 ms (2023-11-14), which passes every later plausibility check.
// And the ticks the fuzzers (fuzz/) found the parsers making although every consumer would
// dead-letter them: each parser now applies the decoder's own rules (validateTick).
#include "sources/cryptocompare_parse.h"
#include "sources/finnhub_parse.h"
#include "sources/replay_format.h"

#include <QJsonDocument>
#include <QTest>

using namespace ms;
using namespace Qt::StringLiterals;

namespace {

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TstProviderParse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Seconds as the providers send them; only the first row is a plausible time.
    void hugeTimes_data()
    {
        QTest::addColumn<QByteArray>("seconds"); // a JSON value: strings keep all 64 bits exact
        QTest::addColumn<bool>("accepted");
        QTest::newRow("plausible") << QByteArray("\"1700000000\"") << true;
        QTest::newRow("wraps to 2023") << QByteArray("\"2305843010913693952\"") << false;
        QTest::newRow("int64 max") << QByteArray("\"9223372036854775807\"") << false;
        QTest::newRow("int64 min") << QByteArray("\"-9223372036854775808\"") << false;
        QTest::newRow("just over the product limit") << QByteArray("\"9223372036854776\"") << false;
        QTest::newRow("huge double") << QByteArray("8.9e18") << false;
    }

    void cryptoCompareQuoteLastUpdate()
    {
        QFETCH(QByteArray, seconds);
        QFETCH(bool, accepted);
        const auto tick = cryptocompare::quoteFromAggregate(object(
            "{\"FROMSYMBOL\":\"BTC\",\"TOSYMBOL\":\"USD\",\"PRICE\":1,\"LASTUPDATE\":" + seconds +
            "}"));
        QCOMPARE(tick.ok(), accepted);
        if (accepted)
            QCOMPARE(tick->tsMs, 1700000000000LL);
    }
    void cryptoCompareQuoteLastUpdate_data() { hugeTimes_data(); }

    void cryptoCompareTradeTs()
    {
        QFETCH(QByteArray, seconds);
        QFETCH(bool, accepted);
        const auto tick = cryptocompare::tradeFromStreamer(
            object("{\"TYPE\":\"0\",\"M\":\"Coinbase\",\"FSYM\":\"BTC\",\"TSYM\":\"USD\",\"ID\":"
                   "\"7\",\"P\":2,\"Q\":1,\"TS\":" +
                   seconds + ",\"TSNS\":999999999}"));
        QCOMPARE(tick.ok(), accepted);
        if (accepted)
            QCOMPARE(tick->tsMs, 1700000000999LL);
    }
    void cryptoCompareTradeTs_data() { hugeTimes_data(); }

    void cryptoCompareHistoTime()
    {
        QFETCH(QByteArray, seconds);
        QFETCH(bool, accepted);
        const auto page = cryptocompare::parseHisto(
            "{\"Response\":\"Success\",\"Data\":{\"TimeFrom\":1,\"TimeTo\":2,\"Data\":[{\"time\":" +
                seconds + ",\"open\":1,\"high\":1,\"low\":1,\"close\":1}]}}",
            QStringLiteral("BTC"), QStringLiteral("USD"), 60);
        QCOMPARE(page.ok(), accepted);
        if (accepted)
            QCOMPARE(page->candles.at(0).bucketStartMs, 1700000000000LL);
        else
            QCOMPARE(page.error().code, QStringLiteral("absurd_timestamp"));
    }
    void cryptoCompareHistoTime_data() { hugeTimes_data(); }

    void finnhubQuoteT()
    {
        QFETCH(QByteArray, seconds);
        QFETCH(bool, accepted);
        const auto quote = finnhub::parseQuote(
            "{\"c\":10,\"o\":9,\"h\":11,\"l\":8,\"pc\":9.5,\"t\":" + seconds + "}",
            QStringLiteral("AAPL"), QStringLiteral("USD"), AssetClass::Stock);
        QCOMPARE(quote.ok(), accepted);
        if (accepted)
            QCOMPARE(quote->tick.tsMs, 1700000000000LL);
        else // a negative time is "no usable time"; a positive one too large is not plausible
            QCOMPARE(quote.error().code, seconds.startsWith("\"-")
                                             ? QStringLiteral("missing_field")
                                             : QStringLiteral("absurd_timestamp"));
    }
    void finnhubQuoteT_data() { hugeTimes_data(); }

    void finnhubTradeTimeIsAlreadyMs()
    {
        const auto msg =
            finnhub::parseWsMessage("{\"type\":\"trade\",\"data\":[{\"s\":\"AAPL\",\"p\":1,\"v\":1,"
                                    "\"t\":\"9223372036854775807\"},"
                                    "{\"s\":\"AAPL\",\"p\":1,\"v\":1,\"t\":1700000000000}]}",
                                    QStringLiteral("USD"), AssetClass::Stock);
        QVERIFY(msg.ok());
        QCOMPARE(int(msg->refused.size()), 1);
        QCOMPARE(msg->refused.at(0).code, QStringLiteral("absurd_timestamp"));
        QCOMPARE(int(msg->trades.size()), 1);
        QCOMPARE(msg->trades.at(0).tsMs, 1700000000000LL);
    }

    // Found by fuzz_cryptocompare_rest / _ws: provider text copied into the tick unchecked.
    void cryptoCompareRefusesTicksTheDecoderWouldRefuse_data()
    {
        QTest::addColumn<QByteArray>("fields"); // added to a valid aggregate / trade
        QTest::newRow("control characters in TOSYMBOL") << QByteArray("\"TOSYMBOL\":\"\\r\\rUSD\"");
        QTest::newRow("40-byte FROMSYMBOL")
            << QByteArray("\"FROMSYMBOL\":\"" + QByteArray(40, 'B') + "\"");
        QTest::newRow("trailing space") << QByteArray("\"FROMSYMBOL\":\"BTC \"");
        QTest::newRow("NUL in market (trade id)") << QByteArray("\"M\":\"Coin\\u0000base\"");
        QTest::newRow("control character in market") << QByteArray("\"M\":\"Coinba\\u000ee\"");
    }
    void cryptoCompareRefusesTicksTheDecoderWouldRefuse()
    {
        QFETCH(QByteArray, fields);
        const QByteArray common = "\"FROMSYMBOL\":\"BTC\",\"TOSYMBOL\":\"USD\",\"M\":\"Coinbase\",";
        // A later key wins in QJsonDocument: the row's fields replace the good ones.
        const auto quote = cryptocompare::quoteFromAggregate(
            object("{" + common + "\"PRICE\":1,\"LASTUPDATE\":1700000000," + fields + "}"));
        const auto trade = cryptocompare::tradeFromStreamer(object(
            "{" + common +
            "\"FSYM\":\"BTC\",\"TSYM\":\"USD\",\"ID\":\"7\",\"P\":2,\"Q\":1,\"TS\":1700000000," +
            fields + "}"));
        if (fields.contains("\"M\"")) {
            QVERIFY(quote); // the market is not part of a quote
            QVERIFY(!trade);
        } else {
            QVERIFY(!quote);
        }
    }

    // Every refusal names its reason: the code is what the sources count (refusalsByReason) and the
    // message what the issue log shows.
    void refusalReasons_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("code");
        const QByteArray quote = R"("FROMSYMBOL":"BTC","TOSYMBOL":"USD","PRICE":1,"LASTUPDATE":1700000000)";
        const QByteArray trade = R"("TYPE":"0","M":"Coinbase","FSYM":"BTC","TSYM":"USD","ID":"7","P":2,"Q":1,"TS":1700000000)";
        // A later key wins in QJsonDocument: each row overrides one good field.
        QTest::newRow("quote: no PRICE") << "Q{" + quote + R"(,"PRICE":null})" << u"missing_price"_s;
        QTest::newRow("quote: PRICE 0") << "Q{" + quote + R"(,"PRICE":0})" << u"bad_price"_s;
        QTest::newRow("quote: PRICE text") << "Q{" + quote + R"(,"PRICE":"cheap"})" << u"missing_price"_s;
        QTest::newRow("quote: no LASTUPDATE") << "Q{" + quote + R"(,"LASTUPDATE":1.5})" << u"missing_time"_s;
        QTest::newRow("quote: LASTUPDATE 1990") << "Q{" + quote + R"(,"LASTUPDATE":631152000})"
                                                << u"absurd_timestamp"_s;
        QTest::newRow("quote: no pair") << "Q{" + quote + R"(,"FROMSYMBOL":""})" << u"missing_pair"_s;
        QTest::newRow("quote: negative OPENDAY") << "Q{" + quote + R"(,"OPENDAY":-5})" << u"bad_value"_s;
        QTest::newRow("trade: no P") << "T{" + trade + R"(,"P":null})" << u"missing_price"_s;
        QTest::newRow("trade: P negative") << "T{" + trade + R"(,"P":-2})" << u"bad_price"_s;
        QTest::newRow("trade: no TS") << "T{" + trade + R"(,"TS":"soon"})" << u"missing_time"_s;
        QTest::newRow("trade: TS 2200") << "T{" + trade + R"(,"TS":7258118400})" << u"absurd_timestamp"_s;
        QTest::newRow("trade: no TSYM") << "T{" + trade + R"(,"TSYM":null})" << u"missing_pair"_s;
        QTest::newRow("trade: no ID") << "T{" + trade + R"(,"ID":""})" << u"missing_id"_s;
        QTest::newRow("trade: control char") << "T{" + trade + R"(,"FSYM":"B\u0001TC"})" << u"bad_value"_s;
        const QByteArray fh = R"("s":"AAPL","p":1,"v":1,"t":1700000000000)";
        QTest::newRow("finnhub: no p") << "F{" + fh + R"(,"p":null})" << u"missing_price"_s;
        QTest::newRow("finnhub: p 0") << "F{" + fh + R"(,"p":0})" << u"bad_price"_s;
        QTest::newRow("finnhub: no t") << "F{" + fh + R"(,"t":null})" << u"missing_time"_s;
        QTest::newRow("finnhub: t in seconds") << "F{" + fh + R"(,"t":1700000000})" << u"absurd_timestamp"_s;
        QTest::newRow("finnhub: no s") << "F{" + fh + R"(,"s":""})" << u"missing_pair"_s;
        QTest::newRow("finnhub: trailing space") << "F{" + fh + R"(,"s":"AAPL "})" << u"bad_value"_s;
    }
    void refusalReasons()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, code);
        const char which = json.at(0);
        const QByteArray body = json.mid(1);
        Error refusal;
        if (which == 'Q') {
            const auto r = cryptocompare::quoteFromAggregate(object(body));
            QVERIFY(!r);
            refusal = r.error();
        } else if (which == 'T') {
            const auto r = cryptocompare::tradeFromStreamer(object(body));
            QVERIFY(!r);
            refusal = r.error();
        } else {
            const auto msg = finnhub::parseWsMessage(
                R"({"type":"trade","data":[)" + body + R"(,{"s":"MSFT","p":1,"v":1,"t":1700000000000}]})",
                QStringLiteral("USD"), AssetClass::Stock);
            QVERIFY(msg);
            QCOMPARE(int(msg->trades.size()), 1);  // the good neighbour is kept
            QCOMPARE(int(msg->refused.size()), 1);
            refusal = msg->refused.front();
        }
        QCOMPARE(refusal.code, code);
        QVERIFY2(!refusal.message.isEmpty(), qPrintable(refusal.code));
    }

    void cryptoCompareHistoRefusesInfiniteVwap()
    {
        const auto page = cryptocompare::parseHisto(
            "{\"Data\":[{\"time\":1700000000,\"open\":1,\"high\":1,\"low\":1,\"close\":1,"
            "\"volumefrom\":1e-300,\"volumeto\":1e300}]}",
            QStringLiteral("BTC"), QStringLiteral("USD"), 60);
        QVERIFY(!page);
        QCOMPARE(page.error().code, QStringLiteral("bad_candle"));
    }

    // Found by fuzz_finnhub_ws: "AAPL " and "A\0\0APL" became trades that the decoder refuses.
    void finnhubSkipsTradesTheDecoderWouldRefuse_data()
    {
        QTest::addColumn<QByteArray>("symbol");
        QTest::newRow("trailing space") << QByteArray("AAPL ");
        QTest::newRow("NUL") << QByteArray("A\\u0000APL");
        QTest::newRow("33 bytes") << QByteArray(33, 'A');
    }
    void finnhubSkipsTradesTheDecoderWouldRefuse()
    {
        QFETCH(QByteArray, symbol);
        const auto msg =
            finnhub::parseWsMessage("{\"type\":\"trade\",\"data\":[{\"s\":\"" + symbol +
                                        "\",\"p\":1,\"v\":1,\"t\":1700000000000},"
                                        "{\"s\":\"AAPL\",\"p\":1,\"v\":1,\"t\":1700000000000}]}",
                                    QStringLiteral("USD"), AssetClass::Stock);
        QVERIFY(msg);
        QCOMPARE(int(msg->refused.size()), 1);
        QVERIFY(!msg->refused.at(0).code.isEmpty());
        QCOMPARE(int(msg->trades.size()), 1);
        const auto quote =
            finnhub::parseQuote("{\"c\":10,\"t\":1700000000}",
                                QString::fromUtf8(symbol.replace("\\u0000", QByteArray(1, '\0'))),
                                QStringLiteral("USD"), AssetClass::Stock);
        QVERIFY(!quote);
        QCOMPARE(quote.error().code, QStringLiteral("bad_value"));
    }

    // Found by fuzz_replay_line: CSV rows the consumer would refuse were handed on.
    void replayCsvRefusesRowsTheDecoderWouldRefuse_data()
    {
        QTest::addColumn<QByteArray>("row"); // symbol,price,timestamp,open
        QTest::addColumn<QString>("code");
        QTest::newRow("control bytes in symbol")
            << QByteArray("EA\x05\x01,2001,1712345678,") << "bad_value";
        QTest::newRow("invalid UTF-8 symbol")
            << QByteArray("ET\xB5H,2001,1712345678,") << "bad_value";
        QTest::newRow("negative open") << QByteArray("ETH,2001,1712345678,-1") << "bad_value";
        QTest::newRow("huge timestamp") << QByteArray("ETH,2001,1e300,") << "absurd_timestamp";
        QTest::newRow("timestamp beyond 64-bit ms")
            << QByteArray("ETH,2001,9.3e15,") << "absurd_timestamp";
    }
    void replayCsvRefusesRowsTheDecoderWouldRefuse()
    {
        QFETCH(QByteArray, row);
        QFETCH(QString, code);
        auto header = replay::parseCsvHeader("symbol,price,timestamp,open");
        QVERIFY(header);
        const auto good =
            replay::parseCsvRow(*header, "ETH,2001,1712345678,", 2, AssetClass::Crypto);
        QVERIFY(good && good.value().has_value());
        const auto bad = replay::parseCsvRow(*header, row, 3, AssetClass::Crypto);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, code);
    }

    void cryptoCompareCooldown_data()
    {
        QTest::addColumn<QByteArray>("cooldown");
        QTest::addColumn<qint64>("retryAfterMs");
        QTest::addColumn<QString>("messageContains");
        QTest::newRow("30 s") << QByteArray("30") << qint64(30000) << "cooldown 30 s";
        QTest::newRow("a day") << QByteArray("86400") << qint64(86400000) << "cooldown 86400 s";
        QTest::newRow("wraps") << QByteArray("\"2305843010913693952\"") << qint64(0)
                               << "out of range";
        QTest::newRow("int64 max")
            << QByteArray("\"9223372036854775807\"") << qint64(0) << "out of range";
    }
    void cryptoCompareCooldown()
    {
        QFETCH(QByteArray, cooldown);
        QFETCH(qint64, retryAfterMs);
        QFETCH(QString, messageContains);
        const auto status =
            cryptocompare::errorStatus(object("{\"Response\":\"Error\",\"Message\":\"You are over "
                                              "your rate limit\",\"Type\":99,\"Cooldown\":" +
                                              cooldown + "}"));
        QVERIFY(status);
        QVERIFY(status->state == SourceState::RateLimited);
        QCOMPARE(status->retryAfterMs, retryAfterMs);
        QVERIFY2(status->message.contains(messageContains), qPrintable(status->message));
    }
};

QTEST_APPLESS_MAIN(TstProviderParse)
#include "tst_provider_parse.moc"
