#!/bin/sh
# Creates (or updates) the read-only PostgreSQL role `powerbi_reader` for Power BI / BI tools:
# LOGIN, SELECT on the reporting star views only (dim_symbol, dim_date, fact_tick, fact_candle,
# v_latest_quote, v_daily_summary, v_late_ticks_daily), no access to the base tables, read-only transactions.
#
# Usage:  MS_POWERBI_READER_PASSWORD=... scripts/create-powerbi-reader.sh [psql connection options]
#         scripts/create-powerbi-reader.sh -h db.example -p 5432 -U postgres -d marketdata   (prompts)
# Connects as an administrator with psql's usual options/environment (PGHOST, PGPORT, PGUSER,
# PGDATABASE, PGPASSWORD or ~/.pgpass) to the database that holds the MarketStream tables (migration
# 020 applied). The reader's password comes from MS_POWERBI_READER_PASSWORD or an interactive prompt;
# it is sent to psql on standard input (never on a command line, never written to a file).
set -eu

PSQL=${PSQL:-psql}
password=${MS_POWERBI_READER_PASSWORD:-}
if [ -z "$password" ]; then
    if [ -t 0 ]; then
        printf 'Password for powerbi_reader: ' >&2
        stty -echo; IFS= read -r password || true; stty echo; printf '\n' >&2
        printf 'Repeat: ' >&2
        stty -echo; IFS= read -r again || true; stty echo; printf '\n' >&2
        if [ "$password" != "$again" ]; then
            echo "create-powerbi-reader: the passwords differ" >&2; exit 2
        fi
    fi
fi
if [ -z "$password" ]; then
    echo "create-powerbi-reader: no password (set MS_POWERBI_READER_PASSWORD or run in a terminal)" >&2
    exit 2
fi
# SQL string literal: double every single quote.
quoted=$(printf '%s' "$password" | sed "s/'/''/g")

"$PSQL" -X -q -v ON_ERROR_STOP=1 "$@" <<SQL
SELECT 'CREATE ROLE powerbi_reader LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'powerbi_reader') \gexec
DO \$\$ BEGIN PERFORM set_config('log_statement', 'none', false); EXCEPTION WHEN insufficient_privilege THEN NULL; END \$\$;
ALTER ROLE powerbi_reader WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '$quoted';
ALTER ROLE powerbi_reader SET default_transaction_read_only = on;
SELECT format('GRANT CONNECT ON DATABASE %I TO powerbi_reader', current_database()) \gexec
SELECT format('GRANT USAGE ON SCHEMA %I TO powerbi_reader', current_schema()) \gexec
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM powerbi_reader;
-- Report queries are short index lookups whose cost estimates still pass jit_above_cost: compiling
-- them took ~0.4 s each on 5M ticks (bench/reporting). JIT pays only for long scans.
ALTER ROLE powerbi_reader SET jit = off;
GRANT SELECT ON dim_symbol, dim_date, fact_tick, fact_candle, v_latest_quote, v_daily_summary, v_late_ticks_daily TO powerbi_reader;
SQL
echo "powerbi_reader is ready: SELECT on the reporting views only."
