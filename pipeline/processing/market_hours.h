#pragma once
// When a market is open, for judging silence: a feed that says nothing while its market is closed
// has no gap. Pure (no time-zone database): the rules are written out and checked against
// QTimeZone in the tests.
//   crypto: always open.
//   stock:  the NYSE/Nasdaq regular session, 09:30–16:00 America/New_York, Monday to Friday.
//           New York time is UTC−5, or UTC−4 from the second Sunday of March to the first Sunday
//           of November (US rules since 2007; 1987–2006: first Sunday of April to the last Sunday
//           of October). Exchange holidays and early closes are not modelled: a holiday's silence
//           counts as market time (a feed silent all day on Thanksgiving is reported).
#include "model/tick.h"

#include <QtGlobal>

namespace ms {

// Milliseconds of [fromMs, toMs) during which the market of `asset` is open (0 when toMs <=
// fromMs).
qint64 openMarketMs(AssetClass asset, qint64 fromMs, qint64 toMs);

// The regular session of the New York local date containing `utcMs`, as UTC [open, close), or
// {0, 0} on a Saturday or Sunday. Exposed for tests.
struct SessionSpan
{
    qint64 openMs = 0;
    qint64 closeMs = 0;
};
SessionSpan nyseSessionOn(qint64 utcMs);

} // namespace ms
