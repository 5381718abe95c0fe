#pragma once
// Helpers shared by the processing tests: golden-file readers, candle comparison, random streams.
#include "model/candle.h"
#include "model/tick.h"
#include "processing/candle_builder.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTest>

#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <vector>

namespace ms::test {

using CandleKey = std::tuple<int, std::string, std::string, int, qint64>;  // asset, sym, cur, iv, start

inline CandleKey keyOf(const Candle &c)
{
    return {int(c.asset), c.symbol, c.currency, c.intervalSec, c.bucketStartMs};
}

inline QString describe(const Candle &c)
{
    return QStringLiteral("%1/%2 %3s @%4 o=%5 h=%6 l=%7 c=%8 v=%9 vwap=%10 n=%11 first=%12 last=%13 final=%14")
        .arg(QString::fromStdString(c.symbol), QString::fromStdString(c.currency))
        .arg(c.intervalSec)
        .arg(c.bucketStartMs)
        .arg(c.open, 0, 'g', 17).arg(c.high, 0, 'g', 17).arg(c.low, 0, 'g', 17).arg(c.close, 0, 'g', 17)
        .arg(c.volume, 0, 'g', 17).arg(c.vwap, 0, 'g', 17)
        .arg(c.trades).arg(c.firstTsMs).arg(c.lastTsMs).arg(c.final);
}

inline bool near(double a, double b)  // sums in another order differ in the last bits
{
    return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

inline bool sameCandle(const Candle &a, const Candle &b)
{
    return keyOf(a) == keyOf(b) && a.open == b.open && a.high == b.high && a.low == b.low
           && a.close == b.close && near(a.volume, b.volume) && near(a.vwap, b.vwap)
           && a.trades == b.trades && a.firstTsMs == b.firstTsMs && a.lastTsMs == b.lastTsMs
           && a.final == b.final;
}

// Latest version per key of everything a builder emitted; checks the emission contract on the way:
// a key is emitted final at most once and never again after it.
struct Collector
{
    std::map<CandleKey, Candle> latest;
    std::map<CandleKey, int> finals;
    QStringList violations;
    size_t rowsEmitted = 0;

    void take(CandleBuilder &b)
    {
        std::vector<Candle> out;
        b.takeUpdates(out);
        rowsEmitted += out.size();
        std::map<CandleKey, int> seenThisCall;
        for (const Candle &c : out) {
            const CandleKey k = keyOf(c);
            if (++seenThisCall[k] > 1)
                violations << QStringLiteral("emitted twice in one call: ") + describe(c);
            if (finals.count(k))
                violations << QStringLiteral("emitted after final: ") + describe(c);
            if (c.final)
                ++finals[k];
            latest[k] = c;
        }
    }
};

inline std::vector<Tick> readTicksJsonl(const QString &path)
{
    std::vector<Tick> ticks;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        qWarning("cannot open %s", qPrintable(path));
        return ticks;
    }
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        Tick t;
        t.kind = o.value(QLatin1String("kind")).toString() == QLatin1String("quote") ? TickKind::Quote : TickKind::Trade;
        t.asset = o.value(QLatin1String("asset")).toString() == QLatin1String("stock") ? AssetClass::Stock : AssetClass::Crypto;
        t.symbol = o.value(QLatin1String("symbol")).toString().toStdString();
        t.currency = o.value(QLatin1String("currency")).toString().toStdString();
        t.price = o.value(QLatin1String("price")).toDouble();
        t.volume = o.value(QLatin1String("volume")).toDouble();
        t.tsMs = qint64(o.value(QLatin1String("ts")).toDouble());
        t.id = o.value(QLatin1String("id")).toString().toStdString();
        ticks.push_back(std::move(t));
    }
    return ticks;
}

inline std::vector<Candle> readCandlesCsv(const QString &path)
{
    std::vector<Candle> candles;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        qWarning("cannot open %s", qPrintable(path));
        return candles;
    }
    f.readLine();  // header
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.isEmpty())
            continue;
        const QStringList p = line.split(QLatin1Char(','));
        if (p.size() != 15) {
            qWarning("bad csv line: %s", qPrintable(line));
            continue;
        }
        Candle c;
        c.asset = p[0] == QLatin1String("stock") ? AssetClass::Stock : AssetClass::Crypto;
        c.symbol = p[1].toStdString();
        c.currency = p[2].toStdString();
        c.intervalSec = p[3].toInt();
        c.bucketStartMs = p[4].toLongLong();
        c.open = p[5].toDouble();
        c.high = p[6].toDouble();
        c.low = p[7].toDouble();
        c.close = p[8].toDouble();
        c.volume = p[9].toDouble();
        c.vwap = p[10].toDouble();
        c.trades = p[11].toLongLong();
        c.firstTsMs = p[12].toLongLong();
        c.lastTsMs = p[13].toLongLong();
        c.final = p[14] == QLatin1String("true");
        candles.push_back(std::move(c));
    }
    return candles;
}

// A random stream: `symbols` crypto symbols (two currencies), unique-ish timestamps moving forward
// by up to `stepMs`, prices as random walks, some zero-volume quotes.
inline std::vector<Tick> randomTicks(std::mt19937_64 &rng, int count, int symbols, qint64 startMs, int stepMs)
{
    std::vector<Tick> ticks;
    ticks.reserve(size_t(count));
    std::vector<double> price(size_t(symbols * 2), 100.0);
    std::uniform_int_distribution<int> step(0, stepMs), pick(0, symbols * 2 - 1), pct(-20, 20);
    std::uniform_real_distribution<double> vol(0.0, 3.0);
    qint64 ts = startMs;
    for (int i = 0; i < count; ++i) {
        ts += step(rng);
        const int s = pick(rng);
        price[size_t(s)] = std::max(1.0, std::round(price[size_t(s)] * (1 + pct(rng) / 10000.0) * 100) / 100);
        Tick t;
        t.symbol = "S" + std::to_string(s / 2);
        t.currency = s % 2 ? "EUR" : "USD";
        t.asset = s / 2 == 0 ? AssetClass::Stock : AssetClass::Crypto;
        t.price = price[size_t(s)];
        t.volume = (i % 7 == 0) ? 0.0 : std::round(vol(rng) * 1000) / 1000;
        t.kind = t.volume == 0 ? TickKind::Quote : TickKind::Trade;
        t.tsMs = ts;
        t.id = "r" + std::to_string(i);
        ticks.push_back(std::move(t));
    }
    return ticks;
}

// Reorders so that every tick arrives less than `maxDelayMs` of event time after the newest tick
// already delivered (so none exceeds the lateness), stable for equal sort keys.
inline std::vector<Tick> shuffleWithin(std::mt19937_64 &rng, const std::vector<Tick> &sorted, qint64 maxDelayMs)
{
    std::uniform_real_distribution<double> delay(0.0, double(maxDelayMs));
    std::vector<std::pair<double, size_t>> keyed;
    for (size_t i = 0; i < sorted.size(); ++i)
        keyed.emplace_back(double(sorted[i].tsMs) + delay(rng), i);
    std::stable_sort(keyed.begin(), keyed.end(), [](auto &a, auto &b) { return a.first < b.first; });
    std::vector<Tick> out;
    for (auto &k : keyed)
        out.push_back(sorted[k.second]);
    return out;
}

}  // namespace ms::test
