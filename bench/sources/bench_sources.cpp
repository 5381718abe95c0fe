// Prints throughput figures for the sources (never asserted):
//   parse   Finnhub trade frames (the 10-trade live capture) → ticks/s
//   parse   CryptoCompare pricemultifull RAW → quotes/s
//   record  TickRecorder JSONL → ticks/s
//   replay  ReplaySource at speed 0 (as fast as possible) → ticks/s
// Usage: bench_sources [ticks=200000]
#include "sources/cryptocompare_parse.h"
#include "sources/finnhub_parse.h"
#include "sources/replay_source.h"
#include "sources/tick_recorder.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace ms;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 n = argc > 1 ? QByteArray(argv[1]).toLongLong() : 200000;
    const QString shared = QStringLiteral(MS_SOURCE_DIR "/../shared/fixtures/");

    QFile f(shared + QStringLiteral("finnhub/ws/trade_AAPL_2023-03-31_live_capture.json"));
    if (f.open(QIODevice::ReadOnly)) {
        const QByteArray frame = f.readAll();
        QElapsedTimer t;
        t.start();
        qint64 ticks = 0;
        while (ticks < n)
            ticks += qint64(finnhub::parseWsMessage(frame, QStringLiteral("USD"), AssetClass::Stock)->trades.size());
        std::printf("finnhub trade frames parsed: %.0f ticks/s\n", double(ticks) * 1000.0 / double(std::max<qint64>(1, t.elapsed())));
    }
    QFile p(shared + QStringLiteral("cryptocompare/rest/pricemultifull_BTC-ETH_USD_2022-08-09_DERIVED.json"));
    if (p.open(QIODevice::ReadOnly)) {
        const QByteArray body = p.readAll();
        QElapsedTimer t;
        t.start();
        qint64 quotes = 0;
        while (quotes < n / 20)
            quotes += qint64(cryptocompare::parsePriceMultiFull(body, {QStringLiteral("BTC"), QStringLiteral("ETH")},
                                                                {QStringLiteral("USD")})->quotes.size());
        std::printf("cryptocompare pricemultifull parsed: %.0f quotes/s\n", double(quotes) * 1000.0 / double(std::max<qint64>(1, t.elapsed())));
    }

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.jsonl"));
    {
        auto rec = TickRecorder::open(path);
        std::vector<Tick> batch(1000);
        for (size_t i = 0; i < batch.size(); ++i) {
            batch[i].symbol = i % 2 ? "BTC" : "ETH";
            batch[i].price = 40000.5 + double(i);
            batch[i].volume = 0.25;
            batch[i].id = "sim-" + std::to_string(i);
        }
        QElapsedTimer t;
        t.start();
        for (qint64 done = 0; done < n; done += qint64(batch.size())) {
            for (size_t i = 0; i < batch.size(); ++i) {
                batch[i].tsMs = 1700000000000 + done + qint64(i);
                batch[i].id = "sim-" + std::to_string(done + qint64(i));
            }
            (void)(*rec)->append(batch);
        }
        std::printf("TickRecorder JSONL: %.0f ticks/s\n", double(n) * 1000.0 / double(std::max<qint64>(1, t.elapsed())));
    }
    ReplaySource replay(ReplayOptions{path, 0.0, AssetClass::Crypto, 5000});
    qint64 got = 0;
    replay.setTickHandler([&](std::span<const Tick> b) { got += qint64(b.size()); });
    QElapsedTimer t;
    QObject::connect(&replay, &Source::finished, &app, [&] {
        std::printf("ReplaySource x0 (JSONL): %lld ticks, %.0f ticks/s\n", static_cast<long long>(got),
                    double(got) * 1000.0 / double(std::max<qint64>(1, t.elapsed())));
        app.quit();
    });
    t.start();
    replay.start();
    return app.exec();
}
