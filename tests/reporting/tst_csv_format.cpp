// CSV numbers: the shortest text that reads back to the same double (std::to_chars), whatever the
// locale and however the value reached us (a double, or a server's 17-digit text).
#include "reporting/csv_format.h"

#include <QLocale>
#include <QTest>

#include <charconv>
#include <cstring>
#include <limits>
#include <random>

using namespace ms::reporting;

namespace {

QByteArray csvDouble(double v)
{
    QByteArray out;
    appendCsvDouble(out, v);
    return out;
}

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

double parse(const QByteArray &text)
{
    double v = std::numeric_limits<double>::quiet_NaN();
    std::from_chars(text.constData(), text.constData() + text.size(), v);
    return v;
}

}  // namespace

class TestCsvFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shortestForm_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("price") << 189.39 << QByteArray("189.39");
        QTest::newRow("price 2") << 2298.74 << QByteArray("2298.74");
        QTest::newRow("vwap") << 6.43827 << QByteArray("6.43827");
        QTest::newRow("computed vwap") << 6.438269999999995 << QByteArray("6.438269999999995");
        QTest::newRow("0.1+0.2") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
        QTest::newRow("integer") << 150.0 << QByteArray("150");
        QTest::newRow("zero") << 0.0 << QByteArray("0");
        QTest::newRow("negative zero") << -0.0 << QByteArray("-0");
        QTest::newRow("negative") << -2331.6 << QByteArray("-2331.6");
        QTest::newRow("satoshi") << 1e-8 << QByteArray("1e-08");
        QTest::newRow("smallest denormal") << std::numeric_limits<double>::denorm_min() << QByteArray("5e-324");
        QTest::newRow("largest denormal") << 2.225073858507201e-308 << QByteArray("2.225073858507201e-308");
        QTest::newRow("smallest normal") << std::numeric_limits<double>::min() << QByteArray("2.2250738585072014e-308");
        QTest::newRow("largest") << std::numeric_limits<double>::max() << QByteArray("1.7976931348623157e+308");
        QTest::newRow("large volume") << 123456789012345.6 << QByteArray("123456789012345.6");
        QTest::newRow("2^53+2") << 9007199254740994.0 << QByteArray("9007199254740994");
    }

    void shortestForm()
    {
        QFETCH(double, value);
        QFETCH(QByteArray, text);
        const QByteArray written = csvDouble(value);
        QCOMPARE(written, text);
        QVERIFY2(sameBits(parse(written), value), written.constData());
        // Through the typed path too (a QVariant double, as QtSql gives it).
        QByteArray viaVariant;
        appendCsvValue(viaVariant, QVariant(value), ColumnType::Double);
        QCOMPARE(viaVariant, text);
    }

    void serverTextWithNoiseIsCleaned()
    {
        // PostgreSQL with extra_float_digits = 3 sends 17 digits of the double nearest 189.39
        // ("189.38999999999999"); the same double comes out short.
        QByteArray out;
        appendCsvValue(out, QVariant(QStringLiteral("189.38999999999999")), ColumnType::Double);
        QCOMPARE(out, QByteArray("189.39"));
        out.clear();
        appendCsvValue(out, QVariant(QStringLiteral("2298.7399999999998")), ColumnType::Double);
        QCOMPARE(out, QByteArray("2298.74"));
        // A different double (one ulp above 189.39, what 18939 * 0.01 gives) keeps its own digits:
        // the writer never rounds a value into another one.
        out.clear();
        appendCsvValue(out, QVariant(18939 * 0.01), ColumnType::Double);
        QCOMPARE(out, QByteArray("189.39000000000001"));
    }

    void randomDoublesRoundTripExactly()
    {
        std::mt19937_64 rng(20261201);
        std::uniform_real_distribution<double> price(0.0001, 100000.0);
        for (int i = 0; i < 200000; ++i) {
            // Half arbitrary bit patterns (every exponent, denormals included), half price-like values.
            double v;
            if (i % 2) {
                const quint64 bits = rng();
                std::memcpy(&v, &bits, sizeof v);
                if (!std::isfinite(v))
                    continue;
            } else {
                v = price(rng);
            }
            const QByteArray t = csvDouble(v);
            QVERIFY2(sameBits(parse(t), v), t.constData());
            QVERIFY2(t.size() <= 24, t.constData());
        }
    }

    void decimalsWithFewDigitsStayShort()
    {
        // Any value typed with <= 15 significant digits (prices, volumes) comes back as typed: no noise.
        std::mt19937_64 rng(7);
        for (int i = 0; i < 100000; ++i) {
            const qint64 mantissa = qint64(rng() % 100000000000LL);  // up to 11 digits
            const int scale = int(rng() % 9);
            const QByteArray typed = QByteArray::number(mantissa) + "e-" + QByteArray::number(scale);
            const double v = parse(typed);
            const QByteArray t = csvDouble(v);
            QVERIFY2(parse(t) == v, t.constData());
            int digits = 0;
            for (char c : t.left(t.indexOf('e') < 0 ? t.size() : t.indexOf('e')))
                digits += (c >= '0' && c <= '9') ? 1 : 0;
            QVERIFY2(digits <= 11, QByteArray(typed + " -> " + t).constData());
        }
    }

    void localeNeverChangesTheDecimalPoint()
    {
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QCOMPARE(csvDouble(1234.5), QByteArray("1234.5"));
        QLocale::setDefault(QLocale::c());
    }

    void nonFiniteIsNull()
    {
        QCOMPARE(csvDouble(std::numeric_limits<double>::quiet_NaN()), QByteArray());
        QCOMPARE(csvDouble(std::numeric_limits<double>::infinity()), QByteArray());
        QCOMPARE(csvDouble(-std::numeric_limits<double>::infinity()), QByteArray());
    }
};

QTEST_MAIN(TestCsvFormat)
#include "tst_csv_format.moc"
