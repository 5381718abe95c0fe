// DATABASE_URL parsing (good and bad rows), redaction, POSTGRES_* keys, and the pure row formatting
// used by the write paths (timestamps, doubles, COPY escaping).
#include "storage/database_url.h"
#include "storage/row_format.h"

#include <QTest>

#include <charconv>
#include <cmath>
#include <limits>

using namespace ms;

class TstDatabaseUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesGoodUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("postgres");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("sqlitePath");
        QTest::addColumn<QString>("options");  // "k=v&k=v"

        QTest::newRow("full") << "postgresql://bob:s3cret@db.example.com:6543/market?sslmode=require" << true
                              << "db.example.com" << 6543 << "market" << "bob" << "s3cret" << "" << "sslmode=require";
        QTest::newRow("postgres scheme, default port") << "postgres://bob@localhost/market" << true << "localhost" << 5432
                                                       << "market" << "bob" << "" << "" << "";
        QTest::newRow("percent-encoded password and user")
            << "postgresql://b%40b:p%3Aa%2Fs%40s%20w@h:5432/d" << true << "h" << 5432 << "d" << "b@b" << "p:a/s@s w" << "" << "";
        QTest::newRow("raw @ in password: last @ wins") << "postgresql://bob:p@ss@h/d" << true << "h" << 5432 << "d"
                                                        << "bob" << "p@ss" << "" << "";
        QTest::newRow("socket directory host") << "postgresql://postgres@%2Fvar%2Frun%2Fpostgresql/market" << true
                                               << "/var/run/postgresql" << 5432 << "market" << "postgres" << "" << "" << "";
        QTest::newRow("ipv6") << "postgresql://u@[::1]:5433/db" << true << "::1" << 5433 << "db" << "u" << "" << "" << "";
        QTest::newRow("host and options in query")
            << "postgresql:///market?host=/tmp&port=5499&connect_timeout=3&application_name=ms" << true << "/tmp" << 5499
            << "market" << "" << "" << "" << "connect_timeout=3&application_name=ms";
        QTest::newRow("password in query") << "postgresql://u@h/d?password=x%26y" << true << "h" << 5432 << "d" << "u"
                                           << "x&y" << "" << "";
        QTest::newRow("upper-case scheme, spaces trimmed") << "  POSTGRESQL://u@h/d  " << true << "h" << 5432 << "d"
                                                           << "u" << "" << "" << "";
        QTest::newRow("no database") << "postgresql://u@h:1" << true << "h" << 1 << "" << "u" << "" << "" << "";
        QTest::newRow("sqlite absolute") << "sqlite:///var/lib/ms/market.db" << false << "" << 5432 << "" << "" << ""
                                         << "/var/lib/ms/market.db" << "";
        QTest::newRow("sqlite relative") << "sqlite://data/market.db" << false << "" << 5432 << "" << "" << ""
                                         << "data/market.db" << "";
        QTest::newRow("sqlite windows drive") << "sqlite:///C:/Users/me/market.db" << false << "" << 5432 << "" << ""
                                              << "" << "C:/Users/me/market.db" << "";
        // Found by fuzz_database_url: a host with ':' that is not an IPv6 address went into brackets
        // unencoded, and parse(toString()) failed.
        QTest::newRow("socket path with ':' as ?host=") << "postgresql:///market?host=/tmp/a:b%2F//c" << true << "/tmp/a:b///c"
                                                        << 5432 << "market" << "" << "" << "" << "";
        QTest::newRow("sqlite relative with ':' (not a drive)") << "sqlite:m:emory:" << false << "" << 5432 << "" << ""
                                                                << "" << "m:emory:" << "";
        QTest::newRow("sqlite memory") << "sqlite::memory:" << false << "" << 5432 << "" << "" << "" << ":memory:" << "";
        QTest::newRow("sqlite percent-encoded space") << "sqlite:///tmp/my%20data.db" << false << "" << 5432 << "" << ""
                                                      << "" << "/tmp/my data.db" << "";
    }

    void parsesGoodUrls()
    {
        QFETCH(QString, url);
        auto u = DatabaseUrl::parse(url);
        QVERIFY2(u, qPrintable(u.errorMessage()));
        QTEST(u->isPostgres(), "postgres");
        QTEST(u->host, "host");
        QTEST(u->port, "port");
        QTEST(u->database, "database");
        QTEST(u->user, "user");
        QTEST(u->password, "password");
        QTEST(u->sqlitePath, "sqlitePath");
        QStringList opts;
        for (const auto &kv : u->options)
            opts << kv.first + u'=' + kv.second;
        QTEST(opts.join(u'&'), "options");
        // toString() round-trips; redacted() never shows the password.
        auto again = DatabaseUrl::parse(u->toString());
        QVERIFY2(again, qPrintable(u->redacted()));
        QCOMPARE(*again, *u);
        if (!u->password.isEmpty()) {
            QVERIFY(!u->redacted().contains(u->password));
            QVERIFY(u->redacted().contains(QLatin1String(":***@")));
        }
    }

    void rejectsBadUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("reason");  // a fragment of the message
        QTest::newRow("empty") << "" << "empty";
        QTest::newRow("no scheme") << "localhost:5432/market" << "unsupported scheme";
        QTest::newRow("bare words") << "hunter2" << "no scheme";
        QTest::newRow("mysql") << "mysql://u:p@h/d" << "unsupported scheme \"mysql\"";
        QTest::newRow("port not a number") << "postgresql://u:p@h:abc/d" << "port";
        QTest::newRow("port out of range") << "postgresql://u:p@h:70000/d" << "port";
        QTest::newRow("bad escape in password") << "postgresql://u:p%zzsecret@h/d" << "password";
        QTest::newRow("truncated escape") << "postgresql://u@h/d%4" << "database name";
        QTest::newRow("several hosts") << "postgresql://u@h1:1,h2:2/d" << "several hosts";
        QTest::newRow("unterminated ipv6") << "postgresql://u@[::1/d" << "IPv6";
        QTest::newRow("query item without value") << "postgresql://u@h/d?sslmode" << "key=value";
        QTest::newRow("semicolon in option") << "postgresql://u@h/d?application_name=a%3Bb" << "';'";
        QTest::newRow("sqlite without path") << "sqlite://" << "no file path";
        // libpq takes C strings: a NUL would cut the password short (found by fuzz_database_url).
        QTest::newRow("NUL in password") << "postgresql://u:p%00secret@h/d" << "control character";
        QTest::newRow("newline in database") << "postgresql://u@h/d%0A" << "control character";
        QTest::newRow("NUL in option") << "postgresql://u@h/d?application_name=a%00" << "control character";
        QTest::newRow("NUL in sqlite path") << "sqlite:///tmp/a%00b.db" << "control character";
        QTest::newRow("raw NUL in host") << QStringLiteral("postgresql://u@h") + QChar(0) + QStringLiteral("x/d") << "control character";
    }

    void rejectsBadUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, reason);
        auto u = DatabaseUrl::parse(url);
        QVERIFY(!u);
        QCOMPARE(u.error().code, QStringLiteral("bad_database_url"));
        QVERIFY2(u.errorMessage().contains(reason), qPrintable(u.errorMessage()));
        QVERIFY(!u.errorMessage().contains(QLatin1String("secret")));
        QVERIFY(!u.errorMessage().contains(QLatin1String("hunter2")));
    }

    void redactsSecretOptions()
    {
        auto u = DatabaseUrl::parse(QStringLiteral("postgresql://u:pw1234@h/d?sslpassword=keypw&api_key=K3Y&sslmode=disable"));
        QVERIFY(u);
        const QString r = u->redacted();
        QVERIFY(!r.contains(QLatin1String("pw1234")));
        QVERIFY(!r.contains(QLatin1String("keypw")));
        QVERIFY(!r.contains(QLatin1String("K3Y")));
        QVERIFY(r.contains(QLatin1String("sslmode=disable")));
    }

    void buildsFromPostgresEnvironment()
    {
        QMap<QString, QString> env{{QStringLiteral("POSTGRES_HOST"), QStringLiteral("db")},
                                   {QStringLiteral("POSTGRES_PORT"), QStringLiteral("5544")},
                                   {QStringLiteral("POSTGRES_DB"), QStringLiteral("market")},
                                   {QStringLiteral("POSTGRES_USER"), QStringLiteral("ms")},
                                   {QStringLiteral("POSTGRES_PASSWORD"), QStringLiteral("p@ss:w/rd")}};
        auto u = DatabaseUrl::fromPostgresEnvironment(env);
        QVERIFY(u);
        QCOMPARE(u->host, QStringLiteral("db"));
        QCOMPARE(u->port, 5544);
        QCOMPARE(u->database, QStringLiteral("market"));
        QCOMPARE(u->user, QStringLiteral("ms"));
        QCOMPARE(u->password, QStringLiteral("p@ss:w/rd"));
        QCOMPARE(*DatabaseUrl::parse(u->toString()), *u);
        QCOMPARE(u->redacted(), QStringLiteral("postgresql://ms:***@db:5544/market"));

        auto defaults = DatabaseUrl::fromPostgresEnvironment({{QStringLiteral("POSTGRES_PASSWORD"), QStringLiteral("x")}});
        QVERIFY(defaults);
        QCOMPARE(defaults->host, QStringLiteral("localhost"));
        QCOMPARE(defaults->port, 5432);
        QCOMPARE(defaults->user, QStringLiteral("postgres"));

        QVERIFY(!DatabaseUrl::fromPostgresEnvironment({}));
        auto badPort = DatabaseUrl::fromPostgresEnvironment({{QStringLiteral("POSTGRES_PORT"), QStringLiteral("54x")}});
        QVERIFY(!badPort);
        QVERIFY(badPort.errorMessage().contains(QLatin1String("POSTGRES_PORT")));
    }

    void timestampsFormatAndParse_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("epoch") << qint64(0) << "1970-01-01 00:00:00.000";
        QTest::newRow("sample") << qint64(1700000000123) << "2023-11-14 22:13:20.123";
        QTest::newRow("leap day") << qint64(951782400999) << "2000-02-29 00:00:00.999";
        QTest::newRow("before epoch") << qint64(-1) << "1969-12-31 23:59:59.999";
        QTest::newRow("2100") << qint64(4102444800000) << "2100-01-01 00:00:00.000";
    }

    void timestampsFormatAndParse()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        std::string s;
        rowfmt::appendUtcTimestamp(s, ms);
        QCOMPARE(QString::fromStdString(s), text);
        QCOMPARE(rowfmt::parseUtcTimestamp(s), std::optional<qint64>(ms));
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")), text);
        std::string pg;
        rowfmt::appendPgTimestamp(pg, ms);
        QCOMPARE(rowfmt::parseUtcTimestamp(pg), std::optional<qint64>(ms));
    }

    void timestampParsingVariantsAndRejections()
    {
        QCOMPARE(rowfmt::parseUtcTimestamp("2023-11-14T22:13:20Z"), std::optional<qint64>(1700000000000));
        QCOMPARE(rowfmt::parseUtcTimestamp("2023-11-14 22:13:20.1"), std::optional<qint64>(1700000000100));
        QCOMPARE(rowfmt::parseUtcTimestamp("2023-11-14 22:13:20.123456+00:00"), std::optional<qint64>(1700000000123));
        QVERIFY(!rowfmt::parseUtcTimestamp("2023-11-14 22:13:20+02"));  // not UTC: refuse, never guess
        QVERIFY(!rowfmt::parseUtcTimestamp("2023-13-14 22:13:20"));
        QVERIFY(!rowfmt::parseUtcTimestamp("garbage"));
        QVERIFY(!rowfmt::parseUtcTimestamp(""));
    }

    void doublesRoundTrip()
    {
        const double values[] = {0.1 + 0.2, 43000.5, 1e-300, 123456789.123456789, 5e-324, -0.0, 1.0 / 3.0};
        for (double v : values) {
            std::string s;
            rowfmt::appendDouble(s, v);
            double back = 1;
            QVERIFY(std::from_chars(s.data(), s.data() + s.size(), back).ec == std::errc());
            QCOMPARE(back, v);
            QCOMPARE(std::signbit(back), std::signbit(v));
        }
        std::string s;
        rowfmt::appendDouble(s, std::numeric_limits<double>::quiet_NaN());
        QCOMPARE(s, std::string("NaN"));
        s.clear();
        rowfmt::appendDouble(s, -std::numeric_limits<double>::infinity());
        QCOMPARE(s, std::string("-Infinity"));
    }

    void copyTickRow()
    {
        Tick t;
        t.source = SourceKind::Finnhub;
        t.kind = TickKind::Quote;
        t.symbol = "BRK\tB";
        t.price = 170.1;
        t.volume = 0;
        t.tsMs = 1700000000123;
        t.id = "q\\1";
        t.high = 171;
        t.previousClose = 169.9;
        std::string out;
        rowfmt::appendCopyTickRow(out, t);
        QCOMPARE(out, std::string("BRK\\tB\t170.1\t2023-11-14 22:13:20.123+00\tUSD\t0\tfinnhub\tquote\tq\\\\1\t171\t\\N\t\\N\t169.9\t20231114\n"));
    }

    void utcDateKey_data()
    {
        QTest::addColumn<qint64>("epochMs");
        QTest::addColumn<int>("key");
        QTest::newRow("epoch") << qint64(0) << 19700101;
        QTest::newRow("last ms before the epoch") << qint64(-1) << 19691231;
        QTest::newRow("2000-01-01") << qint64(946684800000) << 20000101;
        QTest::newRow("leap day, last ms") << qint64(1709251199999) << 20240229;
        QTest::newRow("day after the leap day") << qint64(1709251200000) << 20240301;
        QTest::newRow("2026-12-31 23:59:59.999") << qint64(1798761599999) << 20261231;
        QTest::newRow("clamped high") << std::numeric_limits<qint64>::max() << 99991231;
        QTest::newRow("clamped low") << std::numeric_limits<qint64>::min() << 10101;
    }

    void utcDateKey()
    {
        QFETCH(qint64, epochMs);
        QFETCH(int, key);
        QCOMPARE(rowfmt::utcDateKey(epochMs), key);
    }

    void copyTextEscaping()
    {
        std::string out;
        rowfmt::appendCopyText(out, std::string_view("a\tb\\c\nd\re\\N"));
        QCOMPARE(out, std::string("a\\tb\\\\c\\nd\\re\\\\N"));
        out.clear();
        rowfmt::appendCopyText(out, "plain");
        QCOMPARE(out, std::string("plain"));
    }
};

QTEST_GUILESS_MAIN(TstDatabaseUrl)
#include "tst_database_url.moc"
