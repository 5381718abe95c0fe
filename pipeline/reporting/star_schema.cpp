#include "reporting/star_schema.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

namespace ms::reporting {

namespace {

ColumnInfo col(const char *name, ColumnType t)
{
    return ColumnInfo{QString::fromLatin1(name), t};
}

QList<ViewInfo> buildCatalog()
{
    using T = ColumnType;
    const QList<ColumnInfo> symbolCols = {col("symbol_key", T::String), col("symbol", T::String),
                                          col("asset_class", T::String), col("currency", T::String)};
    QList<ViewInfo> views;
    views.append({QStringLiteral("dim_symbol"), ViewRole::Dimension,
                  symbolCols + QList<ColumnInfo>{col("source", T::String)}});
    views.append({QStringLiteral("dim_date"), ViewRole::Dimension,
                  {col("date_key", T::Int64), col("date", T::Date), col("year", T::Int64),
                   col("quarter", T::Int64), col("month", T::Int64), col("month_name", T::String),
                   col("day_of_month", T::Int64), col("iso_week", T::Int64), col("weekday", T::Int64),
                   col("weekday_name", T::String), col("is_trading_day", T::Boolean)}});
    views.append({QStringLiteral("fact_candle"), ViewRole::Fact,
                  {col("symbol_key", T::String), col("date_key", T::Int64), col("asset_class", T::String),
                   col("symbol", T::String), col("currency", T::String), col("interval_s", T::Int64),
                   col("bucket_start", T::DateTime), col("open", T::Double), col("high", T::Double),
                   col("low", T::Double), col("close", T::Double), col("volume", T::Double),
                   col("vwap", T::Double), col("trades", T::Int64), col("is_final", T::Boolean),
                   col("bucket_start_utc", T::UtcDateTime)}});
    views.append({QStringLiteral("fact_tick"), ViewRole::Fact,
                  {col("symbol_key", T::String), col("date_key", T::Int64), col("asset_class", T::String),
                   col("symbol", T::String), col("currency", T::String), col("tick_time", T::DateTime),
                   col("price", T::Double), col("volume", T::Double), col("source", T::String),
                   col("kind", T::String), col("trade_id", T::String), col("tick_time_utc", T::UtcDateTime)}});
    views.append({QStringLiteral("v_latest_quote"), ViewRole::Summary,
                  symbolCols + QList<ColumnInfo>{
                      col("last_time", T::DateTime), col("last_price", T::Double), col("open_24h", T::Double),
                      col("change_24h_pct", T::Double), col("high_24h", T::Double), col("low_24h", T::Double),
                      col("volume_24h", T::Double), col("vwap_24h", T::Double), col("trades_24h", T::Int64),
                      col("last_time_utc", T::UtcDateTime)}});
    views.append({QStringLiteral("v_daily_summary"), ViewRole::Summary,
                  {col("symbol_key", T::String), col("date_key", T::Int64), col("asset_class", T::String),
                   col("symbol", T::String), col("currency", T::String), col("date", T::Date),
                   col("open", T::Double), col("high", T::Double), col("low", T::Double),
                   col("close", T::Double), col("volume", T::Double), col("vwap", T::Double),
                   col("trades", T::Int64), col("candles", T::Int64)}});
    views.append({QStringLiteral("v_late_ticks_daily"), ViewRole::Summary,
                  QList<ColumnInfo>{col("symbol_key", T::String), col("date_key", T::Int64), col("asset_class", T::String),
                                    col("symbol", T::String), col("currency", T::String), col("interval_s", T::Int64), col("late_ticks", T::Int64),
                                          col("late_volume", T::Double)}});
    return views;
}

}  // namespace

const ColumnInfo *ViewInfo::column(const QString &n) const
{
    for (const ColumnInfo &c : columns) {
        if (c.name == n)
            return &c;
    }
    return nullptr;
}

const QList<ViewInfo> &starViews()
{
    static const QList<ViewInfo> catalog = buildCatalog();
    return catalog;
}

const ViewInfo *findStarView(const QString &name)
{
    for (const ViewInfo &v : starViews()) {
        if (v.name == name)
            return &v;
    }
    return nullptr;
}

Backend backendOf(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QSQLITE") ? Backend::SQLite : Backend::PostgreSQL;
}

ColumnType columnTypeFromPostgres(const QString &t, bool *ok)
{
    if (ok)
        *ok = true;
    if (t == QLatin1String("integer") || t == QLatin1String("bigint") || t == QLatin1String("smallint"))
        return ColumnType::Int64;
    if (t == QLatin1String("double precision") || t == QLatin1String("real") || t == QLatin1String("numeric"))
        return ColumnType::Double;
    if (t == QLatin1String("timestamp without time zone"))
        return ColumnType::UtcDateTime;
    if (t.startsWith(QLatin1String("timestamp")))
        return ColumnType::DateTime;
    if (t == QLatin1String("date"))
        return ColumnType::Date;
    if (t == QLatin1String("boolean"))
        return ColumnType::Boolean;
    if (t != QLatin1String("text") && !t.startsWith(QLatin1String("character")) && ok)
        *ok = false;
    return ColumnType::String;
}

QString tmdlDataType(ColumnType type)
{
    switch (type) {
    case ColumnType::Int64: return QStringLiteral("int64");
    case ColumnType::Double: return QStringLiteral("double");
    case ColumnType::String: return QStringLiteral("string");
    case ColumnType::DateTime:
    case ColumnType::UtcDateTime:
    case ColumnType::Date: return QStringLiteral("dateTime");
    case ColumnType::Boolean: return QStringLiteral("boolean");
    }
    return QStringLiteral("string");
}

QString currentSchema(QSqlDatabase &db)
{
    if (backendOf(db) == Backend::SQLite)
        return QStringLiteral("main");
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT current_schema()")) && q.next())
        return q.value(0).toString();
    return QStringLiteral("public");
}

Result<QList<ViewInfo>> liveStarViews(QSqlDatabase &db)
{
    QList<ViewInfo> live;
    const bool sqlite = backendOf(db) == Backend::SQLite;
    for (const ViewInfo &expected : starViews()) {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (sqlite) {
            q.prepare(QStringLiteral("SELECT name, type FROM pragma_table_info(?)"));
        } else {
            q.prepare(QStringLiteral("SELECT column_name, data_type FROM information_schema.columns "
                                     "WHERE table_schema = current_schema() AND table_name = ? "
                                     "ORDER BY ordinal_position"));
        }
        q.addBindValue(expected.name);
        if (!q.exec())
            return makeError(QStringLiteral("cannot list the columns of %1: %2")
                                 .arg(expected.name, q.lastError().text()), QStringLiteral("db_query"));
        ViewInfo v{expected.name, expected.role, {}};
        while (q.next()) {
            const QString name = q.value(0).toString();
            const ColumnInfo *known = expected.column(name);
            ColumnType type = known ? known->type : ColumnType::String;
            if (!sqlite) {
                bool ok = false;
                const ColumnType pgType = columnTypeFromPostgres(q.value(1).toString(), &ok);
                if (ok)
                    type = pgType;
            }
            v.columns.append({name, type});
        }
        if (v.columns.isEmpty())
            return makeError(QStringLiteral("the reporting view %1 is missing: apply migrations 020 and 040 "
                                            "(start the pipeline once or run the migrations)").arg(expected.name),
                             QStringLiteral("schema_missing"));
        for (const ColumnInfo &c : expected.columns) {
            if (!v.column(c.name))
                return makeError(QStringLiteral("the reporting view %1 has no column %2")
                                     .arg(expected.name, c.name), QStringLiteral("schema_mismatch"));
        }
        live.append(std::move(v));
    }
    return live;
}

}  // namespace ms::reporting
