#pragma once
// A ConsumerWorker on the embedded broker (one partition per topic, read by static assignment),
// fed by a plain librdkafka producer, storing into PostgreSQL or SQLite; and a reader of the DLQ.
#include "kafka/consumer.h"
#include "kafka/dead_letter.h"
#include "kafka/embedded_broker.h"
#include "runtime/consumer_worker.h"
#include "runtime/metrics_registry.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QThread>
#include <atomic>
#include <functional>
#include <librdkafka/rdkafka.h>
#include <map>
#include <optional>
#include <thread>

namespace ms::test {

inline const std::string kCrypto = "crypto_topic";
inline const std::string kStock = "stock_topic";

struct RawMessage
{
    std::string key;
    std::optional<std::string> value; // nullopt: a tombstone (NULL value)
};

// Produces with librdkafka directly (no app code on this side), waits for every acknowledgement.
inline bool produceRaw(const QString &bootstrap, const std::string &topic,
                       const std::vector<RawMessage> &messages, QString *error = nullptr)
{
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.toUtf8().constData(), err, sizeof err);
    rd_kafka_conf_set(conf, "message.max.bytes", "10000000", err, sizeof err);
    rd_kafka_conf_set(conf, "linger.ms", "0", err, sizeof err);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) {
        if (error)
            *error = QString::fromUtf8(err);
        return false;
    }
    bool ok = true;
    for (const RawMessage &m : messages) {
        void *payload = m.value.has_value() ? const_cast<char *>(m.value->data()) : nullptr;
        const size_t payloadSize = m.value.has_value() ? m.value->size() : 0;
        const rd_kafka_resp_err_t e = rd_kafka_producev(
            rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(0),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(m.key.data(), m.key.size()),
            RD_KAFKA_V_VALUE(payload, payloadSize), RD_KAFKA_V_END);
        if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
            ok = false;
            if (error)
                *error = QString::fromUtf8(rd_kafka_err2str(e));
        }
    }
    if (rd_kafka_flush(rk, 20000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        ok = false;
    rd_kafka_destroy(rk);
    return ok;
}

struct DeadLetter
{
    qint64 offset = -1;
    std::string value;
    std::map<std::string, std::string> headers;
    std::string header(const std::string &name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// Every message of `<topic>.dlq` partition 0, read from the beginning with kcat (an outside
// client).
inline std::vector<DeadLetter> readDeadLetters(const kafka::EmbeddedBroker &broker,
                                               const std::string &topic)
{
    std::vector<DeadLetter> out;
    QProcess kcat;
    kcat.start(QStringLiteral("kcat"),
               {QStringLiteral("-C"), QStringLiteral("-b"), broker.bootstrapServers(),
                QStringLiteral("-t"), QString::fromStdString(topic + ".dlq"), QStringLiteral("-p"),
                QStringLiteral("0"), QStringLiteral("-o"), QStringLiteral("beginning"),
                QStringLiteral("-e"), QStringLiteral("-J"), QStringLiteral("-q")});
    if (!kcat.waitForFinished(30000)) {
        kcat.kill();
        kcat.waitForFinished(5000);
        return out;
    }
    for (const QByteArray &line : kcat.readAllStandardOutput().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty())
            continue;
        DeadLetter d;
        d.offset = o.value(QStringLiteral("offset")).toInteger(-1);
        d.value = o.value(QStringLiteral("payload")).toString().toStdString();
        const QJsonArray h = o.value(QStringLiteral("headers")).toArray();
        for (qsizetype i = 0; i + 1 < h.size(); i += 2)
            d.headers[h[i].toString().toStdString()] = h[i + 1].toString().toStdString();
        out.push_back(std::move(d));
    }
    return out;
}

// One ConsumerWorker on its own thread until stop() or a fatal error.
class WorkerRun
{
public:
    WorkerRun(const kafka::EmbeddedBroker &broker, const DatabaseUrl &db,
              kafka::DeadLetterWriter *dlq, const QString &group = QStringLiteral("hardening"))
    {
        ConsumerWorkerOptions o;
        o.kafka.bootstrap = broker.bootstrapServers();
        o.kafka.props.insert(QStringLiteral("fetch.wait.max.ms"), QStringLiteral("5"));
        o.group = group;
        o.cryptoTopic = kCrypto;
        o.stockTopic = kStock;
        o.database = db;
        o.candles.intervalsSec = {1, 60};
        o.staticPartitions = {kafka::TopicPartition{kCrypto, 0}, kafka::TopicPartition{kStock, 0}};
        m_worker = std::make_unique<ConsumerWorker>(o, metrics, nullptr, dlq, nullptr);
        m_thread = std::thread([this] {
            m_result = m_worker->run(m_stop);
            m_done = true;
        });
    }
    ~WorkerRun() { (void)stop(); }

    // Waits until `cond` holds (true) or the worker ended / time ran out (false).
    bool waitFor(const std::function<bool()> &cond, int timeoutMs = 60000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (cond())
                return true;
            if (m_done.load())
                return cond();
            QThread::msleep(20);
        }
        return cond();
    }
    bool finished() const { return m_done.load(); }
    Status stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
        return m_result;
    }
    Status result() const { return m_result; }

    MetricsRegistry metrics;

private:
    std::unique_ptr<ConsumerWorker> m_worker;
    std::atomic_bool m_stop{false};
    std::atomic_bool m_done{false};
    Status m_result;
    std::thread m_thread;
};

} // namespace ms::test
