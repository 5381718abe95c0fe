// One colour per symbol: the original symbols keep their fixed colours, any two symbols differ while
// there are fewer than paletteSize() of them, and a symbol keeps its colour on every later call (the
// Power BI tab's charts and tables, and any other chart that asks).
#include "symbol_palette.h"

#include <QSet>
#include <QTest>
#include <QtConcurrent>

using namespace ms::ui;

class TestSymbolPalette : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void originalSymbolsAreDistinctAndFixed()
    {
        const QStringList symbols = {QStringLiteral("BTC"), QStringLiteral("ETH"), QStringLiteral("BNB"), QStringLiteral("SOL"),
                                     QStringLiteral("XRP"), QStringLiteral("AAPL"), QStringLiteral("MSFT"),
                                     QStringLiteral("GOOGL"), QStringLiteral("AMZN"), QStringLiteral("TSLA")};
        QSet<QRgb> seen;
        for (const QString &s : symbols)
            seen.insert(symbolColor(s).rgb());
        QCOMPARE(seen.size(), symbols.size());
        QCOMPARE(paletteSize(), 10);
        QCOMPARE(symbolColor(QStringLiteral("BTC")), symbolPalette().at(1));  // orange, whoever asked first
        for (const QString &s : symbols)
            QCOMPARE(symbolColor(s), symbolColor(s));
    }

    void otherSymbolsGetAColourOfTheirOwnAndKeepIt()
    {
        // The palette is full (previous test): new symbols get distinct overflow hues, stable per symbol.
        const QColor doge = symbolColor(QStringLiteral("DOGE"));
        const QColor ada = symbolColor(QStringLiteral("ADA"));
        QVERIFY(doge.isValid() && ada.isValid());
        QVERIFY(doge != ada);
        QCOMPARE(symbolColor(QStringLiteral("DOGE")), doge);
        QCOMPARE(symbolColor(QStringLiteral("ADA")), ada);
    }

    void threadSafe()
    {
        QStringList names;
        for (int i = 0; i < 200; ++i)
            names.append(QStringLiteral("S%1").arg(i % 40));
        const QList<QRgb> colours = QtConcurrent::blockingMapped(names, [](const QString &s) { return symbolColor(s).rgb(); });
        for (int i = 0; i < names.size(); ++i)
            QCOMPARE(colours.at(i), symbolColor(names.at(i)).rgb());
    }
};

QTEST_MAIN(TestSymbolPalette)
#include "tst_symbol_palette.moc"
