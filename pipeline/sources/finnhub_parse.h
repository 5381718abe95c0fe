#pragma once
// Pure parsing of Finnhub payloads (REST /quote and the trades WebSocket) into ticks.
// Field meanings: ../shared/fixtures/finnhub/FORMAT_NOTES.md.
//
// Quote (/quote): price = c, open/high/low = o/h/l, previousClose = pc, tsMs = t (s) * 1000,
//   volume 0 (not reported), id = "q-<t>". Unknown symbols answer HTTP 200 with c = 0 and t = 0:
//   that is NotFound, not a tick.
// Trade (WebSocket "trade" frames): price p, volume v, tsMs = t (already ms), symbol s.
//   Finnhub sends no trade id and identical trades can share a frame, so
//   id = "t-<t>-<hash of p,v,c as 8 hex>-<n>" where n counts the identical trades before it in
//   the same frame: deterministic for a frame, distinct inside it.
#include "model/result.h"
#include "model/tick.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace ms::finnhub {

enum class QuoteOutcome { Tick, UnknownSymbol };

struct QuoteResult
{
    QuoteOutcome outcome = QuoteOutcome::Tick;
    Tick tick;  // valid when outcome == Tick
};

// `symbol`/`currency`/`asset` label the tick (Finnhub does not echo them).
Result<QuoteResult> parseQuote(const QByteArray &body, const QString &symbol, const QString &currency,
                               AssetClass asset);

// The {"error":"..."} text of an error body, or the body itself when it is short plain text.
QString errorText(const QByteArray &body);

enum class WsMessageType { Trade, Ping, Error, Other };

struct WsMessage
{
    WsMessageType type = WsMessageType::Other;
    std::vector<Tick> trades;  // Trade
    std::vector<Error> refused;  // one reason per trade in the frame that could not be used
                                 // (codes: missing_price, bad_price, missing_time,
                                 // absurd_timestamp, missing_pair, or the decoder's own)
    QString errorMessage;      // Error: the server's "msg"
    QString rawType;           // the "type" field as sent
};

Result<WsMessage> parseWsMessage(const QByteArray &frame, const QString &currency, AssetClass asset);

}  // namespace ms::finnhub
