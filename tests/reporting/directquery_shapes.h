#pragma once
// The SQL that Power BI's PostgreSQL connector sends in DirectQuery for the starter report's visuals
// (quoted, schema-qualified, the "_" alias, filters from slicers as literals or as joins to the
// filtered dimension), over the data of realistic_seed.h (2026-11-21 .. 2026-11-30). Shared by the
// EXPLAIN tests (tst_reporting_directquery) and the timings (bench_reporting).
#include <QList>
#include <QString>

namespace ms::test {

struct DirectQueryShape
{
    const char *name;    // "<page>: <visual> <filter>"
    const char *sql;
    bool readsCandles;   // must answer through an index of candles
};

inline const QList<DirectQueryShape> &directQueryShapes()
{
    static const QList<DirectQueryShape> shapes = {
        {"Overview: KPI cards (one symbol)",
         R"(select "_"."last_price", "_"."change_24h_pct", "_"."high_24h", "_"."low_24h", "_"."volume_24h", "_"."vwap_24h" from "public"."v_latest_quote" "_" where "_"."symbol_key" = 'crypto:BTC:USD')",
         true},
        {"Overview: top movers",
         R"(select top_.* from (select "_"."symbol", "_"."change_24h_pct" from "public"."v_latest_quote" "_" where "_"."change_24h_pct" is not null order by "_"."change_24h_pct" desc limit 5) top_)",
         true},
        {"Overview: % change trend, date slicer (join)",
         R"(select "_"."symbol", "_"."date", "_"."close" from "public"."v_daily_summary" "_" inner join "public"."dim_date" "d" on ("_"."date_key" = "d"."date_key") where "d"."date" >= date '2026-11-24' and "d"."date" < date '2026-12-01')",
         true},
        {"Overview: % change trend, date_key range",
         R"(select "_"."symbol", "_"."date_key", "_"."close" from "public"."v_daily_summary" "_" where "_"."date_key" >= 20261124 and "_"."date_key" <= 20261130)",
         true},
        {"Overview: counts per asset class",
         R"(select "_"."asset_class", count(distinct "_"."symbol_key") as "a0" from "public"."dim_symbol" "_" group by "_"."asset_class")",
         false},
        {"Price: daily closes, symbol slicer (key)",
         R"(select "_"."date", "_"."open", "_"."high", "_"."low", "_"."close" from "public"."v_daily_summary" "_" where "_"."symbol_key" = 'stock:AAPL:USD')",
         true},
        {"Price: daily closes, symbol slicer (join)",
         R"(select "_"."date", "_"."close" from "public"."v_daily_summary" "_" inner join "public"."dim_symbol" "s" on ("_"."symbol_key" = "s"."symbol_key") where "s"."symbol" = 'ETH')",
         true},
        {"Price: 1-minute candles, symbol",
         R"(select "_"."bucket_start_utc", "_"."open", "_"."high", "_"."low", "_"."close" from "public"."fact_candle" "_" where "_"."symbol_key" = 'crypto:BTC:USD' and "_"."interval_s" = 60)",
         true},
        {"Price: 1-minute candles, symbol and date range",
         R"(select "_"."bucket_start_utc", "_"."close" from "public"."fact_candle" "_" where "_"."symbol_key" = 'crypto:ETH:USD' and "_"."interval_s" = 60 and "_"."date_key" in (20261128, 20261129))",
         true},
        {"Price: hourly candles, symbol (join) and date (join)",
         R"(select "_"."bucket_start_utc", "_"."close" from "public"."fact_candle" "_" inner join "public"."dim_symbol" "s" on ("_"."symbol_key" = "s"."symbol_key") inner join "public"."dim_date" "d" on ("_"."date_key" = "d"."date_key") where "s"."symbol" = 'TSLA' and "d"."date" >= date '2026-11-27' and "d"."date" < date '2026-11-29' and "_"."interval_s" = 3600)",
         true},
        {"Volume: daily volume bars, symbol",
         R"(select "_"."date_key", sum("_"."volume") as "a0" from "public"."fact_candle" "_" where "_"."symbol_key" = 'stock:MSFT:USD' and "_"."interval_s" = 60 group by "_"."date_key")",
         true},
        {"Volume: volume by symbol, date range (all symbols)",
         R"(select "_"."symbol_key", sum("_"."volume") as "a0", sum("_"."trades") as "a1" from "public"."fact_candle" "_" where "_"."interval_s" = 60 and "_"."date_key" >= 20261129 and "_"."date_key" <= 20261130 group by "_"."symbol_key")",
         true},
        {"Volume: volume by symbol, date slicer (join)",
         R"(select "_"."symbol_key", sum("_"."volume") as "a0" from "public"."fact_candle" "_" inner join "public"."dim_date" "d" on ("_"."date_key" = "d"."date_key") where "_"."interval_s" = 60 and "d"."date" = date '2026-11-30' group by "_"."symbol_key")",
         true},
        {"Data quality: late ticks per day",
         R"(select "_"."date_key", sum("_"."late_ticks") as "a0" from "public"."v_late_ticks_daily" "_" group by "_"."date_key")",
         false},
        {"Ticks: count for one day",
         R"(select count(*) as "a0" from "public"."fact_tick" "_" where "_"."date_key" = 20261128)",
         false},
        {"Ticks: one symbol, one day",
         R"(select "_"."tick_time_utc", "_"."price" from "public"."fact_tick" "_" where "_"."symbol_key" = 'crypto:BTC:USD' and "_"."date_key" = 20261129)",
         false},
        {"Ticks: date slicer (join)",
         R"(select "_"."symbol_key", count(*) as "a0" from "public"."fact_tick" "_" inner join "public"."dim_date" "d" on ("_"."date_key" = "d"."date_key") where "d"."date" = date '2026-11-27' group by "_"."symbol_key")",
         false},
    };
    return shapes;
}

}  // namespace ms::test
