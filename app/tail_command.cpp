#include "tail_command.h"

#include "cli_options.h"
#include "kafka/tail_format.h"
#include "kafka/topic_tail.h"
#include "runtime/config.h"

#include <QLoggingCategory>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>

namespace {

std::atomic_bool g_stop{false};

extern "C" void onStopSignal(int)
{
    g_stop.store(true);
}

// The one refusal that needs the environment (the parser has checked the rest): worded and
// exited like the parser's (exit code 2).
int badArgs(const QString &message)
{
    std::fprintf(stderr, "marketstream tail: %s (see `marketstream tail --help`)\n",
                 qPrintable(message));
    return 2;
}

} // namespace

int runTailCommand(const ms::TailCommandOptions &command)
{
    using Start = ms::TailCommandOptions::Start;
    ms::kafka::TailOptions options;
    options.topic = command.topic;
    options.start = command.start == Start::Beginning ? ms::kafka::TailStart::Beginning
                    : command.start == Start::Time    ? ms::kafka::TailStart::Time
                                                      : ms::kafka::TailStart::End;
    options.startTimeMs = command.startTimeMs;
    options.timeoutMs = command.timeoutMs;
    const qint64 max = command.maxMessages; // 0: until stopped
    const QString &bootstrap = command.bootstrap;
    const ms::PipelineConfig env = ms::configFromEnvironment();
    options.settings.bootstrap = bootstrap.isEmpty() ? env.kafkaBootstrap : bootstrap;
    options.settings.props = env.kafkaProps;
    if (options.settings.bootstrap.isEmpty())
        return badArgs(
            QStringLiteral("no cluster: pass --kafka HOST:PORT or set KAFKA_BOOTSTRAP_SERVERS"));

    // librdkafka's own lines (each failed connect attempt) would bury the one line that says what
    // went wrong; QT_LOGGING_RULES brings them back.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("ms.kafka=false"));

    g_stop.store(false);
    struct sigaction sa = {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);

    auto tail = ms::kafka::TopicTail::open(options, &g_stop);
    if (!tail) {
        if (tail.error().code == QLatin1String("cancelled"))
            return 0;
        std::fprintf(stderr, "marketstream tail: %s\n", qPrintable(tail.errorMessage()));
        return tail.error().code == QLatin1String("kafka_unreachable") ? 3 : 1;
    }
    qint64 printed = 0;
    while (!g_stop.load() && (max == 0 || printed < max)) {
        const size_t want = max > 0 ? size_t(std::min<qint64>(max - printed, 500)) : 500;
        auto batch = tail.value()->poll(200, want, &g_stop);
        if (!batch) {
            std::fprintf(stderr, "marketstream tail: %s\n", qPrintable(batch.errorMessage()));
            return 1;
        }
        for (const ms::kafka::TailRecord &r : batch.value()) {
            const QByteArray line = ms::kafka::tailRecordLine(r);
            std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
            std::fputc('\n', stdout);
        }
        printed += qint64(batch->size());
        if (!batch->empty() && std::fflush(stdout) != 0)
            return 0; // the reader went away (a closed pipe): nothing left to do
    }
    std::fflush(stdout);
    return 0;
}
