// librdkafka's pause/resume report failures per partition, not in their return value: the checks in
// Consumer and TopicTail must read the elements (kafka/partition_list.h).
#include "kafka/partition_list.h"

#include <QTest>

using namespace ms::kafka;

class TstPartitionErrors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pauseOfAPartitionNotHeldFails_data()
    {
        QTest::addColumn<bool>("pause");
        QTest::newRow("pause") << true;
        QTest::newRow("resume") << false;
    }
    void pauseOfAPartitionNotHeldFails()
    {
        QFETCH(bool, pause);
        // A consumer handle needs no broker to exist; it holds no partition at all.
        char err[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        QCOMPARE(rd_kafka_conf_set(conf, "group.id", "tst-partition-errors", err, sizeof err), RD_KAFKA_CONF_OK);
        QCOMPARE(rd_kafka_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", err, sizeof err), RD_KAFKA_CONF_OK);
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
        QVERIFY2(rk, err);
        const PartitionListHandle parts = detail::toList({TopicPartition{"crypto_topic", 3}});
        const rd_kafka_resp_err_t returned =
            pause ? rd_kafka_pause_partitions(rk, parts.get()) : rd_kafka_resume_partitions(rk, parts.get());
        // What librdkafka 2.0.2 does: no error returned, the element carries it.
        QCOMPARE(returned, RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(parts->elems[0].err, RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);
        QCOMPARE(detail::withPartitionErrors(returned, parts.get()), RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);
        rd_kafka_destroy(rk);
    }
    void successStaysSuccess()
    {
        const PartitionListHandle parts = detail::toList({TopicPartition{"t", 0}, TopicPartition{"t", 1}});
        QCOMPARE(detail::withPartitionErrors(RD_KAFKA_RESP_ERR_NO_ERROR, parts.get()), RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(detail::withPartitionErrors(RD_KAFKA_RESP_ERR__STATE, parts.get()), RD_KAFKA_RESP_ERR__STATE);
    }
};

QTEST_GUILESS_MAIN(TstPartitionErrors)
#include "tst_partition_errors.moc"
