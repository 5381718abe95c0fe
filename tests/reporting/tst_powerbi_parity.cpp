// Every number on the Power BI tab equals the DAX measure a report would show for it, with the
// measure's definition (tmdl_model.cpp) written in SQL over fact_candle, on the same PostgreSQL data
// (realistic_seed: six symbols, ten days). The tab reads v_latest_quote and v_daily_summary; the
// measures read fact_candle: two independent paths to each figure.
//   KPI cards, quotes table, top movers ...... Last Price, Change % (24 h), High/Low/Volume/VWAP (24 h)
//   daily candles, volume bars, candle table .. First Price, High, Low, Last Price, Volume, VWAP, Trades, Change % per day
//   % change trend ............................ Change % (range) per symbol and day
//   counts per asset class .................... Symbols by dim_symbol[asset_class]
#include "pg_server.h"
#include "powerbi/powerbi_charts.h"
#include "powerbi/powerbi_pages.h"
#include "powerbi/powerbi_view.h"
#include "realistic_seed.h"
#include "storage/database.h"

#include <QBarSeries>
#include <QBarSet>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QChart>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardItemModel>
#include <QTest>

using namespace ms;

namespace {

bool same(double tab, double measure)
{
    return std::abs(tab - measure) <= 1e-9 * qMax(1.0, std::abs(measure));
}

}  // namespace

class TestPowerBiParity : public QObject
{
    Q_OBJECT

private:
    test::PgServer m_pg;
    QSqlDatabase m_db;
    QString m_url;

    double measure(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql) || !q.next()) {
            qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
            return std::nan("");
        }
        return q.value(0).toDouble();
    }
    // The DAX filter context as SQL: 1-minute candles (every measure's CALCULATE filter) + `context`.
    static QString ctx(const QString &context)
    {
        return QStringLiteral("interval_s = 60 AND ") + context;
    }
    // [Last Price]: the close of the context's newest candle; [First Price]: the open of its oldest.
    double lastPrice(const QString &c)
    {
        return measure(QStringLiteral("SELECT close FROM fact_candle WHERE %1 AND bucket_start_utc = "
                                      "(SELECT max(bucket_start_utc) FROM fact_candle WHERE %1)").arg(ctx(c)));
    }
    double firstPrice(const QString &c)
    {
        return measure(QStringLiteral("SELECT open FROM fact_candle WHERE %1 AND bucket_start_utc = "
                                      "(SELECT min(bucket_start_utc) FROM fact_candle WHERE %1)").arg(ctx(c)));
    }
    double aggregate(const QString &expr, const QString &c)
    {
        return measure(QStringLiteral("SELECT %1 FROM fact_candle WHERE %2").arg(expr, ctx(c)));
    }
    // The 24 h window of the "(24 h)" measures: after [Last Candle Time] - 1 day, for one symbol.
    static QString window24h(const QString &key)
    {
        return QStringLiteral("symbol_key = '%1' AND bucket_start_utc > (SELECT max(bucket_start_utc) FROM fact_candle "
                              "WHERE interval_s = 60 AND symbol_key = '%1') - interval '1 day'").arg(key);
    }
    double change24h(const QString &key)  // DAX gives a fraction; the tab shows percent units
    {
        const double open = firstPrice(window24h(key));
        return (lastPrice(QStringLiteral("symbol_key = '%1'").arg(key)) - open) / open * 100;
    }
    QStringList symbolKeys()
    {
        QStringList keys;
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("SELECT symbol_key FROM dim_symbol ORDER BY symbol_key"));
        while (q.next())
            keys.append(q.value(0).toString());
        return keys;
    }
    bool refreshed(PowerBiView &view)
    {
        QSignalSpy spy(&view, &PowerBiView::refreshed);
        return spy.wait(30000) && spy.first().at(0).toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(m_pg.createDatabase(QStringLiteral("parity")));
        m_url = m_pg.url(QStringLiteral("parity"));
        Result<QSqlDatabase> db = openDatabase(DatabaseUrl::parse(m_url).value(), QStringLiteral("parity"));
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        m_db = db.value();
        QVERIFY(applyMigrations(m_db).ok());
        test::RealisticSeed seed;
        seed.ticks = 30000;
        const QString e = test::seedRealisticData(m_db, seed);
        QVERIFY2(e.isEmpty(), qPrintable(e));
        QCOMPARE(symbolKeys().size(), 6);
    }

    void symbolPageEqualsTheMeasures()
    {
        PowerBiView view;
        view.setRefreshIntervalMs(0);
        view.resize(1280, 800);
        view.setDatabaseUrl(m_url);
        view.show();
        QVERIFY(refreshed(view));
        int compared = 0;
        for (const QString &key : symbolKeys()) {
            view.selectSymbol(key);
            QVERIFY(refreshed(view));
            const QString sym = QStringLiteral("symbol_key = '%1'").arg(key);
            const QList<QPair<QString, double>> kpis = {
                {QStringLiteral("last"), lastPrice(sym)},
                {QStringLiteral("change"), change24h(key)},
                {QStringLiteral("high"), aggregate(QStringLiteral("max(high)"), window24h(key))},
                {QStringLiteral("low"), aggregate(QStringLiteral("min(low)"), window24h(key))},
                {QStringLiteral("volume"), aggregate(QStringLiteral("sum(volume)"), window24h(key))},
                {QStringLiteral("vwap"), aggregate(QStringLiteral("sum(vwap * volume) / sum(volume)"), window24h(key))},
            };
            for (const auto &[card, expected] : kpis) {
                const std::optional<double> shown = view.kpiNumber(card);
                QVERIFY2(shown && same(*shown, expected),
                         qPrintable(QStringLiteral("%1 %2: tab %3, measure %4").arg(key, card).arg(shown.value_or(-1), 0, 'g', 17)
                                        .arg(expected, 0, 'g', 17)));
                ++compared;
            }
            // Per day (dim_date[date_key] in the context): the candle table row, the candle, the bar.
            QStandardItemModel *table = view.symbolPage()->candleModel();
            auto *candles = qobject_cast<QCandlestickSeries *>(view.symbolPage()->priceChart()->series().value(0));
            auto *bars = qobject_cast<QBarSeries *>(view.symbolPage()->volumeChart()->series().value(0));
            QVERIFY(candles && bars);
            QCOMPARE(table->rowCount(), candles->count());
            QCOMPARE(table->rowCount(), int(bars->barSets().first()->count()));
            QVERIFY(table->rowCount() >= 10);
            for (int r = 0; r < table->rowCount(); ++r) {
                const QDate day = table->index(r, 0).data(powerbi::kSortRole).toDate();
                const QString c = sym + QStringLiteral(" AND date_key = %1").arg(day.toString(QStringLiteral("yyyyMMdd")));
                const double open = firstPrice(c), close = lastPrice(c);
                const QList<double> expected = {open, aggregate(QStringLiteral("max(high)"), c), aggregate(QStringLiteral("min(low)"), c),
                                                close, (close - open) / open * 100, aggregate(QStringLiteral("sum(volume)"), c),
                                                aggregate(QStringLiteral("sum(vwap * volume) / sum(volume)"), c),
                                                aggregate(QStringLiteral("sum(trades)"), c)};
                for (int col = 1; col <= 8; ++col) {
                    const double shown = table->index(r, col).data(powerbi::kSortRole).toDouble();
                    QVERIFY2(same(shown, expected.at(col - 1)),
                             qPrintable(QStringLiteral("%1 %2 column %3: tab %4, measure %5").arg(key, day.toString()).arg(col)
                                            .arg(shown, 0, 'g', 17).arg(expected.at(col - 1), 0, 'g', 17)));
                    ++compared;
                }
                const QCandlestickSet *set = candles->sets().at(r);  // days ascending on the chart and in the rows
                QVERIFY(same(set->open(), open) && same(set->close(), close) && same(set->high(), expected[1])
                        && same(set->low(), expected[2]));
                QVERIFY(same(bars->barSets().first()->at(r), expected[5]));
                compared += 5;
            }
        }
        QVERIFY2(compared > 6 * 6 + 6 * 10 * 13, qPrintable(QString::number(compared)));
    }

    void allSymbolsEqualsTheMeasures()
    {
        PowerBiView view;
        view.setRefreshIntervalMs(0);
        view.resize(1280, 800);
        view.setDatabaseUrl(m_url);
        view.show();
        QVERIFY(refreshed(view));
        QVERIFY(view.showsAllSymbols());
        // Symbols by asset class (DISTINCTCOUNT ( dim_symbol[symbol_key] )).
        QCOMPARE(*view.kpiNumber(QStringLiteral("count:all")), measure(QStringLiteral("SELECT count(DISTINCT symbol_key) FROM dim_symbol")));
        for (const char *asset : {"crypto", "stock"}) {
            QCOMPARE(*view.kpiNumber(QStringLiteral("count:") + QLatin1String(asset)),
                     measure(QStringLiteral("SELECT count(DISTINCT symbol_key) FROM dim_symbol WHERE asset_class = '%1'").arg(QLatin1String(asset))));
        }
        // The quotes table: one row per symbol, the 24 h measures.
        QStandardItemModel *quotes = view.overviewPage()->quotesModel();
        QCOMPARE(quotes->rowCount(), 6);
        QMap<QString, double> change;
        for (int r = 0; r < quotes->rowCount(); ++r) {
            const QString symbol = quotes->index(r, 0).data().toString();
            const QString asset = quotes->index(r, 1).data().toString();
            const QString key = asset + u':' + symbol + QStringLiteral(":USD");
            change.insert(symbol, change24h(key));
            const QList<double> expected = {lastPrice(QStringLiteral("symbol_key = '%1'").arg(key)), change24h(key),
                                            aggregate(QStringLiteral("max(high)"), window24h(key)),
                                            aggregate(QStringLiteral("min(low)"), window24h(key)),
                                            aggregate(QStringLiteral("sum(volume)"), window24h(key)),
                                            aggregate(QStringLiteral("sum(vwap * volume) / sum(volume)"), window24h(key))};
            for (int col = 2; col <= 7; ++col)
                QVERIFY2(same(quotes->index(r, col).data(powerbi::kSortRole).toDouble(), expected.at(col - 2)),
                         qPrintable(QStringLiteral("%1 column %2").arg(symbol).arg(col)));
        }
        // Top movers: the symbols with the largest Change % (24 h) each way, in that order.
        QStringList gainers, losers;
        for (auto it = change.begin(); it != change.end(); ++it)
            (it.value() > 0 ? gainers : losers).append(it.key());
        std::sort(gainers.begin(), gainers.end(), [&](const QString &a, const QString &b) { return change[a] > change[b]; });
        std::sort(losers.begin(), losers.end(), [&](const QString &a, const QString &b) { return change[a] < change[b]; });
        QStandardItemModel *g = view.overviewPage()->gainersModel(), *l = view.overviewPage()->losersModel();
        QCOMPARE(g->rowCount(), int(qMin<qsizetype>(3, gainers.size())));
        QCOMPARE(l->rowCount(), int(qMin<qsizetype>(3, losers.size())));
        for (int r = 0; r < g->rowCount(); ++r) {
            QCOMPARE(g->index(r, 0).data().toString(), gainers.at(r));
            QVERIFY(same(g->index(r, 2).data(powerbi::kSortRole).toDouble(), change[gainers.at(r)]));
        }
        for (int r = 0; r < l->rowCount(); ++r)
            QCOMPARE(l->index(r, 0).data().toString(), losers.at(r));

        // % change trend over the shown 30 days: Change % (range) for each symbol and day.
        QSqlQuery days(m_db);
        QVERIFY(days.exec(QStringLiteral("SELECT DISTINCT date_key FROM fact_candle WHERE interval_s = 60 AND date_key > "
                                         "to_char((SELECT max(bucket_start_utc) FROM fact_candle WHERE interval_s = 60)::date - 30, "
                                         "'YYYYMMDD')::integer ORDER BY 1")));
        QList<int> dayKeys;
        while (days.next())
            dayKeys.append(days.value(0).toInt());
        const QString range = QStringLiteral("date_key >= %1 AND date_key <= %2").arg(dayKeys.first()).arg(dayKeys.last());
        int points = 0;
        for (QAbstractSeries *s : view.overviewPage()->trendChart()->series()) {
            QString symbolKey;
            for (int r = 0; r < quotes->rowCount(); ++r) {
                if (quotes->index(r, 0).data().toString() == s->name())
                    symbolKey = quotes->index(r, 1).data().toString() + u':' + s->name() + QStringLiteral(":USD");
            }
            const QString sym = QStringLiteral("symbol_key = '%1'").arg(symbolKey);
            const double firstDay = aggregate(QStringLiteral("min(date_key)"), sym + QStringLiteral(" AND ") + range);
            const double startClose = lastPrice(sym + QStringLiteral(" AND date_key = %1").arg(qint64(firstDay)));
            for (const QPointF &p : static_cast<QLineSeries *>(s)->points()) {
                const int dayKey = dayKeys.at(int(p.x()));
                const double close = lastPrice(sym + QStringLiteral(" AND date_key = %1").arg(dayKey));
                QVERIFY2(same(p.y(), (close - startClose) / startClose * 100),
                         qPrintable(QStringLiteral("%1 %2: tab %3").arg(s->name()).arg(dayKey).arg(p.y())));
                ++points;
            }
        }
        QCOMPARE(points, 6 * int(dayKeys.size()));
    }

    void cleanupTestCase()
    {
        m_db = QSqlDatabase();
        closeDatabase(QStringLiteral("parity"));
    }
};

QTEST_MAIN(TestPowerBiParity)
#include "tst_powerbi_parity.moc"
