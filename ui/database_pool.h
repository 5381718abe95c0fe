#pragma once
// The thread pool the UI's database reads run on (history pages, stored quotes, Test connection).
//
// Not QThreadPool::globalInstance(): Qt 6.4's raster paint engine splits large fills and image
// conversions into jobs on the global pool and waits for them on the GUI thread. A query queued
// there (2 threads on 2 cores) made every paint wait until the history load finished: a 1.6 s
// stall of the first frame at launch over a day of candles (bench_gui_latency).
#include <QThreadPool>

namespace ms::ui {

QThreadPool *databaseThreadPool();

} // namespace ms::ui
