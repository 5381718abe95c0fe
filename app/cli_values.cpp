// The checked values of the command line (cli_values.h).
#include "cli_values.h"

#include "cli_options.h"
#include "codec/tick_codec.h"

#include <QDateTime>
#include <cmath>

namespace ms {

namespace {

constexpr qint64 kMaxIntervalSec = 366LL * 86400;
constexpr int kMaxIntervals = 32;

// The simulator's ticks start here: outside 2000..2100 the consumers would refuse every one.
Result<qint64> checkStartTime(qint64 ms, const QString &text)
{
    if (ms < kMinSaneTsMs || ms >= kMaxSaneTsMs - 365LL * 86400 * 1000)
        return makeError(
            QStringLiteral("--start-time %1 is outside 2000..2099").arg(text.left(40)));
    return ms;
}

} // namespace

namespace cli {

// Every number from the command line is finite and inside [min, max]: "nan", "inf" and "1e30" are
// refused here, so no later double → int conversion can be undefined.
Result<double> number(const QString &name, const QString &text, double min, double max)
{
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < min || v > max)
        return makeError(QStringLiteral("--%1 needs a number from %2 to %3, got '%4'")
                             .arg(name, QString::number(min, 'g', 12),
                                  QString::number(max, 'g', 12), text.left(40)));
    return v;
}

// A whole number in [min, max] ("1e6" is fine, "2.5" is not).
Result<qint64> wholeNumber(const QString &name, const QString &text, qint64 min, qint64 max)
{
    auto v = number(name, text, double(min), double(max));
    if (!v)
        return v.error();
    if (std::floor(*v) != *v)
        return makeError(
            QStringLiteral("--%1 needs a whole number, got '%2'").arg(name, text.left(40)));
    return qint64(*v);
}

Status checkSymbols(const QString &option, const QStringList &symbols)
{
    if (symbols.isEmpty())
        return makeError(QStringLiteral("--%1 names no symbol").arg(option));
    for (const QString &s : symbols) {
        const std::string problem = symbolProblem(s.toStdString());
        if (!problem.empty())
            return makeError(QStringLiteral("--%1: symbol '%2' refused: %3")
                                 .arg(option, s.left(40), QString::fromStdString(problem)));
    }
    return {};
}

std::optional<qint64> epochOrIsoTimeMs(const QString &text)
{
    bool ok = false;
    const qint64 ms = text.toLongLong(&ok);
    if (ok)
        return ms;
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(text, Qt::ISODate);
    if (!dt.isValid())
        return std::nullopt;
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC); // times without a zone are UTC, like every time in the pipeline
    return dt.toMSecsSinceEpoch();
}

Result<qint64> timeArg(const QString &text)
{
    const std::optional<qint64> ms = epochOrIsoTimeMs(text);
    if (!ms)
        return makeError(
            QStringLiteral("--start-time needs ms since the epoch or an ISO-8601 time, got '%1'")
                .arg(text));
    return checkStartTime(*ms, text);
}

} // namespace cli

Result<QList<int>> parseIntervals(const QString &text)
{
    QList<int> out;
    const QStringList parts = text.split(u',', Qt::SkipEmptyParts);
    for (QString p : parts) {
        p = p.trimmed();
        const QString given = p;
        int mult = 1;
        if (p.endsWith(u's')) {
            p.chop(1);
        } else if (p.endsWith(u'm')) {
            mult = 60;
            p.chop(1);
        } else if (p.endsWith(u'h')) {
            mult = 3600;
            p.chop(1);
        } else if (p.endsWith(u'd')) {
            mult = 86400;
            p.chop(1);
        }
        bool ok = false;
        const qint64 v = p.toLongLong(&ok);
        // At most a year: 24856d would overflow the int seconds (and every ms product after it).
        if (!ok || v <= 0 || v > kMaxIntervalSec / mult)
            return makeError(
                QStringLiteral("bad interval '%1' (use e.g. 1s,1m,5m,1h; at most 366d)")
                    .arg(given.left(40)));
        out.append(int(v * mult));
    }
    if (out.isEmpty())
        return makeError(QStringLiteral("no candle interval given"));
    if (out.size() > kMaxIntervals) // the candle builder keeps one bit per interval in 32-bit masks
        return makeError(QStringLiteral("%1 candle intervals given; at most %2")
                             .arg(out.size())
                             .arg(kMaxIntervals));
    return out;
}

} // namespace ms
