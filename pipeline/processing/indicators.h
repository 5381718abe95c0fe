#pragma once
// Indicator arithmetic for the candle builder: SMA / EMA of finalized closes per (symbol, interval)
// and change % per symbol. Pure logic, no I/O, bounded memory.
//
// Definitions (the tests in tests/processing/tst_indicators.cpp compute them by hand):
// - SMA(n): arithmetic mean of the last n FINAL closes; absent until n final candles exist.
// - EMA(n): alpha = 2/(n+1), "adjusted" EMA over a trailing window of W = 4n final closes:
//       ema = sum_{i=0}^{k-1} (1-alpha)^i * close[t-i]  /  sum_{i=0}^{k-1} (1-alpha)^i,  k = min(count, W)
//   (pandas ewm(span=n, adjust=True) truncated at 4n closes; the weight dropped is < 0.04 %).
//   The finite window is deliberate: it makes the value a pure function of the last W closes, so
//   restore() from the database rebuilds it exactly after a crash. Absent until n final candles exist.
//   Only final candles count: the forming candle changes until it is final, and the UI draws it
//   itself; a provisional value would flicker and could never be stored consistently.
// - change24hPct: last price vs. the last price at or before (last event time - 24 h), at 1-minute
//   resolution (the last price of that minute, or of the newest earlier minute within one hour).
//   Absent until 24 h of history exist.
// - changeSessionPct: last price vs. the session's first price = the price of the EARLIEST event time
//   among the ticks this builder accepted for the symbol (ties: the earlier arrival), so it does not
//   depend on arrival order. The session is the app run: restore() does not set it.
// "Last price" = price of the tick with the latest event time (ties: the later arrival).
#include <QtGlobal>

#include <optional>
#include <vector>

namespace ms {

// Closes of one (symbol, interval), newest last; keeps at most `capacity` values in a ring.
class CloseHistory
{
public:
    CloseHistory(int smaPeriod, int emaPeriod);

    void push(double close);
    int count() const { return m_count; }
    int capacity() const { return int(m_ring.size()); }

    std::optional<double> sma() const;
    std::optional<double> ema() const;

private:
    double at(int back) const;  // back = 0 is the newest

    int m_smaPeriod, m_emaPeriod;
    std::vector<double> m_ring;
    int m_head = 0;   // index of the next write
    int m_count = 0;  // values held (<= capacity)
};

// Per symbol: the last price, the session's first price and a 24 h ring of per-minute last prices.
class PriceHistory
{
public:
    static constexpr qint64 kMinuteMs = 60000;
    static constexpr qint64 kDayMs = 86400000;
    // 24 h plus one hour of slack, so a symbol without a tick in the exact minute 24 h ago still
    // finds the last price before it (up to an hour earlier).
    static constexpr int kSlots = int(kDayMs / kMinuteMs) + 60;

    // Records that `price` was seen at event time `tsMs`. `sessionTick` is false for restored data.
    void record(qint64 tsMs, double price, bool sessionTick);

    std::optional<double> lastPrice() const;
    qint64 lastTsMs() const { return m_lastTs; }
    std::optional<double> change24hPct() const;
    std::optional<double> changeSessionPct() const;

private:
    struct Slot
    {
        qint64 minute = -1;  // minute index (tsMs / 60000), -1 = empty
        qint64 tsMs = 0;     // event time of `price` within the minute
        double price = 0;
    };

    std::vector<Slot> m_slots;  // allocated on first use
    qint64 m_lastTs = 0;
    double m_lastPrice = 0;
    bool m_hasLast = false;
    std::optional<double> m_sessionFirst;
    qint64 m_sessionFirstTs = 0;
};

}  // namespace ms
