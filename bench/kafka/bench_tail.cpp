// Does an open inspector slow the pipeline's Kafka path? Printed, never asserted.
// A producer sends timestamped messages at a fixed rate to the embedded broker; a consumer (the
// pipeline's kind: static assignment, its own group) reads them and records produce→consume
// latency. Run 1: alone. Run 2: with a TopicTail reading the same topic from the beginning on
// another thread (its own client, no group), like the Inspector tab or `marketstream tail`. Usage:
// bench_tail [messages per run, default 20000] [rate per second, default 2000]
#include "kafka/consumer.h"
#include "kafka/embedded_broker.h"
#include "kafka/producer.h"
#include "kafka/topic_tail.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using namespace ms::kafka;

namespace {

qint64 nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void runOnce(const EmbeddedBroker &broker, const std::string &topic, int count, int rate,
             bool withTail, int run)
{
    KafkaSettings s;
    s.bootstrap = broker.bootstrapServers();
    s.props.insert(QStringLiteral("fetch.wait.max.ms"), QStringLiteral("1"));
    auto c = Consumer::createUnsubscribed(s, QStringLiteral("bench-pipeline-%1").arg(run),
                                          AssignmentHandler{});
    auto p = Producer::create(s);
    if (!c || !p) {
        std::fprintf(stderr, "cannot create clients\n");
        return;
    }
    std::vector<TopicPartition> parts;
    for (int i = 0; i < 3; ++i)
        parts.push_back({topic, i});
    (void)c.value()->assignStatic(parts); // from each partition's start (nothing stored)
    std::atomic_bool stop{false};
    std::atomic<qint64> tailRead{0};
    std::thread tail;
    if (withTail) {
        tail = std::thread([&] {
            TailOptions o;
            o.settings.bootstrap = broker.bootstrapServers();
            o.topic = QString::fromStdString(topic);
            o.start = TailStart::Beginning;
            auto t = TopicTail::open(o, &stop);
            while (t && !stop.load()) {
                auto b = t.value()->poll(100, 1000, &stop);
                if (!b)
                    break;
                tailRead += qint64(b->size());
            }
        });
    }
    std::vector<double> latMs;
    latMs.reserve(size_t(count));
    std::thread consumer([&] {
        while (latMs.size() < size_t(count) && !stop.load()) {
            MessageBatch b = c.value()->poll(100, 500);
            const qint64 t = nowUs();
            for (const Message &m : b.messages) {
                const std::string v(m.value());
                const qint64 sent = std::stoll(v.substr(0, v.find(',')));
                if (v.find(",run" + std::to_string(run)) != std::string::npos)
                    latMs.push_back(double(t - sent) / 1000.0);
            }
        }
    });
    const qint64 start = nowUs();
    for (int i = 0; i < count; ++i) {
        const qint64 due = start + qint64(i) * 1'000'000 / rate;
        while (nowUs() < due)
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        const std::string v = std::to_string(nowUs()) + ",run" + std::to_string(run) +
                              ",padding-like-a-tick-json-of-about-150-bytes";
        (void)p.value()->produce(topic, "k" + std::to_string(i % 6), v, stop, nullptr);
    }
    p.value()->flush(10000);
    consumer.join();
    stop.store(true);
    if (tail.joinable())
        tail.join();
    std::sort(latMs.begin(), latMs.end());
    auto q = [&](double f) {
        return latMs.empty() ? 0.0
                             : latMs[std::min(latMs.size() - 1, size_t(double(latMs.size()) * f))];
    };
    std::printf("%-24s %6zu msgs  produce->consume p50 %.2f ms  p99 %.2f ms  max %.2f ms%s\n",
                withTail ? "with an open tail" : "alone", latMs.size(), q(0.5), q(0.99),
                latMs.empty() ? 0 : latMs.back(),
                withTail
                    ? qPrintable(QStringLiteral("  (tail read %1 messages)").arg(tailRead.load()))
                    : "");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? std::max(100, atoi(argv[1])) : 20000;
    const int rate = argc > 2 ? std::max(1, atoi(argv[2])) : 2000;
    QList<TopicSpec> topics;
    for (int run = 0; run < 4; ++run) // a topic per run: each consumer starts at an empty log
        topics.append(TopicSpec{QStringLiteral("bench_tail%1").arg(run), 3});
    auto broker = EmbeddedBroker::start(topics, 1, false);
    if (!broker)
        return 1;
    // Alternating, twice each: the machine's own drift shows as a difference between equal runs.
    for (int run = 0; run < 4; ++run)
        runOnce(*broker.value(), "bench_tail" + std::to_string(run), count, rate, run % 2 == 1,
                run);
    return 0;
}
