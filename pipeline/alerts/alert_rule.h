#pragma once
// Price alert rules, parsed from the text an operator types (`--alert`, the Alerts panel):
//   BTC>50000     the price rises above 50000 (fires on the first tick above it)
//   ETH<2000      the price falls below 2000
//   AAPL%5m>2     the price moved more than 2 % within 5 minutes, up or down (against the lowest
//                 and highest price of the symbol's ticks in the last 5 minutes)
// Window units: s, m, h, d (1 s to 7 d). Spaces around the parts are allowed. The symbol follows
// the decoder's rules (codec/tick_codec.h symbolProblem) and cannot contain '<', '>' or '%'. Pure:
// no I/O. Errors are values with a message that names what is wrong.
#include "model/result.h"

#include <QString>
#include <string>
#include <vector>

namespace ms {

enum class AlertKind : quint8 { Above, Below, Move };

struct AlertRule
{
    std::string text; // canonical spelling (no spaces, shortest number form): the rule's identity
    std::string symbol;
    AlertKind kind = AlertKind::Above;
    double level = 0;    // Above/Below: the price level (> 0)
    double percent = 0;  // Move: the move in percent (> 0, <= 1000)
    qint64 windowMs = 0; // Move: the window

    bool operator==(const AlertRule &) const = default;
};

Result<AlertRule> parseAlertRule(const QString &spec);
// All of `specs`, or the first error, prefixed with the spec it concerns. Duplicates (same
// canonical text) are kept once.
Result<std::vector<AlertRule>> parseAlertRules(const QStringList &specs);

} // namespace ms
