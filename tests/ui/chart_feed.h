#pragma once
// A synthetic market for the chart tests: one tick every stepMs on a random walk, with the
// candles of several intervals built from them as the pipeline would (forming one included).
#include "market_data_store.h"

#include <map>
#include <random>

namespace ms::uitest {

class ChartFeed
{
public:
    explicit ChartFeed(std::vector<int> intervalsSec = {1, 60, 300, 3600},
                       qint64 startMs = 1'700'000'000'000LL)
        : m_intervals(std::move(intervalsSec)), m_t(startMs)
    {
    }

    // Feeds `ticks` ticks `stepMs` apart (after skipping `gapMs` of silence first).
    void feed(ui::MarketDataStore &store, int ticks, qint64 stepMs = 1000, qint64 gapMs = 0)
    {
        m_t += gapMs;
        std::vector<Tick> batch;
        std::vector<Candle> candles;
        for (int i = 0; i < ticks; ++i, m_t += stepMs) {
            m_price = std::max(1.0, m_price + m_step(m_rng));
            Tick k;
            k.symbol = "BTC";
            k.price = m_price;
            k.volume = (1 + (i % 5)) * m_volumeScale;
            k.tsMs = m_t;
            batch.push_back(k);
            for (int interval : m_intervals) {
                const qint64 ms = qint64(interval) * 1000;
                Candle &c = m_forming[interval];
                if (c.bucketStartMs != m_t / ms * ms || c.symbol.empty()) {
                    if (!c.symbol.empty()) {
                        c.final = true;
                        candles.push_back(c);
                    }
                    c = Candle{};
                    c.symbol = "BTC";
                    c.intervalSec = interval;
                    c.bucketStartMs = m_t / ms * ms;
                    c.open = c.high = c.low = m_price;
                }
                c.high = std::max(c.high, m_price);
                c.low = std::min(c.low, m_price);
                c.close = m_price;
                c.volume += k.volume;
            }
        }
        for (auto &[interval, c] : m_forming)
            candles.push_back(c);
        store.addTicks(batch);
        store.addCandles(candles);
        store.takeChanged();
    }
    void setVolumeScale(double scale) { m_volumeScale = scale; }  // volumes are (1..5) x scale
    qint64 now() const { return m_t; }
    double price() const { return m_price; }

private:
    std::vector<int> m_intervals;
    qint64 m_t;
    double m_price = 100;
    double m_volumeScale = 1;
    std::mt19937 m_rng{3};
    std::normal_distribution<double> m_step{0, 0.2};
    std::map<int, Candle> m_forming;
};

} // namespace ms::uitest
