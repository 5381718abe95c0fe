#pragma once
// What part of time and value the price chart shows, and how pan, zoom, range presets, "Follow
// live" and Go to move it: the chart panel's view maths, without widgets (QtCore only, unit-tested
// in tests/ui/tst_ui_chart_view.cpp). ChartPanel owns one, feeds it the user's gestures and the
// data's extent each frame, and draws the window it returns.
//
// The view either follows the live edge (its right edge is the newest data) or is parked (its
// right edge stays at a fixed time while new data arrives). The span is a range preset or what
// a zoom made of it; span 0 means "All": from the first data to the newest.
#include "value_range.h"

#include <QRectF>
#include <QString>
#include <QtGlobal>
#include <optional>

namespace ms::ui {

struct TimeWindow
{
    qint64 t0 = 0, t1 = 0; // ms since the epoch, t0 < t1
    bool operator==(const TimeWindow &) const = default;
};

// One drawn frame of the chart panel, as overlays need it (ChartPanel::framePlaced): the symbol,
// the visible time window and price range, and the plot rectangles in chart coordinates.
struct ChartFrame
{
    QString symbol;
    TimeWindow window;
    ValueRange prices;    // of the price plot (lo < hi)
    double volumeTop = 1; // the volume plot shows [0, volumeTop]
    QRectF pricePlot, volumePlot;

    // x of a time (ms) in either plot (both share the time axis), y of a price in the price plot;
    // values outside the window or range map outside the rectangle.
    double x(qint64 timeMs) const;
    double priceY(double price) const;
};

class ChartViewModel
{
public:
    static constexpr qint64 kMinSpanMs = 2000;
    static constexpr qint64 kMaxSpanMs = 400LL * 24 * 60 * 60 * 1000;

    // The user's gestures.
    void setRangePreset(qint64 spanMs); // also resumes following
    void setFollowing(bool on);         // off: parks the view where it is now
    // Moves the view by a fraction of its span (> 0 towards newer data). Reaching (or passing)
    // `latestMs`, the newest data, resumes following; anything else parks the view.
    void pan(double fractionOfSpan, qint64 latestMs);
    // Scales the span by `factor` (< 1 zooms in) around the time at anchorFraction of the width
    // (0 = left edge). Zooming at the right edge (> 0.95) while following keeps following.
    void zoom(double factor, double anchorFraction);
    // Parks the view centred on this time (an "All" view becomes one hour wide).
    void goTo(qint64 timeMs);

    // The window to draw for data from firstMs to lastMs (the newest point). Remembers it: pan,
    // zoom and "Follow live" off start from what was drawn last.
    TimeWindow place(qint64 firstMs, qint64 lastMs);
    // Widens the placed window's right edge by padMs when following (room for the forming candle).
    void padRight(qint64 padMs);
    TimeWindow shown() const { return m_shown; }

    qint64 spanMs() const { return m_spanMs; } // 0 = All
    bool following() const { return m_follow; }

    // Redraw bookkeeping. Every gesture marks the view dirty; consumeRedraw() says whether a frame
    // must be drawn: when the view moved, or data changed while the view can show the change
    // (following, or "All"); a parked view ignores new data at the live edge.
    void markDirty() { m_dirty = true; }
    bool consumeRedraw(bool dataChanged);

    // The price axis: fits the visible values [lo, hi] (value_range.h) unless they still fit the
    // current range well. Returns the new range when it changed.
    std::optional<ValueRange> fitValues(double lo, double hi);
    std::optional<ValueRange> valueRange() const { return m_valueRange; }
    void resetValueFit() { m_valueRange.reset(); } // a new symbol or run: fit tightly again

private:
    qint64 m_spanMs = 5 * 60 * 1000;
    qint64 m_endMs = 0; // the right edge while parked
    bool m_follow = true;
    bool m_dirty = true;
    TimeWindow m_shown;
    std::optional<ValueRange> m_valueRange;
};

} // namespace ms::ui
