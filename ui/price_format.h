#pragma once
// One way to write prices, changes and volumes everywhere in the window (watchlist, chart header,
// crosshair tooltip, axes), so the same price never reads 189.910 in one place and 189.9100 in
// another. Widget-free (QtCore only) and unit-tested.
//
// Decimals follow the instrument's tick size, derived from the prices themselves: PriceDecimals
// remembers the most decimals any observed price needed (the simulator quotes 0.01 steps above 10,
// 0.0001 below; exchanges quote what they quote). Before the first price, a default by magnitude.
// Numbers use the locale's thousands separators: 67,432.10.
#include <QString>
#include <algorithm>
#include <optional>

namespace ms::ui {

// At most this many decimals (satoshi precision); more is floating-point noise.
inline constexpr int kMaxPriceDecimals = 8;
// At least cents, as every exchange and broker writes prices: a run of round prices (190, 200) must
// not make the instrument look like it trades in whole units.
inline constexpr int kMinPriceDecimals = 2;

// The fewest decimals (0..kMaxPriceDecimals) that write `price` exactly, e.g. 189.9 → 1, 0.00012
// → 5.
int decimalsNeeded(double price);
// What to use before any price is known, by magnitude: 2 at 1 and above, 4 from 0.01, else 8.
int defaultDecimals(double price);
// The tick size these decimals stand for: 2 → 0.01.
double tickSizeForDecimals(int decimals);

class PriceDecimals
{
public:
    void observe(double price);
    bool known() const { return m_decimals >= 0; }
    // Decimals for writing `price` of this instrument (the observed maximum, at least cents; or the
    // default by magnitude before any price).
    int decimals(double price) const
    {
        return known() ? std::max(m_decimals, kMinPriceDecimals) : defaultDecimals(price);
    }
    double tickSize(double price) const { return tickSizeForDecimals(decimals(price)); }

private:
    int m_decimals = -1;
};

// 67432.1 with 2 decimals → "67,432.10" (in the C/English locale; the user's locale otherwise).
QString formatPrice(double price, int decimals);
// "+1.25%", "-0.40%", "0.00%"; "—" when absent.
QString formatChangePercent(const std::optional<double> &percent);

enum class VolumeUnit { Shares, Coins };
// Volume in the instrument's unit: shares are whole ("4,888 shares", "12.4M shares"); coins keep
// the decimals their size needs and name the coin ("1.25 BTC", "12,480 BTC", "3.1M BTC").
QString formatVolume(double volume, VolumeUnit unit, const QString &coin = {});

} // namespace ms::ui
