// The Inspector tab against an embedded broker owned by the test: it lists the topics (the .dlq
// ones included), tails one from the beginning into the table, filters it by text, shows the
// selected message pretty-printed, pauses and restarts.
#include "inspector_model.h"
#include "inspector_panel.h"
#include "kafka/embedded_broker.h"
#include "kafka/producer.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

using namespace ms;

class TstUiInspector : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<kafka::EmbeddedBroker> m_broker;
    std::unique_ptr<kafka::Producer> m_producer;
    std::atomic_bool m_stop{false};
    const QStringList m_symbols{QStringLiteral("BTC"), QStringLiteral("ETH"),
                                QStringLiteral("SOL")};
    const int m_count = 60; // 20 per symbol

    bool produce(int from, int to)
    {
        for (int i = from; i < to; ++i) {
            const std::string sym = m_symbols.at(i % m_symbols.size()).toStdString();
            const kafka::Headers h{{"seq", std::to_string(i)}};
            const std::string v =
                "{\"symbol\":\"" + sym + "\",\"price\":" + std::to_string(100 + i) + "}";
            if (!m_producer->produce("crypto_topic", sym, v, m_stop, &h).ok())
                return false;
        }
        return m_producer->flush(10000) == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto b =
            kafka::EmbeddedBroker::start({kafka::TopicSpec{QStringLiteral("crypto_topic"), 2}});
        QVERIFY2(b.ok(), qPrintable(b.errorMessage()));
        m_broker = std::move(b).value();
        kafka::KafkaSettings s;
        s.bootstrap = m_broker->bootstrapServers();
        auto p = kafka::Producer::create(s);
        QVERIFY2(p.ok(), qPrintable(p.errorMessage()));
        m_producer = std::move(p).value();
        QVERIFY(produce(0, m_count));
    }

    void tailsFiltersAndShowsTheValue()
    {
        ui::InspectorPanel panel;
        panel.setClusterProvider([this] {
            kafka::KafkaSettings s;
            s.bootstrap = m_broker->bootstrapServers();
            return s;
        });
        panel.resize(1000, 600);
        panel.show();
        QSignalSpy listed(&panel, &ui::InspectorPanel::topicsListed);
        panel.refreshTopics();
        QVERIFY(listed.wait(10000));
        QVERIFY(panel.topicBox()->findText(QStringLiteral("crypto_topic.dlq")) >= 0);
        panel.topicBox()->setCurrentText(QStringLiteral("crypto_topic"));
        panel.startBox()->setCurrentIndex(1); // from the beginning
        QSignalSpy started(&panel, &ui::InspectorPanel::tailStarted);
        QTest::mouseClick(panel.findChild<QPushButton *>(QStringLiteral("inspectorTail")),
                          Qt::LeftButton);
        QVERIFY(started.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), m_count, 15000);

        // The filter finds text in keys, headers and values, case-insensitively.
        QTest::keyClicks(panel.filterEdit(), QStringLiteral("eth"));
        QCOMPARE(panel.filtered()->rowCount(), m_count / 3);
        for (int r = 0; r < panel.filtered()->rowCount(); ++r)
            QCOMPARE(panel.filtered()->index(r, ui::InspectorModel::Key).data().toString(),
                     QStringLiteral("ETH"));
        panel.filterEdit()->setText(QStringLiteral("seq=7")); // a header value (seq 0..59: only 7)
        QCOMPARE(panel.filtered()->rowCount(), 1);

        // The selected message: partition, offset, headers, the value indented.
        panel.table()->selectRow(0);
        const QString detail = panel.detail()->toPlainText();
        QVERIFY2(detail.contains(QStringLiteral("Header seq: 7")), qPrintable(detail));
        QVERIFY2(detail.contains(QStringLiteral("\n    \"symbol\": \"ETH\"")),
                 qPrintable(detail)); // 7 % 3 = ETH
        QVERIFY(detail.contains(QStringLiteral("crypto_topic [")));

        // New messages arrive while tailing; the filter applies to them too.
        panel.filterEdit()->clear();
        QVERIFY(produce(m_count, m_count + 6));
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), m_count + 6, 15000);
        QVERIFY(panel.statusLabel()->text().contains(
            QStringLiteral("%1 messages received").arg(m_count + 6)));

        // Pause, then a restart from the end: the table starts empty and stays so until new data.
        panel.setPaused(true);
        QCOMPARE(panel.pauseButton()->text(), QStringLiteral("Resume"));
        QTRY_VERIFY_WITH_TIMEOUT(panel.statusLabel()->text().endsWith(QStringLiteral("paused")),
                                 5000);
        panel.setPaused(false);
        panel.startBox()->setCurrentIndex(0);
        started.clear();
        panel.startTail();
        QVERIFY(started.wait(10000));
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(produce(m_count + 6, m_count + 9));
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 3, 15000);
    }

    void unknownTopicIsShown()
    {
        ui::InspectorPanel panel;
        panel.clusterEdit()->setText(m_broker->bootstrapServers()); // typed: an "external" cluster
        panel.topicBox()->setCurrentText(QStringLiteral("no_such_topic"));
        panel.startTail();
        QTRY_VERIFY_WITH_TIMEOUT(
            panel.statusLabel()->text().contains(QStringLiteral("no_such_topic")), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.tailing(), 5000);
        QCOMPARE(panel.model()->rowCount(), 0);
    }

    void closingWithARunQueuedOrStartingEnds()
    {
        // The panel goes while its worker is still connecting (an unreachable cluster would keep
        // open() busy for its whole timeout) and while a restart is queued behind it: the stop is
        // seen by both runs, so the destructor's wait ends (a hang here fails by the test timeout).
        auto panel = std::make_unique<ui::InspectorPanel>();
        panel->clusterEdit()->setText(QStringLiteral("127.0.0.1:1"));
        panel->topicBox()->setCurrentText(QStringLiteral("crypto_topic"));
        panel->startTail();
        panel->startTail();  // a restart, queued until the first run stops
        panel.reset();
        QVERIFY(!panel);
    }

    void cleanupTestCase()
    {
        m_producer.reset();
        m_broker.reset();
    }
};

QTEST_MAIN(TstUiInspector)
#include "tst_ui_inspector.moc"
