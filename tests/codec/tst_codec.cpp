// The tick wire contract: round trip, the original producers' legacy formats, and a table of bad
// inputs each rejected with its reason.
#include "codec/tick_codec.h"

#include <QTest>

using namespace ms;

Q_DECLARE_METATYPE(ms::AssetClass)

class TstCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contractExampleDecodes()
    {
        const std::string msg = "{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"currency\":\"USD\","
                                "\"price\":43000.5,\"volume\":0.12,\"ts\":1700000000123,\"id\":\"sim-42\"}";
        const auto r = decodeTick(msg, AssetClass::Crypto);
        QVERIFY(isTick(r));
        const Tick &t = std::get<Tick>(r);
        QCOMPARE(t.source, SourceKind::Simulator);
        QCOMPARE(t.kind, TickKind::Trade);
        QCOMPARE(t.asset, AssetClass::Crypto);
        QCOMPARE(QString::fromStdString(t.symbol), QStringLiteral("BTC"));
        QCOMPARE(t.price, 43000.5);
        QCOMPARE(t.volume, 0.12);
        QCOMPARE(t.tsMs, 1700000000123LL);
        QCOMPARE(QString::fromStdString(t.id), QStringLiteral("sim-42"));
        // The encoder writes the same bytes back.
        QCOMPARE(QByteArray::fromStdString(encodeTick(t)), QByteArray::fromStdString(msg));
    }

    void roundTrip_data()
    {
        QTest::addColumn<int>("variant");
        for (int i = 0; i < 6; ++i)
            QTest::addRow("variant-%d", i) << i;
    }
    void roundTrip()
    {
        QFETCH(int, variant);
        Tick t;
        t.source = SourceKind(variant % 4);
        t.kind = variant % 2 ? TickKind::Quote : TickKind::Trade;
        t.asset = variant < 3 ? AssetClass::Crypto : AssetClass::Stock;
        t.symbol = variant == 5 ? "BINANCE:BTC\"US\\DT\u00e9" : "AAPL";
        t.currency = "EUR";
        t.price = 0.1 + variant * 1234.56789;
        t.volume = variant * 0.3;
        t.tsMs = 1712345678123 + variant;
        t.id = "id-" + std::to_string(variant);
        if (t.kind == TickKind::Quote) {
            t.open = 1.5;
            t.high = 2.25;
            t.low = 1e-8;
            t.previousClose = 123456789.125;
        }
        const auto r = decodeTick(encodeTick(t), t.asset);
        QVERIFY2(isTick(r), std::holds_alternative<DecodeError>(r) ? std::get<DecodeError>(r).detail.c_str() : "");
        QCOMPARE(std::get<Tick>(r), t);
    }

    void legacyCrypto()
    {
        const auto r = decodeTick("{\"symbol\":\"BTC\",\"price\":43000.12,\"timestamp\":1712345678.123}", AssetClass::Crypto);
        QVERIFY(isTick(r));
        const Tick &t = std::get<Tick>(r);
        QCOMPARE(t.asset, AssetClass::Crypto);
        QCOMPARE(t.source, SourceKind::CryptoCompare);
        QCOMPARE(t.kind, TickKind::Quote);
        QCOMPARE(t.tsMs, 1712345678123LL);
        QCOMPARE(t.price, 43000.12);
        QCOMPARE(t.volume, 0.0);
        QCOMPARE(QString::fromStdString(t.id), QStringLiteral("legacy-1712345678123"));
    }

    void legacyStock()
    {
        const auto r = decodeTick("{\"symbol\":\"AAPL\",\"price\":170.1,\"high\":171,\"low\":169.5,\"open\":170,"
                                  "\"previous_close\":169.9,\"timestamp\":1712345678}",
                                  AssetClass::Stock);
        QVERIFY(isTick(r));
        const Tick &t = std::get<Tick>(r);
        QCOMPARE(t.asset, AssetClass::Stock);
        QCOMPARE(t.source, SourceKind::Finnhub);
        QCOMPARE(t.tsMs, 1712345678000LL);
        QCOMPARE(t.high.value(), 171.0);
        QCOMPARE(t.low.value(), 169.5);
        QCOMPARE(t.open.value(), 170.0);
        QCOMPARE(t.previousClose.value(), 169.9);
    }

    void unknownFieldsAreIgnoredAndNullExtrasAreAbsent()
    {
        const auto r = decodeTick("{\"v\":1,\"source\":\"finnhub\",\"kind\":\"quote\",\"symbol\":\"MSFT\",\"price\":1,\"ts\":1700000000000,"
                                  "\"id\":\"q1\",\"high\":null,\"extra\":{\"a\":[1,2,{\"b\":\"}\"}]},\"flag\":true}",
                                  AssetClass::Stock);
        QVERIFY(isTick(r));
        QVERIFY(!std::get<Tick>(r).high.has_value());
        QCOMPARE(std::get<Tick>(r).currency, std::string("USD"));
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("detailContains");
        const QByteArray ok = "\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":1.5,\"ts\":1700000000000,\"id\":\"x\"";
        QTest::newRow("empty") << QByteArray() << "empty_message" << "empty";
        QTest::newRow("not json") << QByteArray("hello") << "invalid_json" << "expected a JSON object";
        QTest::newRow("array") << QByteArray("[1,2]") << "invalid_json" << "expected a JSON object";
        QTest::newRow("truncated") << QByteArray("{\"v\":1,\"symbol\":\"BT") << "invalid_json" << "unterminated string";
        QTest::newRow("trailing comma") << QByteArray("{\"v\":1,}") << "invalid_json" << "expected a string key";
        QTest::newRow("trailing garbage") << ("{\"v\":1," + ok + "}x") << "invalid_json" << "trailing characters";
        QTest::newRow("duplicate") << ("{\"v\":1," + ok + ",\"price\":2}") << "invalid_json" << "duplicate field 'price'";
        QTest::newRow("bad number") << QByteArray("{\"v\":1,\"price\":01}") << "invalid_json" << "expected ',' or '}'";
        QTest::newRow("no version") << QByteArray("{\"symbol\":\"BTC\",\"price\":1}") << "missing_field" << "'v'";
        QTest::newRow("version 2") << ("{\"v\":2," + ok + "}") << "unknown_version" << "version 2";
        QTest::newRow("missing price") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"ts\":1700000000000,\"id\":\"x\"}")
                                       << "missing_field" << "missing field 'price'";
        QTest::newRow("price as string") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":\"1.5\",\"ts\":1700000000000,\"id\":\"x\"}")
                                         << "wrong_type" << "field 'price' must be a number, got string";
        QTest::newRow("zero price") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":0,\"ts\":1700000000000,\"id\":\"x\"}")
                                    << "non_positive_price" << "price must be > 0";
        QTest::newRow("negative price") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":-3,\"ts\":1700000000000,\"id\":\"x\"}")
                                        << "non_positive_price" << "price must be > 0";
        QTest::newRow("negative volume") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":3,\"volume\":-1,\"ts\":1700000000000,\"id\":\"x\"}")
                                         << "negative_volume" << "volume must be >= 0";
        QTest::newRow("huge number") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":1e999,\"ts\":1700000000000,\"id\":\"x\"}")
                                     << "bad_value" << "not a finite number";
        QTest::newRow("ts in seconds") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":3,\"ts\":1700000000,\"id\":\"x\"}")
                                       << "absurd_timestamp" << "outside 2000-01-01";
        QTest::newRow("ts fraction") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":3,\"ts\":1700000000000.5,\"id\":\"x\"}")
                                     << "wrong_type" << "integer number of milliseconds";
        QTest::newRow("ts string") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":3,\"ts\":\"now\",\"id\":\"x\"}")
                                   << "wrong_type" << "field 'ts' must be an integer";
        QTest::newRow("unknown source") << QByteArray("{\"v\":1,\"source\":\"bloomberg\",\"kind\":\"trade\",\"symbol\":\"BTC\",\"price\":3,\"ts\":1700000000000,\"id\":\"x\"}")
                                        << "unknown_source" << "bloomberg";
        QTest::newRow("unknown kind") << QByteArray("{\"v\":1,\"source\":\"replay\",\"kind\":\"bid\",\"symbol\":\"BTC\",\"price\":3,\"ts\":1700000000000,\"id\":\"x\"}")
                                      << "unknown_kind" << "bid";
        QTest::newRow("empty symbol") << QByteArray("{\"v\":1,\"source\":\"replay\",\"kind\":\"trade\",\"symbol\":\"\",\"price\":3,\"ts\":1700000000000,\"id\":\"x\"}")
                                      << "bad_value" << "'symbol' must not be empty";
        QTest::newRow("symbol number") << QByteArray("{\"v\":1,\"source\":\"replay\",\"kind\":\"trade\",\"symbol\":7,\"price\":3,\"ts\":1700000000000,\"id\":\"x\"}")
                                       << "wrong_type" << "'symbol' must be a string, got number";
        QTest::newRow("missing id") << QByteArray("{\"v\":1,\"source\":\"replay\",\"kind\":\"trade\",\"symbol\":\"A\",\"price\":3,\"ts\":1700000000000}")
                                    << "missing_field" << "missing field 'id'";
        QTest::newRow("legacy ms as seconds") << QByteArray("{\"symbol\":\"BTC\",\"price\":43000.12,\"timestamp\":1712345678123}")
                                              << "absurd_timestamp" << "legacy messages carry seconds";
        QTest::newRow("legacy no price") << QByteArray("{\"symbol\":\"BTC\",\"timestamp\":1712345678}")
                                         << "missing_field" << "'price'";
        QTest::newRow("bad escape") << QByteArray("{\"v\":1,\"source\":\"replay\",\"kind\":\"trade\",\"symbol\":\"A\\q\",\"price\":3,\"ts\":1700000000000,\"id\":\"x\"}")
                                    << "invalid_json" << "bad escape";
        QTest::newRow("control char") << QByteArray("{\"v\":1,\"symbol\":\"A\x01\"}") << "invalid_json" << "control character";
        QTest::newRow("too large") << QByteArray(70000, ' ') << "too_large" << "exceeds";
    }

    // Strict UTF-8 and a fully valid JSON document: every string (known field, unknown field, key,
    // nested value) and every unknown value. Each row is a message that PostgreSQL would refuse or
    // that is not JSON, and that the decoder used to accept.
    void rejectsBadTextAndBadUnknownFields_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("detailContains");
        const QByteArray head = "{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"price\":1.5,\"ts\":1700000000000,\"id\":\"x\",";
        auto sym = [&](const QByteArray &bytes) -> QByteArray { return head + "\"symbol\":\"" + bytes + "\"}"; };
        auto extra = [&](const QByteArray &json) -> QByteArray { return head + "\"symbol\":\"BTC\"," + json + "}"; };
        // Raw bytes in the symbol.
        QTest::newRow("overlong C0 80") << sym("A\xC0\x80") << "invalid_utf8" << "overlong";
        QTest::newRow("overlong C1 BF") << sym("\xC1\xBF") << "invalid_utf8" << "overlong";
        QTest::newRow("overlong E0 80 80") << sym("\xE0\x80\x80") << "invalid_utf8" << "overlong";
        QTest::newRow("overlong E0 9F BF") << sym("\xE0\x9F\xBF") << "invalid_utf8" << "overlong";
        QTest::newRow("overlong F0 80 80 80") << sym("\xF0\x80\x80\x80") << "invalid_utf8" << "overlong";
        QTest::newRow("overlong F0 8F BF BF") << sym("\xF0\x8F\xBF\xBF") << "invalid_utf8" << "overlong";
        QTest::newRow("surrogate ED A0 80") << sym("\xED\xA0\x80") << "invalid_utf8" << "surrogate";
        QTest::newRow("surrogate ED BF BF") << sym("\xED\xBF\xBF") << "invalid_utf8" << "surrogate";
        QTest::newRow("above 10FFFF F4 90") << sym("\xF4\x90\x80\x80") << "invalid_utf8" << "above U+10FFFF";
        QTest::newRow("above 10FFFF F5") << sym("\xF5\x80\x80\x80") << "invalid_utf8" << "above U+10FFFF";
        QTest::newRow("byte FF") << sym("\xFF") << "invalid_utf8" << "0xF8..0xFF";
        QTest::newRow("lone continuation") << sym("A\x80") << "invalid_utf8" << "continuation";
        QTest::newRow("truncated 2 of 3") << sym("\xE2\x82") << "invalid_utf8" << "truncated";
        QTest::newRow("truncated 3 of 4") << sym("\xF0\x9F\x98") << "invalid_utf8" << "truncated";
        QTest::newRow("truncated at end") << QByteArray(head + "\"symbol\":\"\xE2") << "invalid_utf8" << "truncated";
        QTest::newRow("raw NUL") << sym(QByteArray("A\0B", 3)) << "invalid_utf8" << "NUL";
        // Escapes.
        QTest::newRow("escaped NUL") << sym("A\\u0000") << "invalid_utf8" << "NUL";
        QTest::newRow("lone high surrogate escape") << sym("\\ud800") << "invalid_utf8" << "unpaired surrogate";
        QTest::newRow("lone low surrogate escape") << sym("\\udc00") << "invalid_utf8" << "unpaired surrogate";
        QTest::newRow("high + non-low escape") << sym("\\ud800\\u0041") << "invalid_utf8" << "unpaired surrogate";
        QTest::newRow("short \\u") << sym("\\u12") << "invalid_json" << "4 hex digits";
        // Other string fields and keys.
        QTest::newRow("bad utf8 in id") << QByteArray("{\"v\":1,\"id\":\"\xC0\x80\"}") << "invalid_utf8" << "overlong";
        QTest::newRow("bad utf8 in a key") << extra("\"k\xED\xA0\x80\":1") << "invalid_utf8" << "surrogate";
        QTest::newRow("bad utf8 in unknown field") << extra("\"note\":\"\xC0\x80\"") << "invalid_utf8" << "overlong";
        QTest::newRow("bad utf8 nested") << extra("\"x\":{\"a\":[\"\xF5\"]}") << "invalid_utf8" << "above";
        // Unknown fields must still be JSON.
        QTest::newRow("array without commas") << extra("\"x\":[1 2 @ #]") << "invalid_json" << "expected ',' or ']'";
        QTest::newRow("bad escape unknown field") << extra("\"y\":\"\\q\"") << "invalid_json" << "bad escape";
        QTest::newRow("bare word in array") << extra("\"x\":[nope]") << "invalid_json" << "invalid value";
        QTest::newRow("object without colon") << extra("\"x\":{\"a\" 1}") << "invalid_json" << "expected ':'";
        QTest::newRow("object key not string") << extra("\"x\":{a:1}") << "invalid_json" << "expected a string key";
        QTest::newRow("trailing comma in array") << extra("\"x\":[1,]") << "invalid_json" << "invalid value";
        QTest::newRow("mismatched brackets") << extra("\"x\":[1}") << "invalid_json" << "expected ',' or ']'";
        QTest::newRow("unclosed nested") << QByteArray(head + "\"x\":[1,[2") << "invalid_json" << "unterminated";
        QTest::newRow("bad number nested") << extra("\"x\":[01]") << "invalid_json" << "expected ',' or ']'";
        QTest::newRow("NaN literal nested") << extra("\"x\":[NaN]") << "invalid_json" << "invalid value";
        QTest::newRow("too deep") << extra("\"x\":" + QByteArray(40, '[') + QByteArray(40, ']')) << "invalid_json" << "too deep";
        QTest::newRow("trailing garbage after nested") << QByteArray(extra("\"x\":[1]") + " ]") << "invalid_json" << "trailing";
        // Non-finite values and products.
        QTest::newRow("volume overflows") << QByteArray(head + "\"symbol\":\"BTC\",\"volume\":1e309}") << "bad_value" << "not a finite number";
        QTest::newRow("notional overflows") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"price\":1e200,\"volume\":1e200,"
                                                          "\"ts\":1700000000000,\"id\":\"x\",\"symbol\":\"BTC\"}")
                                            << "bad_value" << "price × volume";
        QTest::newRow("open overflows") << QByteArray(head + "\"symbol\":\"BTC\",\"open\":-1e999}") << "bad_value" << "not a finite number";
        QTest::newRow("legacy ts overflows") << QByteArray("{\"symbol\":\"BTC\",\"price\":1,\"timestamp\":1e306}") << "absurd_timestamp" << "outside";
        QTest::newRow("ts beyond int64") << QByteArray("{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"price\":1.5,\"id\":\"x\","
                                                       "\"symbol\":\"BTC\",\"ts\":99999999999999999999}")
                                          << "wrong_type" << "integer number of milliseconds";
        // The decoder's symbol/currency rules.
        QTest::newRow("blank symbol") << sym("   ") << "bad_value" << "blank";
        QTest::newRow("symbol trailing space") << sym("BTC ") << "bad_value" << "blank";
        QTest::newRow("symbol too long") << sym(QByteArray(33, 'A')) << "bad_value" << "longer than 32";
        QTest::newRow("symbol DEL") << sym("A\x7F") << "bad_value" << "control character";
        QTest::newRow("empty currency") << QByteArray(head + "\"symbol\":\"BTC\",\"currency\":\"\"}") << "bad_value" << "'currency' must not be empty";
    }
    void rejectsBadTextAndBadUnknownFields() { rejects(); }

    void acceptsValidUtf8AndNestedJson_data()
    {
        QTest::addColumn<QByteArray>("symbolJson");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("2-byte") << QByteArray("\"\xC3\xA9\"") << QByteArray("\xC3\xA9");
        QTest::newRow("3-byte max BMP") << QByteArray("\"\xEF\xBF\xBD\"") << QByteArray("\xEF\xBF\xBD");
        QTest::newRow("3-byte before surrogates") << QByteArray("\"\xED\x9F\xBF\"") << QByteArray("\xED\x9F\xBF");
        QTest::newRow("4-byte") << QByteArray("\"\xF0\x9F\x98\x80\"") << QByteArray("\xF0\x9F\x98\x80");
        QTest::newRow("U+10FFFF") << QByteArray("\"\xF4\x8F\xBF\xBF\"") << QByteArray("\xF4\x8F\xBF\xBF");
        QTest::newRow("escaped pair") << QByteArray("\"\\ud83d\\ude00\"") << QByteArray("\xF0\x9F\x98\x80");
        QTest::newRow("escaped e-acute") << QByteArray("\"\\u00e9\"") << QByteArray("\xC3\xA9");
    }
    void acceptsValidUtf8AndNestedJson()
    {
        QFETCH(QByteArray, symbolJson);
        QFETCH(QByteArray, expected);
        const QByteArray msg = "{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":" + symbolJson
                               + ",\"price\":1.5,\"ts\":1700000000000,\"id\":\"x\",\"x\":[1, -2.5e3, \"\\u00e9\", {\"a\": [true, false, null, {}]}, []],"
                                 "\"y\":{}}";
        const auto r = decodeTick(std::string_view(msg.constData(), size_t(msg.size())), AssetClass::Crypto);
        QVERIFY2(isTick(r), isTick(r) ? "" : std::get<DecodeError>(r).detail.c_str());
        QCOMPARE(QByteArray::fromStdString(std::get<Tick>(r).symbol), expected);
    }

    void symbolAndCurrencyRules_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("symbolOk");
        QTest::addColumn<bool>("currencyOk");
        QTest::newRow("BTC") << QByteArray("BTC") << true << true;
        QTest::newRow("exchange pair, 15 bytes") << QByteArray("BINANCE:BTCUSDT") << true << true;
        QTest::newRow("17 bytes") << QByteArray("ABCDEFGHIJKLMNOPQ") << true << false;
        QTest::newRow("empty") << QByteArray() << false << false;
        QTest::newRow("blank") << QByteArray(" ") << false << false;
        QTest::newRow("1000 chars") << QByteArray(1000, 'A') << false << false;
        QTest::newRow("overlong") << QByteArray("\xC0\x80") << false << false;
        QTest::newRow("tab") << QByteArray("A\tB") << false << false;
    }
    void symbolAndCurrencyRules()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, symbolOk);
        QFETCH(bool, currencyOk);
        const std::string_view s(text.constData(), size_t(text.size()));
        QCOMPARE(symbolProblem(s).empty(), symbolOk);
        QCOMPARE(currencyProblem(s).empty(), currencyOk);
    }
    void rejects()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, reason);
        QFETCH(QString, detailContains);
        const auto r = decodeTick(std::string_view(input.constData(), size_t(input.size())), AssetClass::Crypto);
        QVERIFY2(!isTick(r), "accepted a bad message");
        const auto &e = std::get<DecodeError>(r);
        QCOMPARE(QString::fromStdString(e.reason), reason);
        QVERIFY2(QString::fromStdString(e.detail).contains(detailContains), e.detail.c_str());
    }
};

QTEST_APPLESS_MAIN(TstCodec)
#include "tst_codec.moc"
