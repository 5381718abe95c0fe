// The health panel shows the headless summary's figures under the same names, and lag in seconds
// next to lag in messages for every partition.
#include "health_panel.h"

#include <QLocale>
#include <QTableWidget>
#include <QTest>

using namespace ms;
using namespace ms::ui;

class TstUiHealth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void figuresAndLagInSeconds()
    {
        MetricsSnapshot s;
        s.timestampMs = 1'700'000'000'000;
        s.stored = 212745;
        s.duplicates = 50;
        s.candleWrites = 627296;
        s.lagMessages = 17;
        s.lagSeconds = 1.25;
        ConsumerLag behind;
        behind.topic = QStringLiteral("crypto_topic");
        behind.partition = 2;
        behind.position = 4000;
        behind.lagMessages = 17;
        behind.lagSeconds = 1.25;
        ConsumerLag unknown = behind;
        unknown.partition = 3;
        unknown.lagMessages = -1;
        unknown.lagSeconds = -1;
        unknown.position = -1;
        s.partitions = {behind, unknown};
        HealthPanel panel;
        QVERIFY(panel.update(s, s.timestampMs));
        const QString summary = panel.summary();
        QVERIFY2(summary.contains(QStringLiteral("stored 212,745 new rows")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("duplicates 50")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("candle writes 627,296")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("lag 17 messages, 1.250 s")), qPrintable(summary));

        QTableWidget *t = panel.partitionsTable();
        QCOMPARE(t->rowCount(), 2);
        QCOMPARE(t->horizontalHeaderItem(2)->text(), QStringLiteral("Lag (messages)"));
        QCOMPARE(t->horizontalHeaderItem(3)->text(), QStringLiteral("Lag (seconds)"));
        QCOMPARE(t->horizontalHeaderItem(4)->text(), QStringLiteral("Position"));
        QCOMPARE(t->item(0, 2)->text(), QStringLiteral("17"));
        QCOMPARE(t->item(0, 3)->text(), QStringLiteral("1.250 s"));
        QCOMPARE(t->item(0, 4)->text(), QStringLiteral("4,000"));
        QCOMPARE(t->item(1, 2)->text(), QStringLiteral("unknown"));
        QCOMPARE(t->item(1, 3)->text(), QStringLiteral("unknown"));
        QCOMPARE(t->item(1, 4)->text(), QStringLiteral("unknown"));
    }
};

QTEST_MAIN(TstUiHealth)
#include "tst_ui_health.moc"
