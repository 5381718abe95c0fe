// Kafka layer throughput on the embedded broker: produce N ~150-byte JSON ticks, consume them,
// and both at once with flow control (the app's embedded mode). Prints figures; asserts nothing
// except that every message arrived.
//
//   bench_kafka [N=500000] [partitions for the separate phases=64] [partitions both-at-once=6]
#include "kafka/consumer.h"
#include "kafka/embedded_broker.h"
#include "kafka/flow_control.h"
#include "kafka/producer.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <thread>

using namespace ms::kafka;

namespace {

int g_symbols = 200;

std::string tickJson(int i, std::string &key)
{
    char sym[16];
    std::snprintf(sym, sizeof sym, "S%03d", i % g_symbols);
    key = sym;
    char buf[256];
    const int n = std::snprintf(buf, sizeof buf,
                                "{\"v\":1,\"source\":\"simulator\",\"kind\":\"trade\",\"symbol\":\"%s\",\"currency\":"
                                "\"USD\",\"price\":%.2f,\"volume\":%.4f,\"ts\":%lld,\"id\":\"sim-%d\"}",
                                sym, 43000.5 + (i % 1000) * 0.25, 0.01 + (i % 97) * 0.003,
                                1700000000000LL + i, i);
    return std::string(buf, static_cast<size_t>(n));
}

double rate(int64_t n, qint64 ms)
{
    return ms > 0 ? double(n) * 1000.0 / double(ms) : 0.0;
}

KafkaSettings settingsFor(const EmbeddedBroker &b)
{
    KafkaSettings s;
    s.bootstrap = b.bootstrapServers();
    return s;
}

// Consumes `n` messages; returns ms from the first message to the last (group join excluded).
qint64 consumeAll(Consumer &c, int64_t n, FlowControl *flow, int64_t &got)
{
    QElapsedTimer t;
    QElapsedTimer idle;
    idle.start();
    got = 0;
    while (got < n) {
        MessageBatch b = c.poll(5000, 100);
        for (const ConsumerError &e : b.errors)
            std::fprintf(stderr, "consumer: %s\n", qPrintable(e.message));
        if (b.messages.empty()) {
            if (idle.elapsed() > 15000) {
                std::fprintf(stderr, "no message for 15 s: %lld of %lld arrived\n", static_cast<long long>(got),
                             static_cast<long long>(n));
                break;
            }
            continue;
        }
        idle.restart();
        if (!t.isValid())
            t.start();
        std::map<std::pair<std::string, int32_t>, std::pair<int64_t, int64_t>> release;
        for (const Message &m : b.messages) {
            ++got;
            if (flow) {
                auto &r = release[{std::string(m.topic()), m.partition()}];
                r.first += m.flowBytes();
                ++r.second;
            }
        }
        for (const auto &[tp, r] : release)
            flow->release(tp.first, tp.second, r.first, r.second);
    }
    return t.elapsed();
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int64_t n = argc > 1 ? std::atoll(argv[1]) : 500000;
    const int partsSeparate = argc > 2 ? std::atoi(argv[2]) : 64;
    const int partsBoth = argc > 3 ? std::atoi(argv[3]) : 6;
    auto broker = EmbeddedBroker::start({TopicSpec{QStringLiteral("bench"), partsSeparate},
                                         TopicSpec{QStringLiteral("bench_both"), partsBoth}},
                                        3, false);
    if (!broker) {
        std::fprintf(stderr, "%s\n", qPrintable(broker.errorMessage()));
        return 1;
    }
    std::atomic_bool stop{false};
    std::string key;
    const int64_t bytesPerMsg = static_cast<int64_t>(tickJson(12345, key).size() + key.size());
    std::printf("kafka bench: %lld messages of ~%lld B (key+value), embedded broker with 3 brokers\n",
                static_cast<long long>(n), static_cast<long long>(bytesPerMsg));

    // 1) Produce only (to delivery of the last message), onto `partsSeparate` partitions so the
    //    mock's retention (5 MiB / 100k messages per partition) keeps everything for phase 2.
    {
        auto p = Producer::create(settingsFor(*broker.value()));
        if (!p || !p.value()->prepareTopics({QStringLiteral("bench")}).ok())
            return 1;
        QElapsedTimer t;
        t.start();
        for (int64_t i = 0; i < n; ++i) {
            const std::string v = tickJson(int(i), key);
            if (!p.value()->produce("bench", key, v, stop).ok())
                return 1;
        }
        const qint64 queuedMs = t.elapsed();
        p.value()->flush(120000);
        const qint64 ms = t.elapsed();
        std::printf("produce only:  %10.0f msg/s  (%lld ms to the last delivery; produce() calls alone %.0f msg/s; "
                    "delivered %lld, failed %lld, %d partitions)\n",
                    rate(n, ms), ms, rate(n, queuedMs), static_cast<long long>(p.value()->delivered()),
                    static_cast<long long>(p.value()->failed()), partsSeparate);
    }
    // 2) Consume only (first to last message; the ~3 s group join is excluded).
    {
        auto c = Consumer::create(settingsFor(*broker.value()), QStringLiteral("bench-consume"),
                                  {QStringLiteral("bench")}, AssignmentHandler{});
        if (!c)
            return 1;
        int64_t got = 0;
        const qint64 ms = consumeAll(*c.value(), n, nullptr, got);
        std::printf("consume only:  %10.0f msg/s  (%lld ms, %lld messages)\n", rate(got, ms), ms,
                    static_cast<long long>(got));
        c.value()->close(2000);
    }
    // 3) Both at once, flow-controlled like the app's embedded mode (`partsBoth` partitions).
    {
        FlowControl flow;
        auto p = Producer::create(settingsFor(*broker.value()), &flow);
        auto c = Consumer::create(settingsFor(*broker.value()), QStringLiteral("bench-both"),
                                  {QStringLiteral("bench_both")}, AssignmentHandler{});
        if (!p || !c || !p.value()->prepareTopics({QStringLiteral("bench_both")}).ok())
            return 1;
        // Wait for the group join so the figure is the steady state, not the join.
        while (c.value()->assignment().empty())
            c.value()->poll(1, 100);
        QElapsedTimer t;
        t.start();
        std::thread producer([&] {
            std::string k;
            for (int64_t i = 0; i < n && !stop; ++i) {
                const std::string v = tickJson(int(i), k);
                if (!p.value()->produce("bench_both", k, v, stop).ok())
                    return;
            }
        });
        int64_t got = 0;
        consumeAll(*c.value(), n, &flow, got);
        const qint64 ms = t.elapsed();
        producer.join();
        std::printf("both at once:  %10.0f msg/s  (%lld ms end to end, %lld consumed, producer throttled %lld times, "
                    "%d partitions, flow control 2 MiB/partition)\n",
                    rate(got, ms), ms, static_cast<long long>(got), static_cast<long long>(flow.throttledCount()),
                    partsBoth);
        c.value()->close(2000);
    }
    return 0;
}
