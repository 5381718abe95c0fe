// `marketstream backfill` end to end: the real executable against a local CryptoCompare stand-in
// (histominute pages in the fixture shape) into a SQLite file; bad arguments → exit 2.
#include "local_http_server.h"
#include "model/time_util.h"
#include "source_probe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace ms;
using namespace ms::test;
using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"cmd-SECRET-key-4242"_s;

QByteArray page(qint64 toTs, int limit)
{
    QJsonArray data;
    for (qint64 t = toTs - qint64(limit) * 60; t <= toTs; t += 60)
        data.append(QJsonObject{{"time"_L1, double(t)}, {"high"_L1, 101.0}, {"low"_L1, 99.0}, {"open"_L1, 100.0},
                                {"volumefrom"_L1, 1.5}, {"volumeto"_L1, 150.0}, {"close"_L1, 100.5},
                                {"conversionType"_L1, "direct"_L1}, {"conversionSymbol"_L1, ""_L1}});
    return QJsonDocument(QJsonObject{{"Response"_L1, "Success"_L1}, {"Message"_L1, ""_L1}, {"Type"_L1, 100},
                                     {"Data"_L1, QJsonObject{{"TimeFrom"_L1, double(toTs - limit * 60)},
                                                             {"TimeTo"_L1, double(toTs)}, {"Data"_L1, data}}}})
        .toJson(QJsonDocument::Compact);
}

struct Outcome
{
    int exitCode = -1;
    QString out, err;
};

Outcome run(const QStringList &args, const QString &workDir)
{
    QProcess p;
    p.setWorkingDirectory(workDir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"CRYPTOCOMPARE_API_KEY"_s, kKey);
    env.remove(u"DATABASE_URL"_s);
    p.setProcessEnvironment(env);
    ms::test::dieWithTest(p);
    p.start(QStringLiteral(MS_APP_PATH), QStringList{u"backfill"_s} + args);
    if (!p.waitForStarted(10000))
        return {};
    waitUntil([&] { return p.state() == QProcess::NotRunning; }, 60000);
    Outcome o;
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

qint64 count(const QString &dbPath, const QString &where)
{
    const QString name = u"check-"_s + QString::number(qint64(ms::nowMs()));
    qint64 n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dbPath);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"SELECT COUNT(*) FROM candles WHERE "_s + where) && q.next())
                n = q.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return n;
}

}  // namespace

class TestBackfillCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storesCandlesWithProgressLines();
    void badArguments_data();
    void badArguments();
    void unreachableDatabase();
};

void TestBackfillCommand::storesCandlesWithProgressLines()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    server.setFallback([](const HttpRequestRecord &rec) {
        const QUrlQuery q(rec.url);
        return HttpReply::json(page(q.queryItemValue(u"toTs"_s).toLongLong(), q.queryItemValue(u"limit"_s).toInt()));
    });
    QTemporaryDir dir;
    const QString db = dir.filePath(u"bf.db"_s);
    const QStringList args{u"--from"_s, u"2024-02-13T10:00:00Z"_s, u"--to"_s, u"2024-02-13T10:30"_s,
                           u"--interval"_s, u"1m"_s, u"--symbols"_s, u"BTC,ETH"_s,
                           u"--cryptocompare-url"_s, server.baseUrl().toString(), u"--db"_s, u"sqlite:///"_s + db};
    Outcome o = run(args, dir.path());
    QVERIFY2(o.exitCode == 0, qPrintable(o.out + o.err));
    QVERIFY2(o.out.contains(u"backfill:  50.0% BTC/USD"_s), qPrintable(o.out));
    QVERIFY2(o.out.contains(u"backfill: 100.0% ETH/USD"_s), qPrintable(o.out));
    QVERIFY(o.out.contains(u"60 stored"_s));
    QCOMPARE(count(db, u"interval_s = 60 AND is_final = 1"_s), qint64(60));
    QCOMPARE(count(db, u"symbol = 'ETH'"_s), qint64(30));
    QCOMPARE(server.requests().first().headers.value("authorization"), "Apikey " + kKey.toUtf8());
    QVERIFY(!QString(o.out + o.err).contains(kKey));
    // Again: upserts, still 60 rows.
    o = run(args, dir.path());
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(count(db, u"1 = 1"_s), qint64(60));
}

void TestBackfillCommand::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("words");
    const QStringList base{u"--from"_s, u"2024-02-13"_s, u"--to"_s, u"2024-02-14"_s, u"--symbols"_s, u"BTC"_s};
    QTest::newRow("no from") << QStringList{u"--to"_s, u"2024-02-14"_s, u"--symbols"_s, u"BTC"_s} << u"required"_s;
    QTest::newRow("bad date") << QStringList{u"--from"_s, u"yesterday"_s, u"--to"_s, u"2024-02-14"_s, u"--symbols"_s, u"BTC"_s}
                              << u"--from is not an ISO date/time"_s;
    QTest::newRow("reversed") << QStringList{u"--from"_s, u"2024-02-14"_s, u"--to"_s, u"2024-02-13"_s, u"--symbols"_s, u"BTC"_s}
                              << u"after --from"_s;
    QTest::newRow("interval") << base + QStringList{u"--interval"_s, u"5m"_s} << u"1m or 1h"_s;
    QTest::newRow("unknown option") << base + QStringList{u"--frobnicate"_s, u"1"_s} << u"unknown option --frobnicate"_s;
    QTest::newRow("missing value") << base + QStringList{u"--currency"_s} << u"needs a value"_s;
}

void TestBackfillCommand::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, words);
    QTemporaryDir dir;
    const Outcome o = run(QStringList{u"--db"_s, u"sqlite:///"_s + dir.filePath(u"x.db"_s)} + args, dir.path());
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(words), qPrintable(o.err));
    QCOMPARE(o.err.trimmed().count(u'\n'), 0);  // one line
}

void TestBackfillCommand::unreachableDatabase()
{
    QTemporaryDir dir;
    const Outcome o = run({u"--from"_s, u"2024-02-13"_s, u"--to"_s, u"2024-02-14"_s, u"--symbols"_s, u"BTC"_s,
                           u"--db"_s, u"postgresql://u:pw-SECRET@127.0.0.1:1/nodb?connect_timeout=2"_s}, dir.path());
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(u"cannot open the database"_s), qPrintable(o.err));
    QVERIFY(!o.err.contains(u"pw-SECRET"_s));
    QCOMPARE(o.err.trimmed().count(u'\n'), 0);
}

QTEST_GUILESS_MAIN(TestBackfillCommand)
#include "tst_backfill_command.moc"
#include "test_util.h"
