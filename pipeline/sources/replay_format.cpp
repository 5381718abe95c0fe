#include "sources/replay_format.h"

#include "codec/tick_codec.h"

#include <QDateTime>
#include <QList>

#include <cmath>

namespace ms::replay {

Format detectFormat(const QString &path, const QByteArray &firstLine)
{
    const QByteArray t = firstLine.trimmed();
    if (t.startsWith('{'))
        return Format::Jsonl;
    if (path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive))
        return Format::Csv;
    return t.isEmpty() || t.startsWith('#') ? Format::Jsonl : Format::Csv;
}

namespace {

AssetClass assetFor(const Tick &t, std::optional<AssetClass> given, AssetClass defaultAsset)
{
    if (given)
        return *given;
    return t.source == SourceKind::Finnhub ? AssetClass::Stock : defaultAsset;
}

QList<QByteArray> splitCsv(const QByteArray &line)
{
    QList<QByteArray> out = line.split(',');
    for (QByteArray &f : out) {
        f = f.trimmed();
        if (f.size() >= 2 && f.startsWith('"') && f.endsWith('"'))
            f = f.mid(1, f.size() - 2);
    }
    return out;
}

}  // namespace

Result<std::optional<Tick>> parseJsonlLine(const QByteArray &line, AssetClass defaultAsset)
{
    const QByteArray t = line.trimmed();
    if (t.isEmpty() || t.startsWith('#'))
        return std::optional<Tick>{};
    DecodeResult r = decodeTick(std::string_view(t.constData(), size_t(t.size())), defaultAsset);
    if (!isTick(r)) {
        const auto &e = std::get<DecodeError>(r);
        return makeError(QString::fromStdString(e.detail), QString::fromStdString(e.reason));
    }
    Tick tick = std::get<Tick>(std::move(r));
    std::optional<AssetClass> given;
    const qsizetype at = t.indexOf("\"asset\":\"");
    if (at >= 0) {
        const qsizetype start = at + 9;
        const qsizetype end = t.indexOf('"', start);
        if (end < 0)
            return makeError(QStringLiteral("unterminated \"asset\" value"), QStringLiteral("bad_value"));
        given = assetClassFromString(std::string_view(t.constData() + start, size_t(end - start)));
        if (!given)
            return makeError(QStringLiteral("unknown asset '%1'").arg(QString::fromUtf8(t.mid(start, end - start))),
                             QStringLiteral("bad_value"));
    }
    tick.asset = assetFor(tick, given, defaultAsset);
    return std::optional<Tick>(std::move(tick));
}

Result<CsvHeader> parseCsvHeader(const QByteArray &line)
{
    CsvHeader h;
    const QList<QByteArray> cols = splitCsv(line);
    for (int i = 0; i < cols.size(); ++i)
        h.column.insert(QString::fromUtf8(cols[i]).toLower(), i);
    if (!h.column.contains(QStringLiteral("symbol")) || !h.column.contains(QStringLiteral("price"))
        || !(h.column.contains(QStringLiteral("ts")) || h.column.contains(QStringLiteral("timestamp"))))
        return makeError(QStringLiteral("CSV header must name the columns symbol, price and ts (or timestamp); got: %1")
                             .arg(QString::fromUtf8(line.trimmed())),
                         QStringLiteral("bad_header"));
    return h;
}

Result<std::optional<Tick>> parseCsvRow(const CsvHeader &header, const QByteArray &line, qint64 lineNumber,
                                        AssetClass defaultAsset)
{
    if (line.trimmed().isEmpty() || line.trimmed().startsWith('#'))
        return std::optional<Tick>{};
    const QList<QByteArray> f = splitCsv(line);
    auto field = [&](const char *name) -> QByteArray {
        const int i = header.column.value(QLatin1String(name), -1);
        return i >= 0 && i < f.size() ? f[i] : QByteArray();
    };
    auto number = [&](const char *name, bool required, std::optional<double> &out) -> Status {
        const QByteArray v = field(name);
        if (v.isEmpty()) {
            if (required)
                return makeError(QStringLiteral("column '%1' is empty").arg(QLatin1String(name)), QStringLiteral("missing_field"));
            out.reset();
            return {};
        }
        bool ok = false;
        const double d = v.toDouble(&ok);
        if (!ok || !std::isfinite(d))
            return makeError(QStringLiteral("column '%1' is not a number: %2").arg(QLatin1String(name), QString::fromUtf8(v)),
                             QStringLiteral("bad_value"));
        out = d;
        return {};
    };

    Tick t;
    t.source = SourceKind::Replay;
    t.kind = TickKind::Trade;
    const QByteArray symbol = field("symbol");
    if (symbol.isEmpty())
        return makeError(QStringLiteral("column 'symbol' is empty"), QStringLiteral("missing_field"));
    t.symbol = symbol.toStdString();
    std::optional<double> price, volume;
    if (auto s = number("price", true, price); !s)
        return s.error();
    if (*price <= 0)
        return makeError(QStringLiteral("price must be > 0, got %1").arg(*price), QStringLiteral("non_positive_price"));
    t.price = *price;
    if (auto s = number("volume", false, volume); !s)
        return s.error();
    t.volume = volume.value_or(0);
    if (t.volume < 0)
        return makeError(QStringLiteral("volume must be >= 0"), QStringLiteral("negative_volume"));

    const QByteArray ts = field("ts");
    if (!ts.isEmpty()) {
        bool ok = false;
        t.tsMs = ts.toLongLong(&ok);
        if (!ok)
            return makeError(QStringLiteral("column 'ts' must be integer milliseconds, got %1").arg(QString::fromUtf8(ts)),
                             QStringLiteral("bad_value"));
    } else {
        const QByteArray when = field("timestamp");
        bool ok = false;
        const double secs = when.toDouble(&ok);
        if (ok) {
            // Range first: llround of a value beyond 64 bits has no defined result.
            const double ms = secs * 1000.0;
            if (!(ms >= double(kMinSaneTsMs) && ms < double(kMaxSaneTsMs)))
                return makeError(QStringLiteral("column 'timestamp' %1 s is outside 2000..2100").arg(QString::fromUtf8(when)),
                                 QStringLiteral("absurd_timestamp"));
            t.tsMs = qint64(std::llround(ms));
        } else {
            const QDateTime dt = QDateTime::fromString(QString::fromUtf8(when), Qt::ISODateWithMs);
            if (!dt.isValid())
                return makeError(QStringLiteral("column 'timestamp' is neither epoch seconds nor ISO 8601: %1")
                                     .arg(QString::fromUtf8(when)), QStringLiteral("bad_value"));
            t.tsMs = dt.toMSecsSinceEpoch();
        }
    }
    if (t.tsMs < kMinSaneTsMs || t.tsMs >= kMaxSaneTsMs)
        return makeError(QStringLiteral("event time %1 ms is outside 2000..2100").arg(t.tsMs), QStringLiteral("absurd_timestamp"));

    if (const QByteArray c = field("currency"); !c.isEmpty())
        t.currency = c.toStdString();
    if (const QByteArray s = field("source"); !s.isEmpty()) {
        const auto kind = sourceKindFromString(s.toStdString());
        if (!kind)
            return makeError(QStringLiteral("unknown source '%1'").arg(QString::fromUtf8(s)), QStringLiteral("unknown_source"));
        t.source = *kind;
    }
    if (const QByteArray k = field("kind"); !k.isEmpty()) {
        const auto kind = tickKindFromString(k.toStdString());
        if (!kind)
            return makeError(QStringLiteral("unknown kind '%1'").arg(QString::fromUtf8(k)), QStringLiteral("unknown_kind"));
        t.kind = *kind;
    }
    const QByteArray id = field("id");
    t.id = id.isEmpty() ? "csv-" + std::to_string(lineNumber) : id.toStdString();
    std::optional<AssetClass> asset;
    if (const QByteArray a = field("asset"); !a.isEmpty()) {
        asset = assetClassFromString(a.toStdString());
        if (!asset)
            return makeError(QStringLiteral("unknown asset '%1'").arg(QString::fromUtf8(a)), QStringLiteral("bad_value"));
    }
    t.asset = assetFor(t, asset, defaultAsset);
    for (auto [name, slot] : {std::pair{"open", &t.open}, std::pair{"high", &t.high}, std::pair{"low", &t.low},
                              std::pair{"previous_close", &t.previousClose}}) {
        if (auto s = number(name, false, *slot); !s)
            return s.error();
    }
    // The row must be a tick the consumers accept (symbol, currency and id rules, extras > 0),
    // or every one of them would be dead-lettered after the replay "succeeded".
    if (const auto bad = validateTick(t))
        return makeError(QString::fromStdString(bad->detail), QString::fromStdString(bad->reason));
    return std::optional<Tick>(std::move(t));
}

}  // namespace ms::replay
