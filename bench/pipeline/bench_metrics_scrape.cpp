// Does scraping /metrics cost the pipeline anything? The real headless binary (simulator →
// embedded Kafka → candles → SQLite), paced, run alternately without and with --metrics-port and
// a scrape every second; prints produce→commit p50/p99 of each run and what a scrape costs.
// Prints figures; asserts nothing.
//   bench_metrics_scrape [seconds=15] [rate=2000] [rounds=2]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

struct Scrape
{
    qint64 bytes = 0;
    double ms = 0;
};

Scrape scrapeOnce(quint16 port)
{
    QElapsedTimer t;
    t.start();
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), port);
    Scrape r;
    if (!s.waitForConnected(2000))
        return r;
    s.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray all;
    while (s.state() == QAbstractSocket::ConnectedState && s.waitForReadyRead(2000))
        all += s.readAll();
    all += s.readAll();
    r.bytes = all.size();
    r.ms = double(t.nsecsElapsed()) / 1e6;
    return r;
}

struct Run
{
    QJsonObject summary;
    std::vector<Scrape> scrapes;
};

Run runOnce(const QString &db, int seconds, int rate, bool scrape)
{
    QStringList args{QStringLiteral("--headless"),    QStringLiteral("--rate"),
                     QString::number(rate),           QStringLiteral("--duration"),
                     QString::number(seconds),        QStringLiteral("--db"),
                     QStringLiteral("sqlite://") + db};
    if (scrape)
        args << QStringLiteral("--metrics-port") << QStringLiteral("0");
    QProcess p;
    p.start(QStringLiteral(MS_APP_PATH), args);
    p.waitForStarted();
    Run run;
    QByteArray err;
    quint16 port = 0;
    const QRegularExpression served(
        QStringLiteral("serving http://127\\.0\\.0\\.1:(\\d+)/metrics"));
    QElapsedTimer sinceScrape;
    sinceScrape.start();
    while (!p.waitForFinished(50)) {
        err += p.readAllStandardError();
        if (scrape && port == 0) {
            const auto m = served.match(QString::fromUtf8(err));
            if (m.hasMatch())
                port = quint16(m.captured(1).toUInt());
        }
        if (port != 0 && sinceScrape.elapsed() >= 1000) {
            sinceScrape.restart();
            run.scrapes.push_back(scrapeOnce(port));
        }
    }
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).trimmed().split(u'\n');
    run.summary = QJsonDocument::fromJson(lines.last().toUtf8()).object();
    if (p.exitCode() != 0)
        std::fprintf(stderr, "marketstream exited with %d\n", p.exitCode());
    return run;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList a = app.arguments();
    const int seconds = a.size() > 1 ? a[1].toInt() : 15;
    const int rate = a.size() > 2 ? a[2].toInt() : 2000;
    const int rounds = a.size() > 3 ? a[3].toInt() : 2;
    QTemporaryDir dir;
    std::printf("metrics scrape: %d s per run at %d ticks/s, SQLite, embedded Kafka, %d round(s)\n",
                seconds, rate, rounds);
    std::vector<double> without, with;
    for (int r = 0; r < rounds; ++r) {
        for (const bool scrape : {false, true}) {
            const QString db = dir.filePath(QStringLiteral("run-%1-%2.db").arg(r).arg(scrape));
            const Run run = runOnce(db, seconds, rate, scrape);
            const double p50 = run.summary.value(QLatin1String("latency_p50_ms")).toDouble();
            const double p99 = run.summary.value(QLatin1String("latency_p99_ms")).toDouble();
            (scrape ? with : without).push_back(p99);
            std::printf(
                "  round %d %-22s stored %7lld  p50 %6.2f ms  p99 %6.2f ms", r + 1,
                scrape ? "scrape every 1 s:" : "no metrics server:",
                static_cast<long long>(run.summary.value(QLatin1String("stored")).toInteger()), p50,
                p99);
            if (!run.scrapes.empty()) {
                double worst = 0, total = 0;
                qint64 bytes = 0;
                for (const Scrape &s : run.scrapes) {
                    worst = std::max(worst, s.ms);
                    total += s.ms;
                    bytes = std::max(bytes, s.bytes);
                }
                std::printf("  (%zu scrapes of %lld bytes, mean %.2f ms, worst %.2f ms)",
                            run.scrapes.size(), static_cast<long long>(bytes),
                            total / double(run.scrapes.size()), worst);
            }
            std::printf("\n");
        }
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    std::printf("median p99: without %.2f ms, with scrapes %.2f ms, difference %+.2f ms (load "
                "average: compare "
                "within one run; this 2-core machine is shared)\n",
                median(without), median(with), median(with) - median(without));
    return 0;
}
