#pragma once
// The checked values of the command line, shared by the main form (cli_options.cpp) and the
// sub-commands (cli_subcommands.cpp). Every error names the option ("--rate needs ...").
#include "model/result.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace ms::cli {

// Every number from the command line is finite and inside [min, max]: "nan", "inf" and "1e30" are
// refused, so no later double → int conversion can be undefined. name is the option without "--".
Result<double> number(const QString &name, const QString &text, double min, double max);
// A whole number in [min, max] ("1e6" is fine, "2.5" is not).
Result<qint64> wholeNumber(const QString &name, const QString &text, qint64 min, qint64 max);
// Each symbol by the decoder's rules (codec/tick_codec.h), and at least one.
Status checkSymbols(const QString &option, const QStringList &symbols);
// ms since the epoch, or an ISO-8601 time (no zone: UTC); any value, the caller checks the range.
std::optional<qint64> epochOrIsoTimeMs(const QString &text);
// --start-time: epochOrIsoTimeMs() inside 2000..2099 (the simulator's ticks must pass the decoder).
Result<qint64> timeArg(const QString &text);

} // namespace ms::cli
