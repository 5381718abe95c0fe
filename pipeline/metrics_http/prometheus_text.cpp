#include "metrics_http/prometheus_text.h"

#include "runtime/issue_log.h"
#include "runtime/latency_recorder.h"

#include <cmath>

namespace ms {

namespace {

constexpr SourceState kSourceStates[] = {
    SourceState::Idle,         SourceState::Connecting,  SourceState::Running,
    SourceState::Unauthorized, SourceState::Forbidden,   SourceState::RateLimited,
    SourceState::NotFound,     SourceState::NetworkDown, SourceState::Malformed,
    SourceState::Throttled,    SourceState::Finished,    SourceState::Stopped};
constexpr Pipeline::State kPipelineStates[] = {Pipeline::State::Stopped, Pipeline::State::Starting,
                                               Pipeline::State::Running, Pipeline::State::Stopping,
                                               Pipeline::State::Error};

QByteArray number(double v)
{
    if (std::isnan(v))
        return QByteArrayLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    return QByteArray::number(v, 'g', 15);
}

class Writer
{
public:
    void family(const char *name, const char *type, const char *help)
    {
        m_name = name;
        m_out += "# HELP ";
        m_out += name;
        m_out += ' ';
        m_out += help; // our own constant text: nothing to escape
        m_out += "\n# TYPE ";
        m_out += name;
        m_out += ' ';
        m_out += type;
        m_out += '\n';
    }
    // A sample of the current family; suffix for _bucket/_sum/_count; labels as k, v pairs.
    void sample(double value, std::initializer_list<std::pair<const char *, QString>> labels = {},
                const char *suffix = "")
    {
        m_out += m_name;
        m_out += suffix;
        if (labels.size() > 0) {
            m_out += '{';
            bool first = true;
            for (const auto &[k, v] : labels) {
                if (!first)
                    m_out += ',';
                first = false;
                m_out += k;
                m_out += "=\"";
                m_out += prometheusLabelValue(v);
                m_out += '"';
            }
            m_out += '}';
        }
        m_out += ' ';
        m_out += number(value);
        m_out += '\n';
    }
    void counter(const char *name, const char *help, qint64 value)
    {
        family(name, "counter", help);
        sample(double(value));
    }
    QByteArray take() { return std::move(m_out); }

private:
    QByteArray m_out;
    QByteArray m_name;
};

} // namespace

QByteArray prometheusLabelValue(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray prometheusText(const MetricsSnapshot &m, Pipeline::State state)
{
    Writer w;
    w.counter("marketstream_queued_total", "Ticks the sources handed to the producer.", m.queued);
    w.counter("marketstream_produced_total",
              "Ticks acknowledged by the broker (dead letters not included).", m.produced);
    w.counter("marketstream_produce_errors_total", "Tick deliveries that failed.", m.produceErrors);
    w.counter("marketstream_consumed_total",
              "Messages read from Kafka (redeliveries counted again).", m.consumed);
    w.counter("marketstream_stored_total", "Tick rows new to the database.", m.stored);
    w.counter("marketstream_duplicates_total",
              "Ticks whose row was in the database already (not stored again).", m.duplicates);
    w.family("marketstream_rejected_total", "counter",
             "Messages refused, by reason (dead-lettered when possible).");
    for (auto it = m.rejectedByReason.cbegin(); it != m.rejectedByReason.cend(); ++it)
        w.sample(double(it.value()), {{"reason", it.key()}});
    w.counter("marketstream_dead_lettered_total", "Rejected messages written to <topic>.dlq.",
              m.deadLettered);
    w.counter("marketstream_dropped_late_total",
              "Ticks too late for their candle (stored as ticks).", m.droppedLate);
    w.counter("marketstream_candle_writes_total",
              "Candle upserts (one per candle per batch; not candle rows).", m.candleWrites);
    w.counter("marketstream_db_errors_total",
              "Database transactions that failed (and were retried).", m.dbErrors);
    w.counter("marketstream_spooled_total",
              "Ticks produced but not stored at stop, spooled for the next start.", m.spooled);
    w.counter("marketstream_alerts_triggered_total", "Alert rows stored (a rule fired).",
              m.alertsTriggered);
    w.counter("marketstream_feed_gaps_total", "Feed gap rows stored.", m.feedGaps);

    w.family("marketstream_consumer_lag_messages", "gauge",
             "Messages not stored yet, per partition (high watermark - next offset stored).");
    for (const ConsumerLag &l : m.partitions) {
        if (l.lagMessages >= 0)
            w.sample(double(l.lagMessages),
                     {{"topic", l.topic}, {"partition", QString::number(l.partition)}});
    }
    w.family("marketstream_consumer_lag_seconds", "gauge",
             "How far behind in time, per partition: newest produced minus newest stored message "
             "timestamp.");
    for (const ConsumerLag &l : m.partitions) {
        if (l.lagSeconds >= 0)
            w.sample(l.lagSeconds,
                     {{"topic", l.topic}, {"partition", QString::number(l.partition)}});
    }

    w.family("marketstream_produce_to_commit_latency_seconds", "histogram",
             "Produce to database commit latency of stored ticks.");
    for (size_t i = 0; i < kLatencyBucketsMicros.size(); ++i) {
        const qint64 count = i < m.latencyBucketCounts.size() ? m.latencyBucketCounts[i] : 0;
        w.sample(double(count),
                 {{"le", QString::fromLatin1(number(double(kLatencyBucketsMicros[i]) / 1e6))}},
                 "_bucket");
    }
    w.sample(double(m.latencyCount), {{"le", QStringLiteral("+Inf")}}, "_bucket");
    w.sample(m.latencySumSeconds, {}, "_sum");
    w.sample(double(m.latencyCount), {}, "_count");

    w.family("marketstream_pipeline_state", "gauge",
             "1 for the state the pipeline is in, 0 for the others.");
    for (const Pipeline::State s : kPipelineStates)
        w.sample(s == state ? 1 : 0, {{"state", toString(s)}});
    w.family("marketstream_source_state", "gauge",
             "Per source: 1 for the state it is in, 0 for the others.");
    for (const SourceHealth &h : m.sources) {
        for (const SourceState s : kSourceStates)
            w.sample(s == h.status.state ? 1 : 0, {{"source", h.name}, {"state", toString(s)}});
    }
    w.family("marketstream_source_ticks_total", "counter",
             "Ticks each source handed to the producer.");
    for (const SourceHealth &h : m.sources)
        w.sample(double(h.ticks), {{"source", h.name}});
    w.family("marketstream_database_ok", "gauge",
             "1 while the database takes writes, 0 while it is retried.");
    w.sample(m.databaseState == QLatin1String("ok") ? 1 : 0);
    w.family("marketstream_database_size_bytes", "gauge",
             "Size of the database on disk (absent until measured).");
    if (m.databaseBytes >= 0)
        w.sample(double(m.databaseBytes));
    return w.take();
}

Result<std::unique_ptr<MetricsHttpServer>>
servePipelineMetrics(const Pipeline &pipeline, const QString &address, quint16 port)
{
    const Pipeline *p =
        &pipeline; // metrics() and state() are thread-safe: called on the server's thread
    auto server = MetricsHttpServer::start(
        address, port, [p] { return prometheusText(p->metrics(), p->state()); });
    if (server.ok())
        IssueLog::instance().info(QStringLiteral("metrics"),
                                  QStringLiteral("serving ") + server.value()->url());
    return server;
}

} // namespace ms
