// Runtime pieces with no I/O: the latency histogram, .env parsing, environment mapping, redaction.
#include "runtime/config.h"
#include "runtime/issue_log.h"
#include "runtime/latency_recorder.h"

#include <QTest>

using namespace ms;

class TstRuntimeUnits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void histogramPercentilesWithinResolution()
    {
        LatencyHistogram h;
        QCOMPARE(h.percentileMs(99), 0.0);
        for (int i = 1; i <= 1000; ++i)
            h.record(qint64(i) * 100);  // 0.1 ms .. 100 ms, uniform
        QCOMPARE(h.count(), 1000);
        QVERIFY(qAbs(h.percentileMs(50) - 50.0) / 50.0 < 0.04);
        QVERIFY(qAbs(h.percentileMs(99) - 99.0) / 99.0 < 0.04);
        LatencyHistogram other;
        other.record(5000000);  // 5 s
        h.mergeFrom(other);
        QVERIFY(h.percentileMs(100) > 4800);
        h.reset();
        QCOMPARE(h.count(), 0);
        h.record(-5);  // clock skew between hosts never crashes
        QCOMPARE(h.count(), 1);
    }

    void simulatorDefaultIsARealFeedsPace()
    {
        // A few ticks per second per symbol (issue 14); the fast rates are one --rate away.
        const PipelineConfig c;
        const double perSymbol = c.rate / double(c.cryptoSymbols.size() + c.stockSymbols.size());
        QCOMPARE(perSymbol, kDefaultSimulatorTicksPerSymbol);
        QVERIFY(perSymbol >= 1 && perSymbol <= 10);
    }

    void dotEnvParsing()
    {
        const auto env = parseDotEnv(QStringLiteral("# comment\n\nexport KAFKA_BOOTSTRAP_SERVERS=broker:9092\n"
                                                    "DATABASE_URL=\"postgresql://u:p@h/db\"\nFINNHUB_API_KEY=abc # trailing\n"
                                                    "NOVALUE\nQUOTED='a b'\n"));
        QCOMPARE(env.value(QStringLiteral("KAFKA_BOOTSTRAP_SERVERS")), QStringLiteral("broker:9092"));
        QCOMPARE(env.value(QStringLiteral("DATABASE_URL")), QStringLiteral("postgresql://u:p@h/db"));
        QCOMPARE(env.value(QStringLiteral("FINNHUB_API_KEY")), QStringLiteral("abc"));
        QCOMPARE(env.value(QStringLiteral("QUOTED")), QStringLiteral("a b"));
        QVERIFY(!env.contains(QStringLiteral("NOVALUE")));
    }

    void originalPostgresVariablesBuildAUrl()
    {
        PipelineConfig c;
        applyEnvironment(c, {{QStringLiteral("POSTGRES_HOST"), QStringLiteral("db.local")},
                             {QStringLiteral("POSTGRES_PORT"), QStringLiteral("5433")},
                             {QStringLiteral("POSTGRES_DB"), QStringLiteral("market")},
                             {QStringLiteral("POSTGRES_USER"), QStringLiteral("me")},
                             {QStringLiteral("POSTGRES_PASSWORD"), QStringLiteral("p@ss word")}});
        QCOMPARE(c.databaseUrl, QStringLiteral("postgresql://me:p%40ss%20word@db.local:5433/market"));
        // DATABASE_URL wins over the POSTGRES_* keys.
        applyEnvironment(c, {{QStringLiteral("DATABASE_URL"), QStringLiteral("sqlite:///tmp/x.db")}});
        QCOMPARE(c.databaseUrl, QStringLiteral("sqlite:///tmp/x.db"));
        applyEnvironment(c, {{QStringLiteral("KAFKA_BOOTSTRAP_SERVERS"), QStringLiteral("embedded")}});
        QVERIFY(c.kafkaBootstrap.isEmpty());
        QVERIFY(environmentKeys().contains(QStringLiteral("POSTGRES_PASSWORD")));
    }

    void redaction()
    {
        QCOMPARE(redactUrl(QStringLiteral("postgresql://me:topsecret@h:5432/db")), QStringLiteral("postgresql://me:***@h:5432/db"));
        // libpq's secret keywords (dispchar '*'), also in a PostgreSQL URL libpq refuses.
        QCOMPARE(redactUrl(QStringLiteral("postgresql://me@h:5432/db?sslpassword=k3y&sslmode=require")),
                 QStringLiteral("postgresql://me@h:5432/db?sslmode=require&sslpassword=***"));
        QVERIFY(!redactUrl(QStringLiteral("postgresql://me:topsecret@h/db?sslpassword=k3y&typo=1")).contains(u"k3y"));
        QVERIFY(!redactUrl(QStringLiteral("postgresql://me:topsecret@h/db?sslpassword=k3y&typo=1")).contains(u"topsecret"));
        const QString u = redactUrl(QStringLiteral("wss://streamer.example/v2?api_key=abcdef123456&x=1"));
        QVERIFY(!u.contains(QStringLiteral("abcdef123456")));
        QVERIFY(u.contains(QStringLiteral("x=1")));
        IssueLog::instance().registerSecret(QStringLiteral("K3Y-VALUE-42"));
        IssueLog::instance().error(QStringLiteral("test"), QStringLiteral("request with K3Y-VALUE-42 failed"));
        const auto entries = IssueLog::instance().entriesSince(0);
        QVERIFY(!entries.empty());
        QCOMPARE(entries.back().message, QStringLiteral("request with *** failed"));
    }
};

QTEST_APPLESS_MAIN(TstRuntimeUnits)
#include "tst_runtime_units.moc"
