#include "alerts/alert_rule.h"

#include "codec/tick_codec.h"

#include <QRegularExpression>
#include <QStringList>
#include <charconv>
#include <cmath>
#include <limits>

namespace ms {

namespace {

constexpr qint64 kMinWindowMs = 1000;
constexpr qint64 kMaxWindowMs = 7LL * 24 * 3600 * 1000;
constexpr double kMaxPercent = 1000;

// The spec as quoted in a message: one line, bounded (it comes from outside).
QString quoted(const QString &spec)
{
    QString out = spec.left(60);
    for (QChar &c : out) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            c = QLatin1Char('?');
    }
    return spec.size() > 60 ? out + QStringLiteral("...") : out;
}

Error bad(const QString &spec, const QString &why)
{
    return makeError(QStringLiteral("alert rule '%1': %2").arg(quoted(spec), why),
                     QStringLiteral("bad_alert_rule"));
}

// A plain decimal number (digits, optional fraction, optional exponent): no '+', no nan/inf, no
// hex. A leading '-' parses, so the caller can say the value must be > 0.
std::optional<double> parseNumber(const std::string &text)
{
    if (text.empty())
        return std::nullopt;
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
            return std::nullopt;
    }
    if (!(text.front() >= '0' && text.front() <= '9') && text.front() != '.' && text.front() != '-')
        return std::nullopt;
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::string shortest(double v)
{
    char buf[64];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, ptr) : std::to_string(v);
}

std::optional<qint64> parseWindowMs(const std::string &text)
{
    if (text.size() < 2)
        return std::nullopt;
    const char unit = text.back();
    qint64 unitMs = 0;
    switch (unit) {
    case 's':
        unitMs = 1000;
        break;
    case 'm':
        unitMs = 60 * 1000;
        break;
    case 'h':
        unitMs = 3600 * 1000;
        break;
    case 'd':
        unitMs = 24 * 3600 * 1000;
        break;
    default:
        return std::nullopt;
    }
    qint64 count = 0;
    const char *end = text.data() + text.size() - 1;
    for (const char *p = text.data(); p != end; ++p) {
        if (*p < '0' || *p > '9')
            return std::nullopt;
    }
    const auto [ptr, ec] = std::from_chars(text.data(), end, count);
    if (ec != std::errc() || ptr != end)
        return std::nullopt;
    qint64 ms = 0;
    if (__builtin_mul_overflow(count, unitMs, &ms))
        return std::nullopt;
    return ms;
}

std::string windowText(qint64 ms)
{
    for (const auto &[unitMs, unit] :
         {std::pair{24LL * 3600 * 1000, 'd'}, {3600LL * 1000, 'h'}, {60LL * 1000, 'm'}}) {
        if (ms % unitMs == 0)
            return std::to_string(ms / unitMs) + unit;
    }
    return std::to_string(ms / 1000) + 's';
}

} // namespace

Result<AlertRule> parseAlertRule(const QString &specIn)
{
    const QString spec = specIn.trimmed();
    if (spec.isEmpty())
        return bad(specIn, QStringLiteral("empty; expected e.g. BTC>50000, ETH<2000 or AAPL%5m>2"));
    const qsizetype op = spec.indexOf(QRegularExpression(QStringLiteral("[<>%]")));
    if (op < 0)
        return bad(
            spec, QStringLiteral(
                      "no operator; expected SYMBOL>PRICE, SYMBOL<PRICE or SYMBOL%WINDOW>PERCENT"));
    AlertRule rule;
    rule.symbol = spec.left(op).trimmed().toStdString();
    if (rule.symbol.empty())
        return bad(spec, QStringLiteral("no symbol before '%1'").arg(spec[op]));
    if (const std::string problem = symbolProblem(rule.symbol); !problem.empty())
        return bad(spec, QString::fromStdString(problem));
    QString rest = spec.mid(op + 1).trimmed();
    if (spec[op] == QLatin1Char('%')) {
        const qsizetype gt = rest.indexOf(QLatin1Char('>'));
        if (gt < 0)
            return bad(spec,
                       QStringLiteral("a move rule reads SYMBOL%WINDOW>PERCENT, e.g. AAPL%5m>2"));
        const std::string window = rest.left(gt).trimmed().toStdString();
        const std::optional<qint64> ms = parseWindowMs(window);
        if (!ms)
            return bad(spec,
                       QStringLiteral("window '%1' is not a whole number followed by s, m, h or d")
                           .arg(QString::fromStdString(window)));
        if (*ms < kMinWindowMs || *ms > kMaxWindowMs)
            return bad(spec, QStringLiteral("window must be between 1s and 7d"));
        rest = rest.mid(gt + 1).trimmed();
        const std::optional<double> pct = parseNumber(rest.toStdString());
        if (!pct)
            return bad(spec, QStringLiteral("percent '%1' is not a plain finite number").arg(rest));
        if (!(*pct > 0) || *pct > kMaxPercent)
            return bad(spec, QStringLiteral("percent must be > 0 and <= 1000"));
        rule.kind = AlertKind::Move;
        rule.windowMs = *ms;
        rule.percent = *pct;
        rule.text = rule.symbol + '%' + windowText(*ms) + '>' + shortest(*pct);
        return rule;
    }
    const std::optional<double> level = parseNumber(rest.toStdString());
    if (!level)
        return bad(spec, QStringLiteral("price '%1' is not a plain finite number").arg(rest));
    if (!(*level > 0))
        return bad(spec, QStringLiteral("price must be > 0"));
    rule.kind = spec[op] == QLatin1Char('>') ? AlertKind::Above : AlertKind::Below;
    rule.level = *level;
    rule.text = rule.symbol + (rule.kind == AlertKind::Above ? '>' : '<') + shortest(*level);
    return rule;
}

Result<std::vector<AlertRule>> parseAlertRules(const QStringList &specs)
{
    std::vector<AlertRule> out;
    for (const QString &spec : specs) {
        auto r = parseAlertRule(spec);
        if (!r)
            return r.error();
        bool seen = false;
        for (const AlertRule &o : out)
            seen = seen || o.text == r->text;
        if (!seen)
            out.push_back(std::move(r.value()));
    }
    return out;
}

} // namespace ms
