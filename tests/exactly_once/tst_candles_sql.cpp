// Candles written through TickStore by a CandleBuilder that crashes at random points (state lost,
// uncommitted batch lost, restart from the stored offsets and candles) equal an SQL recomputation
// from the stored ticks, to the cent, with late ticks in the input; no tick is lost or doubled.
// Library level (no app): the headless-app crash test is tst_crash_headless.
#include "candle_recompute.h"
#include "exactly_once_input.h"
#include "pg_server.h"
#include "processing/candle_builder.h"
#include "storage/database.h"
#include "storage/tick_store.h"

#include <QTest>


using namespace ms;
using namespace ms::test;

class TestCandlesSql : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void crashingConsumerMatchesRecomputation();

private:
    PgServer m_pg;
};


void TestCandlesSql::initTestCase()
{
    QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
    QVERIFY(m_pg.createDatabase(QStringLiteral("ms")));
}

void TestCandlesSql::crashingConsumerMatchesRecomputation()
{
    const DatabaseUrl url = *DatabaseUrl::parse(m_pg.url(QStringLiteral("ms")));
    auto storeR = TickStore::open(url, QStringLiteral("consumer"));
    QVERIFY2(storeR.ok(), qPrintable(storeR.errorMessage()));
    std::unique_ptr<TickStore> store = std::move(storeR).value();
    auto adminR = openDatabase(url, QStringLiteral("admin"));
    QVERIFY2(adminR.ok(), qPrintable(adminR.errorMessage()));
    QSqlDatabase admin = adminR.value();

    std::mt19937_64 rng(20261124);
    const std::vector<Tick> input = makeInput(rng, 30000);
    CandleConfig config;  // 1 s, 1 min, 5 min, 1 h, lateness 10 s
    const size_t batchSize = 700;
    std::uniform_int_distribution<int> crashDie(0, 9);

    std::unique_ptr<CandleBuilder> builder;
    size_t position = 0;
    int crashes = 0, lostBatches = 0;
    qint64 lateRows = 0;
    while (true) {
        if (!builder) {  // (re)start: positions and candles from the database
            builder = std::make_unique<CandleBuilder>(config);
            auto offsets = store->loadOffsets("g", "cluster");
            QVERIFY(offsets.ok());
            position = offsets->empty() ? 0 : size_t(offsets->front().nextOffset);
            auto stored = store->loadCandles(0);
            QVERIFY2(stored.ok(), qPrintable(stored.errorMessage()));
            builder->restore(stored.value());
        }
        if (position >= input.size())
            break;
        const size_t end = std::min(input.size(), position + batchSize);
        std::vector<Tick> ticks(input.begin() + qsizetype(position), input.begin() + qsizetype(end));
        QStringList lateValues;
        for (const Tick &t : ticks) {
            const AddOutcome o = builder->add(t);
            for (int i = 0; i < int(config.intervalsSec.size()); ++i) {
                if (o.droppedLateMask & (1u << i))
                    lateValues << QStringLiteral("('simulator','%1','%2',%3,'%4','USD',to_timestamp(%5/1000.0),%6,%7,to_timestamp(%8/1000.0))")
                                      .arg(QString::fromStdString(t.symbol), QString::fromStdString(t.id))
                                      .arg(config.intervalsSec[size_t(i)])
                                      .arg(t.asset == AssetClass::Crypto ? QStringLiteral("crypto") : QStringLiteral("stock"))
                                      .arg(t.tsMs).arg(t.price, 0, 'g', 17).arg(t.volume, 0, 'g', 17).arg(o.watermarkMs);
            }
        }
        std::vector<Candle> candles;
        builder->takeUpdates(candles);
        if (crashDie(rng) == 0) {  // killed before the commit: the batch and the state are gone
            builder.reset();
            ++crashes;
            ++lostBatches;
            continue;
        }
        const std::vector<OffsetRecord> offsets{{"g", "cluster", "ticks", 0, qint64(end)}};
        auto written = store->write(WriteBatch{ticks, candles, offsets});
        QVERIFY2(written.ok(), qPrintable(written.errorMessage()));
        if (!lateValues.isEmpty()) {
            // The consumer writes these in its own transaction; here right after it (the test
            // never crashes in between).
            QSqlQuery q(admin);
            QVERIFY2(q.exec(QStringLiteral("INSERT INTO late_ticks (source, symbol, trade_id, interval_s, asset_class, "
                                           "currency, \"timestamp\", price, volume, watermark) VALUES ")
                            + lateValues.join(QLatin1Char(',')) + QStringLiteral(" ON CONFLICT DO NOTHING")),
                     qPrintable(q.lastError().text()));
            lateRows += q.numRowsAffected();
        }
        position = end;
        if (crashDie(rng) == 1) {  // killed right after a commit
            builder.reset();
            ++crashes;
        }
    }
    QVERIFY(crashes >= 3);
    QVERIFY(lostBatches >= 1);
    QVERIFY2(lateRows > 0, "the input must contain ticks dropped as late");

    // Every input tick exactly once.
    const qint64 stored = scalar(admin, QStringLiteral("SELECT (SELECT count(*) FROM crypto_data) + (SELECT count(*) FROM stock_data)"));
    QCOMPARE(stored, qint64(input.size()));
    QCOMPARE(scalar(admin, QStringLiteral("SELECT count(DISTINCT (source, symbol, trade_id)) FROM (SELECT source, symbol, trade_id FROM crypto_data "
                                          "UNION ALL SELECT source, symbol, trade_id FROM stock_data) x")),
             qint64(input.size()));
    QVERIFY(scalar(admin, QStringLiteral("SELECT count(*) FROM candles")) > 1000);
    const QStringList diff = candleMismatches(admin);
    QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    qInfo("%d crashes (%d before a commit), %lld late (tick, interval) rows", crashes, lostBatches, lateRows);
}

QTEST_GUILESS_MAIN(TestCandlesSql)
#include "tst_candles_sql.moc"
