// Alert rules: the parser (good and bad specs) and the evaluator's hysteresis and restore.
#include "alerts/alert_evaluator.h"
#include "alerts/alert_rule.h"

#include <QTest>

using namespace ms;

Q_DECLARE_METATYPE(ms::AlertKind)

using Steps = QList<QPair<qint64, double>>;

namespace {

Tick tickAt(const std::string &symbol, qint64 ts, double price)
{
    Tick t;
    t.symbol = symbol;
    t.tsMs = ts;
    t.price = price;
    t.id = std::to_string(ts);
    return t;
}

// Feeds "ts:price" steps of one symbol; returns the indices of the ticks that fired.
QList<int> firing(AlertEvaluator &ev, const std::string &symbol, const Steps &steps)
{
    QList<int> fired;
    for (int i = 0; i < steps.size(); ++i) {
        std::vector<AlertTrigger> out;
        ev.feed(tickAt(symbol, steps[i].first, steps[i].second), out);
        if (!out.empty())
            fired.append(i);
    }
    return fired;
}

Steps prices(std::initializer_list<double> ps, qint64 stepMs = 1000)
{
    Steps out;
    qint64 ts = 1'700'000'000'000;
    for (double p : ps) {
        out.append({ts, p});
        ts += stepMs;
    }
    return out;
}

} // namespace

class TstAlertRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseGood_data();
    void parseGood();
    void parseBad_data();
    void parseBad();
    void duplicatesKeptOnce();
    void hysteresis_data();
    void hysteresis();
    void lateTickSkipped();
    void otherSymbolIgnored();
    void restoreContinues_data();
    void restoreContinues();
    void changedStates();
};

void TstAlertRules::parseGood_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<AlertKind>("kind");
    QTest::addColumn<double>("value"); // level or percent
    QTest::addColumn<qint64>("windowMs");
    QTest::newRow("above") << QStringLiteral("BTC>50000") << QStringLiteral("BTC>50000")
                           << QStringLiteral("BTC") << AlertKind::Above << 50000.0 << qint64(0);
    QTest::newRow("below") << QStringLiteral("ETH<2000") << QStringLiteral("ETH<2000")
                           << QStringLiteral("ETH") << AlertKind::Below << 2000.0 << qint64(0);
    QTest::newRow("move 5m") << QStringLiteral("AAPL%5m>2") << QStringLiteral("AAPL%5m>2")
                             << QStringLiteral("AAPL") << AlertKind::Move << 2.0 << qint64(300000);
    QTest::newRow("spaces") << QStringLiteral("  BTC > 50000.50 ") << QStringLiteral("BTC>50000.5")
                            << QStringLiteral("BTC") << AlertKind::Above << 50000.5 << qint64(0);
    QTest::newRow("fraction") << QStringLiteral("DOGE<0.07") << QStringLiteral("DOGE<0.07")
                              << QStringLiteral("DOGE") << AlertKind::Below << 0.07 << qint64(0);
    QTest::newRow("exponent") << QStringLiteral("BTC>5e4") << QStringLiteral("BTC>50000")
                              << QStringLiteral("BTC") << AlertKind::Above << 50000.0 << qint64(0);
    QTest::newRow("seconds") << QStringLiteral("ETH%30s>0.5") << QStringLiteral("ETH%30s>0.5")
                             << QStringLiteral("ETH") << AlertKind::Move << 0.5 << qint64(30000);
    QTest::newRow("60m is 1h") << QStringLiteral("ETH%60m>1") << QStringLiteral("ETH%1h>1")
                               << QStringLiteral("ETH") << AlertKind::Move << 1.0
                               << qint64(3600000);
    QTest::newRow("days") << QStringLiteral("BTC%7d>10") << QStringLiteral("BTC%7d>10")
                          << QStringLiteral("BTC") << AlertKind::Move << 10.0 << qint64(604800000);
    QTest::newRow("dotted symbol")
        << QStringLiteral("BRK.B>400") << QStringLiteral("BRK.B>400") << QStringLiteral("BRK.B")
        << AlertKind::Above << 400.0 << qint64(0);
}

void TstAlertRules::parseGood()
{
    QFETCH(QString, spec);
    QFETCH(QString, canonical);
    QFETCH(QString, symbol);
    QFETCH(AlertKind, kind);
    QFETCH(double, value);
    QFETCH(qint64, windowMs);
    const auto r = parseAlertRule(spec);
    QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
    QCOMPARE(QString::fromStdString(r->text), canonical);
    QCOMPARE(QString::fromStdString(r->symbol), symbol);
    QCOMPARE(r->kind, kind);
    QCOMPARE(kind == AlertKind::Move ? r->percent : r->level, value);
    QCOMPARE(r->windowMs, windowMs);
    // The canonical text parses to the same rule.
    const auto again = parseAlertRule(canonical);
    QVERIFY(again.ok());
    QCOMPARE(again.value(), r.value());
}

void TstAlertRules::parseBad_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("mentions"); // the message names what is wrong
    QTest::newRow("empty") << QStringLiteral("") << QStringLiteral("empty");
    QTest::newRow("blank") << QStringLiteral("   ") << QStringLiteral("empty");
    QTest::newRow("no operator") << QStringLiteral("BTC50000") << QStringLiteral("no operator");
    QTest::newRow("equals") << QStringLiteral("BTC=50000") << QStringLiteral("no operator");
    QTest::newRow("no symbol") << QStringLiteral(">50000") << QStringLiteral("no symbol");
    QTest::newRow("no price") << QStringLiteral("BTC>")
                              << QStringLiteral("not a plain finite number");
    QTest::newRow("word price") << QStringLiteral("BTC>lots")
                                << QStringLiteral("not a plain finite number");
    QTest::newRow("nan") << QStringLiteral("BTC>nan")
                         << QStringLiteral("not a plain finite number");
    QTest::newRow("inf") << QStringLiteral("BTC>inf")
                         << QStringLiteral("not a plain finite number");
    QTest::newRow("overflow") << QStringLiteral("BTC>1e999")
                              << QStringLiteral("not a plain finite number");
    QTest::newRow("hex") << QStringLiteral("BTC>0x10")
                         << QStringLiteral("not a plain finite number");
    QTest::newRow("plus") << QStringLiteral("BTC>+5")
                          << QStringLiteral("not a plain finite number");
    QTest::newRow("two numbers") << QStringLiteral("BTC>5 6")
                                 << QStringLiteral("not a plain finite number");
    QTest::newRow("double op") << QStringLiteral("BTC>>5")
                               << QStringLiteral("not a plain finite number");
    QTest::newRow("zero") << QStringLiteral("BTC>0") << QStringLiteral("must be > 0");
    QTest::newRow("negative") << QStringLiteral("ETH<-5") << QStringLiteral("must be > 0");
    QTest::newRow("control char symbol")
        << QStringLiteral("BT\x01C>5") << QStringLiteral("control character");
    QTest::newRow("long symbol") << QString(80, QLatin1Char('A')) + QStringLiteral(">5")
                                 << QStringLiteral("longer than");
    QTest::newRow("move without gt")
        << QStringLiteral("AAPL%5m") << QStringLiteral("SYMBOL%WINDOW>PERCENT");
    QTest::newRow("move with lt") << QStringLiteral("AAPL%5m<2")
                                  << QStringLiteral("SYMBOL%WINDOW>PERCENT");
    QTest::newRow("move no unit") << QStringLiteral("AAPL%5>2") << QStringLiteral("window '5'");
    QTest::newRow("move bad unit") << QStringLiteral("AAPL%5w>2") << QStringLiteral("window '5w'");
    QTest::newRow("move negative window")
        << QStringLiteral("AAPL%-5m>2") << QStringLiteral("window '-5m'");
    QTest::newRow("move window overflow")
        << QStringLiteral("AAPL%99999999999999999d>2") << QStringLiteral("window");
    QTest::newRow("move zero window")
        << QStringLiteral("AAPL%0s>2") << QStringLiteral("between 1s and 7d");
    QTest::newRow("move window too long")
        << QStringLiteral("AAPL%8d>2") << QStringLiteral("between 1s and 7d");
    QTest::newRow("move zero percent")
        << QStringLiteral("AAPL%5m>0") << QStringLiteral("percent must be > 0");
    QTest::newRow("move huge percent")
        << QStringLiteral("AAPL%5m>1001") << QStringLiteral("percent must be > 0 and <= 1000");
    QTest::newRow("move nan percent")
        << QStringLiteral("AAPL%5m>nan") << QStringLiteral("not a plain finite number");
}

void TstAlertRules::parseBad()
{
    QFETCH(QString, spec);
    QFETCH(QString, mentions);
    const auto r = parseAlertRule(spec);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("bad_alert_rule"));
    QVERIFY2(r.errorMessage().contains(mentions), qPrintable(r.errorMessage()));
    QVERIFY(!r.errorMessage().contains(QLatin1Char('\n')));
}

void TstAlertRules::duplicatesKeptOnce()
{
    const auto r = parseAlertRules(
        {QStringLiteral("BTC>50000"), QStringLiteral(" BTC > 5e4"), QStringLiteral("ETH<2000")});
    QVERIFY(r.ok());
    QCOMPARE(r->size(), size_t(2));
    const auto bad = parseAlertRules({QStringLiteral("BTC>50000"), QStringLiteral("ETH<")});
    QVERIFY(!bad.ok());
    QVERIFY(bad.errorMessage().contains(QStringLiteral("ETH<")));
}

void TstAlertRules::hysteresis_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<Steps>("steps");
    QTest::addColumn<QList<int>>("fired");
    QTest::newRow("above: first tick above fires")
        << QStringLiteral("X>100") << prices({101, 102}) << QList<int>{0};
    QTest::newRow("above: crossing up once")
        << QStringLiteral("X>100") << prices({99, 100, 101, 105, 103}) << QList<int>{2};
    QTest::newRow("above: at the level is not above")
        << QStringLiteral("X>100") << prices({99, 100, 100}) << QList<int>{};
    QTest::newRow("above: re-arms after crossing back")
        << QStringLiteral("X>100") << prices({99, 101, 100, 101, 99, 102}) << QList<int>{1, 3, 5};
    QTest::newRow("above: noise above stays one alert")
        << QStringLiteral("X>100") << prices({99, 101, 100.5, 101, 100.1}) << QList<int>{1};
    QTest::newRow("below: crossing down")
        << QStringLiteral("X<50") << prices({60, 55, 49, 48, 51, 49.99}) << QList<int>{2, 5};
    QTest::newRow("below: never") << QStringLiteral("X<50") << prices({60, 50, 70}) << QList<int>{};
    QTest::newRow("move up") << QStringLiteral("X%10s>2") << prices({100, 101, 102.5, 103})
                             << QList<int>{2};
    QTest::newRow("move down") << QStringLiteral("X%10s>2") << prices({100, 99, 97.9, 97.5})
                               << QList<int>{2};
    QTest::newRow("move exactly 2% is not more")
        << QStringLiteral("X%10s>2") << prices({100, 102}) << QList<int>{};
    // The low of 100 leaves the 3 s window: the condition stops holding, then a new move fires.
    QTest::newRow("move re-arms when the window slides")
        << QStringLiteral("X%3s>2") << prices({100, 101, 102.1, 102.2, 102.3, 102.3, 104.5})
        << QList<int>{2, 6};
    // Ticks 10 s apart: a move across more than the window never fires.
    QTest::newRow("move slower than the window")
        << QStringLiteral("X%5s>2") << prices({100, 101.5, 103, 104.5}, 10000) << QList<int>{};
    QTest::newRow("move both ways")
        << QStringLiteral("X%60s>5") << prices({100, 106, 104, 100.6, 99}) << QList<int>{1, 3};
}

void TstAlertRules::hysteresis()
{
    QFETCH(QString, rule);
    QFETCH(Steps, steps);
    QFETCH(QList<int>, fired);
    auto r = parseAlertRule(rule);
    QVERIFY(r.ok());
    AlertEvaluator ev({r.value()});
    QCOMPARE(firing(ev, "X", steps), fired);
}

void TstAlertRules::lateTickSkipped()
{
    AlertEvaluator ev({parseAlertRule(QStringLiteral("X>100")).value()});
    std::vector<AlertTrigger> out;
    ev.feed(tickAt("X", 2000, 99), out);
    ev.feed(tickAt("X", 1000, 150), out); // older: neither fires nor disarms
    QVERIFY(out.empty());
    ev.feed(tickAt("X", 2000, 101), out); // same event time: taken
    QCOMPARE(out.size(), size_t(1));
    QCOMPARE(out[0].rule, std::string("X>100"));
    QCOMPARE(out[0].tick.price, 101.0);
    QCOMPARE(out[0].detail, std::string("above 100"));
}

void TstAlertRules::otherSymbolIgnored()
{
    AlertEvaluator ev({parseAlertRule(QStringLiteral("X>100")).value(),
                       parseAlertRule(QStringLiteral("Y<5")).value()});
    std::vector<AlertTrigger> out;
    ev.feed(tickAt("Y", 1, 500), out);
    ev.feed(tickAt("Z", 2, 1), out);
    QVERIFY(out.empty());
    ev.feed(tickAt("Y", 3, 4), out);
    QCOMPARE(out.size(), size_t(1));
    QCOMPARE(out[0].rule, std::string("Y<5"));
    QCOMPARE(ev.symbols(), (std::vector<std::string>{"X", "Y"}));
}

void TstAlertRules::restoreContinues_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<Steps>("steps");
    QTest::addColumn<int>("splitAt");
    QTest::newRow("above, split while above")
        << QStringLiteral("X>100") << prices({99, 101, 102, 99, 103}) << 2;
    QTest::newRow("above, split while below")
        << QStringLiteral("X>100") << prices({99, 101, 99, 98, 103}) << 3;
    QTest::newRow("below, split right after firing")
        << QStringLiteral("X<50") << prices({60, 49, 48, 51, 49}) << 2;
    QTest::newRow("move, split inside the move")
        << QStringLiteral("X%5s>2") << prices({100, 101, 102.5, 103, 99, 100, 103}) << 3;
    QTest::newRow("move, split before the move")
        << QStringLiteral("X%5s>2") << prices({100, 100.5, 101, 102.2, 101, 98}) << 3;
}

// A restart at any point (state + window from what was stored) fires exactly what one run fires.
void TstAlertRules::restoreContinues()
{
    QFETCH(QString, rule);
    QFETCH(Steps, steps);
    QFETCH(int, splitAt);
    const AlertRule r = parseAlertRule(rule).value();
    AlertEvaluator whole({r});
    const QList<int> expected = firing(whole, "X", steps);

    AlertEvaluator first({r});
    QList<int> got = firing(first, "X", steps.mid(0, splitAt));
    const std::vector<AlertRuleState> states = first.takeChangedStates();
    QCOMPARE(states.size(), size_t(1));
    std::vector<Tick> stored;
    for (int i = 0; i < splitAt; ++i)
        stored.push_back(tickAt("X", steps[i].first, steps[i].second));

    AlertEvaluator second({r});
    second.restore(states[0], stored);
    // A replay of the stored ticks (the database says they are not new) is never fed; the rest is.
    for (int i : firing(second, "X", steps.mid(splitAt)))
        got.append(i + splitAt);
    QCOMPARE(got, expected);
    QVERIFY(!expected.isEmpty());

    // Without the restore the second half would decide differently in at least the "while above"
    // cases: a fresh evaluator treats its first tick as a new crossing.
}

void TstAlertRules::changedStates()
{
    AlertEvaluator ev({parseAlertRule(QStringLiteral("X>100")).value(),
                       parseAlertRule(QStringLiteral("Y>1")).value()});
    std::vector<AlertTrigger> out;
    ev.feed(tickAt("X", 10, 101), out);
    auto states = ev.takeChangedStates();
    QCOMPARE(states.size(), size_t(1));
    QCOMPARE(states[0], (AlertRuleState{"X>100", 10, true}));
    QVERIFY(ev.takeChangedStates().empty());
    ev.reset();
    ev.feed(tickAt("X", 11, 102), out);
    QCOMPARE(out.size(), size_t(2)); // after a reset the first tick above fires again
}

QTEST_APPLESS_MAIN(TstAlertRules)
#include "tst_alert_rules.moc"
