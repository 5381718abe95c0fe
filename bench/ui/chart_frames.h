#pragma once
// The chart frame benchmark (bench_charts part 1): every range preset x every interval x every
// mode (candles with SMA/EMA, line, line with SMA/EMA) over 1M points of history.
#include <QString>

namespace ms::bench {

struct ChartFrameOptions
{
    qint64 points = 1'000'000;
    int frames = 100;
    int width = 1280, height = 720; // of the chart panel
    QString screenshotDir;          // saves each case's panel there when set
    QString only;                   // just the cases whose name contains this
    bool skipPostedEvents = false;  // time frames as before 2026-12-01 (no layout pass)
};

void benchChartFrames(const ChartFrameOptions &options);

} // namespace ms::bench
