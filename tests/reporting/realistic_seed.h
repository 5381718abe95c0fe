#pragma once
// A PostgreSQL reporting database of realistic shape, generated server-side with generate_series (fast:
// no row crosses the client): six symbols (three crypto, three stocks), `ticks` ticks spread evenly over
// the last `tickDays` days before `end`, and candles of the app's default intervals: 1 s candles over
// the tick span, 1 min / 5 min / 1 h candles over `candleDays` days. Prices are cents, a slow sine
// around a per-symbol base, so % change and daily closes vary from day to day.
// Used by tst_reporting_directquery (small) and bench_reporting (>= 5M ticks).
#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

namespace ms::test {

struct RealisticSeed
{
    qint64 ticks = 300000;
    int tickDays = 10;
    int oneSecondCandleHours = 1;  // 1 s candles for the last N hours (bench_reporting: 24)
    int candleDays = 10;
    QDateTime end = QDateTime(QDate(2026, 11, 30), QTime(23, 59, 59), Qt::UTC);
};

// Runs the inserts and VACUUM ANALYZE; "" on success, else the failing statement's error.
QString seedRealisticData(QSqlDatabase &db, const RealisticSeed &seed);

}  // namespace ms::test
