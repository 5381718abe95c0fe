// The shared price formatter: decimals derived from the prices (tick size), thousands separators,
// volumes in the instrument's unit, changes with a sign. QtCore only, C locale for stable text.
#include "price_format.h"

#include <QLocale>
#include <QTest>

using namespace ms::ui;

class TstUiPriceFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void decimalsNeeded_data()
    {
        QTest::addColumn<double>("price");
        QTest::addColumn<int>("decimals");
        QTest::newRow("whole") << 184.0 << 0;
        QTest::newRow("one") << 189.9 << 1;
        QTest::newRow("cents") << 189.91 << 2;
        QTest::newRow("cents, binary noise") << 0.1 + 0.2 << 1;
        QTest::newRow("four") << 0.1234 << 4;
        QTest::newRow("satoshi") << 0.00000012 << 8;
        QTest::newRow("noise is capped") << 1.0 / 3.0 << kMaxPriceDecimals;
        QTest::newRow("big, cents") << 67432.17 << 2;
    }
    void decimalsNeeded()
    {
        QFETCH(double, price);
        QFETCH(int, decimals);
        QCOMPARE(ms::ui::decimalsNeeded(price), decimals);
    }

    void decimalsFollowTheInstrument()
    {
        PriceDecimals d;
        QVERIFY(!d.known());
        QCOMPARE(d.decimals(189.9), 2); // default before any price
        d.observe(189.9);
        d.observe(190.0);
        QCOMPARE(d.decimals(190.0), 2); // never fewer than cents
        d.observe(0.1234);              // a finer step seen once: the instrument quotes it
        QCOMPARE(d.decimals(190.0), 4);
        d.observe(190.0); // and stays so: the same instrument never switches back and forth
        QCOMPARE(d.decimals(190.0), 4);
        QCOMPARE(d.tickSize(190.0), 0.0001);
        PriceDecimals cents;
        cents.observe(189.9);
        cents.observe(189.91);
        // The same decimals for every value of the instrument: watchlist, header, tooltip agree.
        QCOMPARE(ms::ui::formatPrice(189.91, cents.decimals(189.91)), QStringLiteral("189.91"));
        QCOMPARE(ms::ui::formatPrice(189.9, cents.decimals(189.9)), QStringLiteral("189.90"));
        cents.observe(-1); // nonsense is ignored
        cents.observe(std::numeric_limits<double>::quiet_NaN());
        QCOMPARE(cents.decimals(1), 2);
    }

    void defaults_data()
    {
        QTest::addColumn<double>("price");
        QTest::addColumn<int>("decimals");
        QTest::newRow("btc") << 67000.0 << 2;
        QTest::newRow("stock") << 189.0 << 2;
        QTest::newRow("cents coin") << 0.25 << 4;
        QTest::newRow("tiny coin") << 0.0000123 << 8;
    }
    void defaults()
    {
        QFETCH(double, price);
        QFETCH(int, decimals);
        QCOMPARE(defaultDecimals(price), decimals);
    }

    void formatPrice_data()
    {
        QTest::addColumn<double>("price");
        QTest::addColumn<int>("decimals");
        QTest::addColumn<QString>("text");
        QTest::newRow("thousands") << 67432.1 << 2 << QStringLiteral("67,432.10");
        QTest::newRow("millions") << 1234567.891 << 2 << QStringLiteral("1,234,567.89");
        QTest::newRow("small") << 0.00012345 << 8 << QStringLiteral("0.00012345");
        QTest::newRow("zero decimals") << 1999.6 << 0 << QStringLiteral("2,000");
        QTest::newRow("clamped") << 1.5 << 20 << QStringLiteral("1.50000000");
    }
    void formatPrice()
    {
        QFETCH(double, price);
        QFETCH(int, decimals);
        QFETCH(QString, text);
        QCOMPARE(ms::ui::formatPrice(price, decimals), text);
    }

    void formatChange_data()
    {
        QTest::addColumn<std::optional<double>>("pct");
        QTest::addColumn<QString>("text");
        QTest::newRow("up") << std::optional<double>(1.254) << QStringLiteral("+1.25%");
        QTest::newRow("down") << std::optional<double>(-0.4) << QStringLiteral("-0.40%");
        QTest::newRow("tiny fall is flat")
            << std::optional<double>(-0.001) << QStringLiteral("0.00%");
        QTest::newRow("absent") << std::optional<double>() << QStringLiteral("—");
    }
    void formatChange()
    {
        QFETCH(std::optional<double>, pct);
        QFETCH(QString, text);
        QCOMPARE(ms::ui::formatChangePercent(pct), text);
    }

    void formatVolume_data()
    {
        QTest::addColumn<double>("volume");
        QTest::addColumn<int>("unit");
        QTest::addColumn<QString>("text");
        QTest::newRow("shares are whole")
            << 4888.0 << int(VolumeUnit::Shares) << QStringLiteral("4,888 shares");
        QTest::newRow("millions of shares")
            << 12400000.0 << int(VolumeUnit::Shares) << QStringLiteral("12.40M shares");
        QTest::newRow("coins") << 1.25 << int(VolumeUnit::Coins) << QStringLiteral("1.25 BTC");
        QTest::newRow("fractions of a coin")
            << 0.01234 << int(VolumeUnit::Coins) << QStringLiteral("0.0123 BTC");
        QTest::newRow("many coins")
            << 12480.4 << int(VolumeUnit::Coins) << QStringLiteral("12,480 BTC");
    }
    void formatVolume()
    {
        QFETCH(double, volume);
        QFETCH(int, unit);
        QFETCH(QString, text);
        QCOMPARE(ms::ui::formatVolume(volume, VolumeUnit(unit), QStringLiteral("BTC")), text);
    }
};

QTEST_GUILESS_MAIN(TstUiPriceFormat)
#include "tst_ui_price_format.moc"
