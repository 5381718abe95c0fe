#include "kafka/embedded_broker.h"
#include "kafka/metadata_wait.h"

#include "kafka/kafka_config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace ms::kafka {

namespace {

// librdkafka 2.0.2's mock cluster thread sometimes misses the wake-up for an operation from the
// application (rd_kafka_mock_topic_create, set_down/up) and serves it only when its 1 s poll
// times out: half of the pipeline starts here took exactly 1 s longer (strace: the caller's
// futex wait ends right after the mock thread's poll(…, 1000) times out). A connection to one of
// its listeners ends that poll too, so while such an operation runs, a helper connects every 2 ms.
class MockThreadWaker
{
public:
    explicit MockThreadWaker(const QString &bootstrap)
    {
        const QString first = bootstrap.section(u',', 0, 0);
        const int port = first.section(u':', -1).toInt();
        if (port <= 0)
            return;
        m_thread = std::thread([this, port] {
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_port = htons(uint16_t(port));
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            while (!m_stop.load()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                // Non-blocking: a blocking connect to a listener whose accept queue is full waits
                // for SYN retries (seconds), and the operation's caller joins this thread.
                const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
                if (fd < 0)
                    continue;
                (void)::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr);
                ::close(fd);
            }
        });
    }
    ~MockThreadWaker()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    MockThreadWaker(const MockThreadWaker &) = delete;
    MockThreadWaker &operator=(const MockThreadWaker &) = delete;

private:
    std::atomic_bool m_stop{false};
    std::thread m_thread;
};

}  // namespace

Result<std::unique_ptr<EmbeddedBroker>> EmbeddedBroker::start(const QList<TopicSpec> &topics, int brokers,
                                                              bool withDeadLetter)
{
    if (brokers < 1)
        return makeError(QStringLiteral("embedded broker: broker count must be at least 1"),
                         QStringLiteral("kafka_bad_argument"));
    std::unique_ptr<EmbeddedBroker> b(new EmbeddedBroker);
    ConfHandle conf(rd_kafka_conf_new());
    // The host handle only anchors the mock cluster; keep it quiet.
    if (Status s = setProperty(conf.get(), QStringLiteral("log_level"), QStringLiteral("3")); !s)
        return s.error();
    char err[512] = {};
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), err, sizeof err);
    if (!rk)
        return makeError(QStringLiteral("embedded broker: cannot create host handle: ") + QString::fromUtf8(err),
                         QStringLiteral("kafka_embedded_failed"));
    conf.release();  // owned by rk now
    b->m_handle.reset(rk);
    b->m_cluster.reset(rd_kafka_mock_cluster_new(rk, brokers));
    if (!b->m_cluster)
        return makeError(QStringLiteral("embedded broker: cannot start the mock cluster (loopback listen failed?)"),
                         QStringLiteral("kafka_embedded_failed"));
    b->m_brokers = brokers;
    b->m_bootstrap = QString::fromUtf8(rd_kafka_mock_cluster_bootstraps(b->m_cluster.get()));
    for (const TopicSpec &t : topics) {
        if (Status s = b->createTopic(t); !s)
            return s.error();
        if (withDeadLetter) {
            if (Status s = b->createTopic(TopicSpec{deadLetterTopic(t.name), t.partitions}); !s)
                return s.error();
        }
    }
    return b;
}

EmbeddedBroker::~EmbeddedBroker()
{
    m_cluster.reset();  // before the handle it is attached to
    m_handle.reset();
}

Status EmbeddedBroker::createTopic(const TopicSpec &topic)
{
    if (topic.name.isEmpty() || topic.partitions < 1)
        return makeError(QStringLiteral("embedded broker: invalid topic '%1' with %2 partitions")
                             .arg(topic.name)
                             .arg(topic.partitions),
                         QStringLiteral("kafka_bad_argument"));
    const QByteArray name = topic.name.toUtf8();
    MockThreadWaker waker(m_bootstrap);
    const rd_kafka_resp_err_t e =
        rd_kafka_mock_topic_create(m_cluster.get(), name.constData(), topic.partitions, std::min(m_brokers, 3));
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        return makeError(QStringLiteral("embedded broker: cannot create topic '%1': %2").arg(topic.name, errorText(e)),
                         QStringLiteral("kafka_topic_create_failed"));
    return {};
}

Status EmbeddedBroker::setBrokerDown(int32_t brokerId)
{
    MockThreadWaker waker(m_bootstrap);
    const rd_kafka_resp_err_t e = rd_kafka_mock_broker_set_down(m_cluster.get(), brokerId);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return makeError(QStringLiteral("embedded broker: set_down failed: ") + errorText(e));
    return {};
}

Status EmbeddedBroker::setBrokerUp(int32_t brokerId)
{
    MockThreadWaker waker(m_bootstrap);
    const rd_kafka_resp_err_t e = rd_kafka_mock_broker_set_up(m_cluster.get(), brokerId);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return makeError(QStringLiteral("embedded broker: set_up failed: ") + errorText(e));
    return {};
}

QString EmbeddedBroker::clusterId(int timeoutMs) const
{
    ConfHandle conf(rd_kafka_conf_new());
    char err[512] = {};
    const QByteArray bs = m_bootstrap.toUtf8();
    if (rd_kafka_conf_set(conf.get(), "bootstrap.servers", bs.constData(), err, sizeof err) != RD_KAFKA_CONF_OK)
        return {};
    rd_kafka_conf_set(conf.get(), "log_level", "3", err, sizeof err);
    KafkaHandle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), err, sizeof err));
    if (!rk)
        return {};
    conf.release();
    return clusterIdInSlices(rk.get(), timeoutMs);
}

}  // namespace ms::kafka
