#include "tail_command.h"

#include "kafka/tail_format.h"
#include "kafka/topic_tail.h"
#include "runtime/config.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <optional>

namespace {

std::atomic_bool g_stop{false};

extern "C" void onStopSignal(int)
{
    g_stop.store(true);
}

const char kUsage[] =
    "Usage: marketstream tail TOPIC [options]\n"
    "Prints the messages of TOPIC (any topic: ticks, the .dlq dead-letter topics, an external "
    "cluster's)\n"
    "as one JSON object per line: topic, partition, offset, timestamp, key, headers, value. It "
    "reads with\n"
    "its own consumer: it joins no consumer group and commits nothing.\n"
    "  --from-beginning     start at the oldest message (default: only new messages)\n"
    "  --from TIME          start at the first message at or after TIME (ms since the epoch or "
    "ISO-8601;\n"
    "                       no zone means UTC)\n"
    "  --max N              exit after N messages (default: until Ctrl+C / SIGTERM)\n"
    "  --kafka HOST:PORT    bootstrap servers (default: KAFKA_BOOTSTRAP_SERVERS; the embedded "
    "broker lives\n"
    "                       inside a running marketstream and cannot be tailed from another "
    "process)\n"
    "  --timeout SECONDS    how long to wait for the cluster at start (default 10)\n"
    "Exit codes: 0 done (N messages, or stopped by Ctrl+C), 1 the tail failed (e.g. no such "
    "topic),\n"
    "2 usage error, 3 Kafka unreachable.\n";

int badArgs(const QString &message)
{
    std::fprintf(stderr, "marketstream tail: %s (see `marketstream tail --help`)\n",
                 qPrintable(message));
    return 2;
}

std::optional<qint64> parseTime(const QString &text)
{
    bool ok = false;
    const qint64 ms = text.toLongLong(&ok);
    if (ok)
        return ms >= 0 ? std::optional<qint64>(ms) : std::nullopt;
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(text, Qt::ISODate);
    if (!dt.isValid())
        return std::nullopt;
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC);
    const qint64 v = dt.toMSecsSinceEpoch();
    return v >= 0 ? std::optional<qint64>(v) : std::nullopt;
}

} // namespace

int runTailCommand(const QStringList &argsIn)
{
    QStringList args = argsIn;
    if (!args.isEmpty() && args.first() == QLatin1String("tail"))
        args.removeFirst();
    ms::kafka::TailOptions options;
    std::optional<qint64> max;
    QString bootstrap;
    bool fromBeginning = false, fromTime = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        const auto value = [&](QString *target) {
            if (i + 1 >= args.size())
                return false;
            *target = args.at(++i);
            return true;
        };
        QString v;
        if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (a == QLatin1String("--from-beginning")) {
            fromBeginning = true;
        } else if (a == QLatin1String("--from")) {
            if (!value(&v))
                return badArgs(QStringLiteral("--from needs a time"));
            const std::optional<qint64> t = parseTime(v);
            if (!t)
                return badArgs(
                    QStringLiteral("--from needs ms since the epoch or an ISO-8601 time, got '%1'")
                        .arg(v.left(40)));
            fromTime = true;
            options.startTimeMs = *t;
        } else if (a == QLatin1String("--max")) {
            bool ok = false;
            const qint64 n = value(&v) ? v.toLongLong(&ok) : 0;
            if (!ok || n < 1)
                return badArgs(
                    QStringLiteral("--max needs a whole number >= 1, got '%1'").arg(v.left(40)));
            max = n;
        } else if (a == QLatin1String("--kafka")) {
            if (!value(&bootstrap) || bootstrap.isEmpty() ||
                bootstrap.startsWith(QLatin1String("--")))
                return badArgs(QStringLiteral("--kafka needs HOST:PORT[,HOST:PORT]"));
            if (bootstrap == QLatin1String("embedded"))
                return badArgs(QStringLiteral(
                    "--kafka embedded: the embedded broker lives inside a running marketstream; "
                    "give HOST:PORT"));
        } else if (a == QLatin1String("--timeout")) {
            bool ok = false;
            const double s = value(&v) ? v.toDouble(&ok) : 0;
            if (!ok || !(s >= 0.1 && s <= 600))
                return badArgs(QStringLiteral("--timeout needs seconds from 0.1 to 600, got '%1'")
                                   .arg(v.left(40)));
            options.timeoutMs = int(s * 1000);
        } else if (a.startsWith(QLatin1Char('-')) && a.size() > 1) {
            return badArgs(QStringLiteral("unknown option '%1'").arg(a.left(40)));
        } else if (options.topic.isEmpty()) {
            options.topic = a;
        } else {
            return badArgs(
                QStringLiteral("unexpected argument '%1' (one topic only)").arg(a.left(40)));
        }
    }
    if (options.topic.isEmpty())
        return badArgs(QStringLiteral("missing the topic to tail"));
    if (fromBeginning && fromTime)
        return badArgs(QStringLiteral("--from-beginning and --from exclude each other"));
    options.start = fromBeginning ? ms::kafka::TailStart::Beginning
                    : fromTime    ? ms::kafka::TailStart::Time
                                  : ms::kafka::TailStart::End;
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
    while (!g_stop.load() && (!max || printed < *max)) {
        const size_t want = max ? size_t(std::min<qint64>(*max - printed, 500)) : 500;
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
