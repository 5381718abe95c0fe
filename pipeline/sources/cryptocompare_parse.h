#pragma once
// Pure parsing of CryptoCompare payloads (min-api REST and streamer v2) into ticks and candles.
// No I/O; every function is total: bad input gives an Error (or is skipped), never a crash.
// Field meanings: ../shared/fixtures/cryptocompare/FORMAT_NOTES.md.
//
// Mapping of an aggregate (pricemultifull RAW entry or streamer TYPE 5) onto a quote Tick:
//   symbol = FROMSYMBOL, currency = TOSYMBOL, price = PRICE, tsMs = LASTUPDATE (s) * 1000,
//   volume = LASTVOLUME (size of the last trade, base currency; 0 when absent),
//   open/high/low = OPEN24HOUR/HIGH24HOUR/LOW24HOUR (rolling 24 h; absent or null → unset),
//   previousClose = OPENDAY (the price at 00:00 UTC, i.e. the previous UTC day's close), or
//   PRICE - CHANGEDAY when only that is present; unset for old responses that have neither.
//   id = "q-<TOSYMBOL>-<LASTUPDATE>": a re-poll of an unchanged quote gets the same id, so the
//   database's natural key drops it; REST and streamer quotes of the same second share it.
// Trades (streamer TYPE 0): price P, volume Q, tsMs = TS*1000 + TSNS/1e6,
//   id = "t-<M>-<TSYM>-<ID>" (trade ids are per exchange and pair).
#include "model/candle.h"
#include "model/result.h"
#include "model/tick.h"
#include "sources/source_status.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace ms::cryptocompare {

// The configured lists as both CryptoCompare clients send them: upper-case, trimmed, no empties;
// currencies from a comma-separated text ("usd, eur"), USD when none is given.
QStringList currencyList(const QString &currency);
QStringList symbolList(QStringList symbols);

// {"Response":"Error",...} bodies arrive with HTTP 200. Returns the mapped status when `body` is
// such an error (Type 99 → RateLimited with Cooldown s → retryAfterMs; "no data" → NotFound;
// key problems → Unauthorized; anything else → Malformed with the provider's message).
std::optional<SourceStatus> errorStatus(const QJsonObject &body);

// A quote tick from one aggregate object, or the reason it was refused (Error.code: "missing_price",
// "bad_price", "missing_time", "absurd_timestamp", "missing_pair", or the decoder's own reason for a
// tick it would dead-letter).
Result<Tick> quoteFromAggregate(const QJsonObject &raw, const QString &fallbackFrom = {},
                                       const QString &fallbackTo = {});

struct PriceMultiFull
{
    std::vector<Tick> quotes;          // in fsym, tsym order of the request when given
    QStringList missingPairs;          // requested "FSYM/TSYM" pairs absent from RAW
    struct Refusal
    {
        QString pair;  // "FSYM/TSYM"
        Error reason;
    };
    std::vector<Refusal> refused;      // pairs present in RAW whose entry could not be used
};

// Parses a pricemultifull body (RAW only). `fsyms`/`tsyms` are the requested symbols, used to
// report missing pairs. An Error body or unusable JSON → Error (code: "provider_error",
// "invalid_json", "no_raw").
Result<PriceMultiFull> parsePriceMultiFull(const QByteArray &body, const QStringList &fsyms,
                                           const QStringList &tsyms);

// A TYPE 0 streamer trade → trade tick, or the reason it was refused (codes as quoteFromAggregate,
// plus "missing_id").
Result<Tick> tradeFromStreamer(const QJsonObject &msg);

struct HistoPage
{
    std::vector<Candle> candles;  // ascending; `final` set by the caller's clock (see backfill.h)
    qint64 timeFromS = 0, timeToS = 0;
};

// Parses data/v2/histominute|histohour (and the flat v1 shape). Candle: open/high/low/close as
// given, volume = volumefrom (base currency), vwap = volumeto/volumefrom (close when no volume),
// trades = 0 (not reported), firstTsMs = bucket start, lastTsMs = bucket end - 1 ms.
Result<HistoPage> parseHisto(const QByteArray &body, const QString &symbol, const QString &currency,
                             int intervalSec);

}  // namespace ms::cryptocompare
