// The metrics' own logic, without a pipeline: the registry's clock (the recent window rotates on
// tick(), never on a read), lag in seconds, the exposition text (checked by the reference parser
// and strictly) and the HTTP server's answers (404, 405, 431, bounded, never blocking).
#include "metrics_http/metrics_http_server.h"
#include "metrics_http/prometheus_text.h"
#include "prometheus_check.h"
#include "runtime/metrics_registry.h"

#include <QTest>

using namespace ms;
using namespace ms::test;

namespace {

// Samples spread over two windows: fast ones, then slow ones.
void feed(MetricsRegistry &r, qint64 micros, int n)
{
    for (int i = 0; i < n; ++i)
        r.recordLatency(micros);
}

MetricsSnapshot sampleSnapshot()
{
    MetricsSnapshot m;
    m.produced = 1200;
    m.consumed = 1210;
    m.stored = 1000;
    m.duplicates = 200;
    m.rejected = 10;
    m.rejectedByReason = {{QStringLiteral("invalid_json"), 7},
                          {QStringLiteral("missing_field"), 3}};
    m.deadLettered = 10;
    m.candleWrites = 4321;
    m.databaseBytes = 123456789;
    ConsumerLag l;
    l.topic = QStringLiteral("crypto_topic");
    l.partition = 2;
    l.lagMessages = 17;
    l.lagSeconds = 1.25;
    m.partitions.push_back(l);
    l.partition = 3;
    l.lagSeconds = -1; // unknown: no sample
    m.partitions.push_back(l);
    SourceHealth h;
    h.name = QStringLiteral("we\"ird\\name\nhere"); // every character the format escapes
    h.status.state = SourceState::RateLimited;
    h.ticks = 5;
    m.sources.push_back(h);
    m.latencyBucketCounts.assign(kLatencyBucketsMicros.size(), 0);
    for (size_t i = 3; i < m.latencyBucketCounts.size(); ++i)
        m.latencyBucketCounts[i] = 900 + qint64(i);
    m.latencyCount = 1000;
    m.latencySumSeconds = 4.5;
    return m;
}

} // namespace

class TstPrometheusExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pollingDoesNotChangeTheRecentFigures()
    {
        // Two registries with the same samples and the same clock; one is read 200 times between
        // ticks, the other once. A read must not rotate the window (it did in Pipeline::metrics()).
        MetricsRegistry often, once;
        for (MetricsRegistry *r : {&often, &once}) {
            r->tick(0);
            feed(*r, 2000, 100);
        }
        for (int i = 0; i < 200; ++i)
            (void)often.snapshot();
        for (MetricsRegistry *r : {&often, &once}) {
            r->tick(MetricsRegistry::kRecentWindowMs); // window 1 closes: 2 ms
            feed(*r, 40000, 100);
        }
        for (int i = 0; i < 200; ++i)
            (void)often.snapshot();
        const MetricsSnapshot a = often.snapshot(), b = once.snapshot();
        QCOMPARE(a.recentP99Ms, b.recentP99Ms);
        QCOMPARE(a.recentP50Ms, b.recentP50Ms);
        QVERIFY2(qAbs(a.recentP99Ms - 2.0) < 0.1,
                 qPrintable(QString::number(a.recentP99Ms))); // the closed window
        QCOMPARE(a.latencyCount, 200);
    }

    void theWindowRotatesOnTheClockOnly()
    {
        MetricsRegistry r;
        r.tick(1000);
        feed(r, 10000, 50);
        QCOMPARE(r.snapshot().recentP99Ms, 0.0); // no window closed yet
        r.tick(1000 + MetricsRegistry::kRecentWindowMs - 1);
        QCOMPARE(r.snapshot().recentP99Ms, 0.0);
        r.tick(1000 + MetricsRegistry::kRecentWindowMs);
        QVERIFY(qAbs(r.snapshot().recentP99Ms - 10.0) < 0.4);
        r.tick(1000 + 2 * MetricsRegistry::kRecentWindowMs); // an empty window
        QCOMPARE(r.snapshot().recentP99Ms, 0.0);
        QVERIFY(qAbs(r.snapshot().latencyP99Ms - 10.0) < 0.4); // the run's figure stays
    }

    void storedCountsNewRowsOnly()
    {
        // The registry keeps new rows and duplicates apart; the consumers' "finished with" adds
        // both.
        MetricsRegistry r;
        r.stored += 7;
        r.duplicates += 3;
        r.addRejected(QStringLiteral("invalid_json"));
        const MetricsSnapshot s = r.snapshot();
        QCOMPARE(s.stored, 7);
        QCOMPARE(s.duplicates, 3);
        QCOMPARE(r.ticksAccounted(), 11);
    }

    void lagSeconds_data()
    {
        QTest::addColumn<qint64>("lagMessages");
        QTest::addColumn<qint64>("newestStored");
        QTest::addColumn<qint64>("newestProduced");
        QTest::addColumn<double>("expected");
        const qint64 now = 1'700'000'100'000;
        QTest::newRow("caught up") << qint64(0) << qint64(0) << qint64(0) << 0.0;
        QTest::newRow("caught up, old data") << qint64(0) << now - 60000 << now - 60000 << 0.0;
        QTest::newRow("behind, produced here") << qint64(40) << now - 2500 << now - 500 << 2.0;
        QTest::newRow("behind, produced elsewhere: wall clock")
            << qint64(40) << now - 2500 << qint64(0) << 2.5;
        QTest::newRow("behind, nothing stored yet") << qint64(40) << qint64(0) << now << -1.0;
        QTest::newRow("watermark unknown") << qint64(-1) << now << now << -1.0;
        QTest::newRow("clock skew never negative") << qint64(3) << now << now - 1000 << 0.0;
    }

    void lagSeconds()
    {
        QFETCH(qint64, lagMessages);
        QFETCH(qint64, newestStored);
        QFETCH(qint64, newestProduced);
        QFETCH(double, expected);
        QCOMPARE(lagSecondsFor(lagMessages, newestStored, newestProduced, 1'700'000'100'000),
                 expected);
    }

    void registryLagSecondsPerPartition()
    {
        MetricsRegistry r;
        ConsumerLag a;
        a.topic = QStringLiteral("t");
        a.partition = 0;
        a.lagMessages = 5;
        a.newestStoredMs = 10'000;
        ConsumerLag b = a;
        b.partition = 1;
        b.lagMessages = 0;
        r.setLag(0, {a, b});
        r.setNewestProduced({{{QStringLiteral("t"), 0}, 13'500}});
        const MetricsSnapshot s = r.snapshot();
        QCOMPARE(s.partitions.size(), size_t(2));
        QCOMPARE(s.partitions[0].lagSeconds, 3.5);
        QCOMPARE(s.partitions[1].lagSeconds, 0.0);
        QCOMPARE(s.lagSeconds, 3.5);
        QCOMPARE(s.lagMessages, 5);
        QCOMPARE(s.lagSecondsByTopic.value(QStringLiteral("t")), 3.5);
    }

    void latencyBucketsAreCumulativeAndExactAtTheirBounds()
    {
        LatencyBuckets b;
        b.record(500);        // exactly on the first bound: le="0.0005"
        b.record(501);        // just above it
        b.record(-20);        // a clock step back counts as 0
        b.record(60'000'000); // above the last bound: only +Inf
        const std::vector<qint64> c = b.cumulative();
        QCOMPARE(c[0], 2);
        QCOMPARE(c[1], 3);
        QCOMPARE(c.back(), 3);
        QCOMPARE(b.count(), 4);
        QCOMPARE(b.sumSeconds(), (500 + 501 + 60'000'000) / 1e6);
    }

    void referenceParserReadsTheExposition()
    {
        const QByteArray text = prometheusText(sampleSnapshot(), Pipeline::State::Running);
        QString error;
        const QJsonArray families = referenceParse(text, &error);
        QVERIFY2(!families.isEmpty(), qPrintable(error));
        const QMap<QString, double> v = sampleValues(families);
        QCOMPARE(v.value(QStringLiteral("marketstream_stored_total")), 1000.0);
        QCOMPARE(v.value(QStringLiteral("marketstream_duplicates_total")), 200.0);
        QCOMPARE(v.value(QStringLiteral("marketstream_candle_writes_total")), 4321.0);
        QCOMPARE(v.value(QStringLiteral("marketstream_rejected_total{reason=invalid_json}")), 7.0);
        QCOMPARE(v.value(QStringLiteral("marketstream_rejected_total{reason=missing_field}")), 3.0);
        QCOMPARE(v.value(QStringLiteral(
                     "marketstream_consumer_lag_messages{partition=2,topic=crypto_topic}")),
                 17.0);
        QCOMPARE(v.value(QStringLiteral(
                     "marketstream_consumer_lag_seconds{partition=2,topic=crypto_topic}")),
                 1.25);
        QVERIFY(!v.contains(
            QStringLiteral("marketstream_consumer_lag_seconds{partition=3,topic=crypto_topic}")));
        QCOMPARE(v.value(QStringLiteral("marketstream_pipeline_state{state=running}")), 1.0);
        QCOMPARE(v.value(QStringLiteral("marketstream_pipeline_state{state=stopped}")), 0.0);
        QCOMPARE(v.value(QStringLiteral("marketstream_database_size_bytes")), 123456789.0);
        // The escaped label value comes back as it was.
        const QString weird = QStringLiteral(
            "marketstream_source_state{source=we\"ird\\name\nhere,state=rate-limited}");
        QVERIFY2(v.contains(weird), qPrintable(QStringList(v.keys()).join(u'\n')));
        QCOMPARE(v.value(weird), 1.0);
        QCOMPARE(v.value(QStringLiteral(
                     "marketstream_produce_to_commit_latency_seconds_bucket{le=+Inf}")),
                 1000.0);
        QCOMPARE(v.value(QStringLiteral("marketstream_produce_to_commit_latency_seconds_count")),
                 1000.0);
        QCOMPARE(v.value(QStringLiteral("marketstream_produce_to_commit_latency_seconds_sum")),
                 4.5);
    }

    void expositionIsStrictlyWellFormed()
    {
        QMap<QString, QString> declared;
        const QStringList problems =
            strictProblems(prometheusText(sampleSnapshot(), Pipeline::State::Error), &declared);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QCOMPARE(declared.value(QStringLiteral("marketstream_produce_to_commit_latency_seconds")),
                 QStringLiteral("histogram"));
        QCOMPARE(declared.value(QStringLiteral("marketstream_consumer_lag_seconds")),
                 QStringLiteral("gauge"));
        // The fields other features fill are exported already.
        for (const char *n : {"marketstream_alerts_triggered_total", "marketstream_feed_gaps_total",
                              "marketstream_database_size_bytes"})
            QVERIFY2(declared.contains(QLatin1String(n)), n);
        // The checker itself refuses what the format forbids.
        QMap<QString, QString> d2;
        QVERIFY(!strictProblems("# TYPE x_total counter\ny_total 1\n", &d2).isEmpty());
        QVERIFY(!strictProblems("# TYPE x counter\nx 1\n", &d2).isEmpty());
        QVERIFY(!strictProblems("# TYPE z gauge\nz{a=\"1\"} 1\nz{a=\"1\"} 2\n", &d2).isEmpty());
    }

    void http_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("GET /metrics")
            << QByteArray("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n") << 200;
        QTest::newRow("with a query")
            << QByteArray("GET /metrics?name[]=x HTTP/1.0\r\n\r\n") << 200;
        QTest::newRow("HEAD") << QByteArray("HEAD /metrics HTTP/1.1\r\n\r\n") << 200;
        QTest::newRow("another path") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 404;
        QTest::newRow("a longer path") << QByteArray("GET /metrics/x HTTP/1.1\r\n\r\n") << 404;
        QTest::newRow("POST") << QByteArray("POST /metrics HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi")
                              << 405;
        QTest::newRow("not HTTP") << QByteArray("hello\r\n\r\n") << 400;
        QTest::newRow("huge head")
            << QByteArray("GET /metrics HTTP/1.1\r\nX: ") + QByteArray(20000, 'a') + "\r\n\r\n"
            << 431;
    }

    void http()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        std::atomic_int calls{0};
        auto server = MetricsHttpServer::start(QStringLiteral("127.0.0.1"), 0, [&calls] {
            ++calls;
            return QByteArrayLiteral("# TYPE a_total counter\na_total 1\n");
        });
        QVERIFY2(server.ok(), qPrintable(server.errorMessage()));
        QVERIFY(server.value()->port() > 0);
        QVERIFY(server.value()->url().startsWith(QStringLiteral("http://127.0.0.1:")));
        const HttpReply r = httpRequest(server.value()->port(), request);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.status, status);
        if (status == 200) {
            QVERIFY2(r.headers.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"),
                     r.headers.constData());
            QCOMPARE(calls.load(), 1);
            if (!request.startsWith("HEAD"))
                QCOMPARE(r.body, QByteArrayLiteral("# TYPE a_total counter\na_total 1\n"));
        } else {
            QCOMPARE(calls.load(), 0); // nothing computed for a refused request
        }
    }

    void httpBindErrors()
    {
        auto bad = MetricsHttpServer::start(QStringLiteral("not-an-address"), 0,
                                            [] { return QByteArray(); });
        QVERIFY(!bad.ok());
        auto first =
            MetricsHttpServer::start(QStringLiteral("127.0.0.1"), 0, [] { return QByteArray(); });
        QVERIFY(first.ok());
        auto second = MetricsHttpServer::start(QStringLiteral("127.0.0.1"), first.value()->port(),
                                               [] { return QByteArray(); });
        QVERIFY(!second.ok());
        QVERIFY2(second.errorMessage().contains(QString::number(first.value()->port())),
                 qPrintable(second.errorMessage()));
    }

    void silentClientsDoNotBlockOthers()
    {
        // Clients that connect and send nothing hold a connection each, up to the bound; a scrape
        // still gets through while fewer than kMaxConnections are open.
        auto server = MetricsHttpServer::start(QStringLiteral("127.0.0.1"), 0,
                                               [] { return QByteArrayLiteral("ok\n"); });
        QVERIFY(server.ok());
        std::vector<std::unique_ptr<QTcpSocket>> idle;
        for (int i = 0; i < MetricsHttpServer::kMaxConnections - 1; ++i) {
            idle.push_back(std::make_unique<QTcpSocket>());
            idle.back()->connectToHost(QStringLiteral("127.0.0.1"), server.value()->port());
            QVERIFY(idle.back()->waitForConnected(5000));
        }
        const HttpReply r = scrape(server.value()->port());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArrayLiteral("ok\n"));
    }
};

QTEST_GUILESS_MAIN(TstPrometheusExport)
#include "tst_prometheus_export.moc"
