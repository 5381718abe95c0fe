#pragma once
// `marketstream backfill`: historical CryptoCompare candles into the database.
//
//   marketstream backfill --from <ISO date/time> --to <ISO date/time|now> --interval 1m|1h
//                         --symbols BTC,ETH [--currency USD] [--cryptocompare-url URL] [--db URL]
//
// Times without a zone are UTC ("2024-02-13", "2024-02-13T10:00", "2024-02-13T10:00:00Z").
// The API key comes from CRYPTOCOMPARE_API_KEY (environment or .env), the database from --db,
// else DATABASE_URL / POSTGRES_*, else the default SQLite file. Prints one line per page:
//   backfill:  42.5% BTC/USD page 3: 2001 candles
// and a summary. Candles are upserted (re-running is harmless); the still-open newest candle is
// not stored (the live pipeline builds it).
// Exit codes: 0 done, 1 provider/database failure during the run, 2 bad arguments or an
// unreachable database (one-line message on stderr).
// The command line is parsed by parseCommandLine() (cli_subcommands.cpp).
namespace ms {
struct BackfillCommandOptions;
}

int runBackfillCommand(const ms::BackfillCommandOptions &command);
