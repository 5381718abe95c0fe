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
        // fuzz/corpus/database_url/crash-dbname-with-slash-in-query: the query's dbname took a '/'
        // the path refuses, so the URL's own toString() did not parse again.
        QTest::newRow("slash in the query's dbname") << "postgresql://h?dbname=ts43/ma" << "must not contain '/'";
        QTest::newRow("slash in the path's name") << "postgresql://h/a%2Fb" << "must not contain '/'";
        QTest::newRow("several hosts") << "postgresql://u@h1:1,h2:2/d" << "several hosts";
        QTest::newRow("unterminated ipv6") << "postgresql://u@[::1/d" << "IPv6";
        QTest::newRow("query item without value") << "postgresql://u@h/d?sslmode" << "key=value";
        QTest::newRow("semicolon in option") << "postgresql://u@h/d?application_name=a%3Bb" << "';'";
        QTest::newRow("sqlite without path") << "sqlite://" << "no file path";
        // libpq takes C strings: a NUL would cut the password short (found by fuzz_database_url).
        QTest::newRow("NUL in password") << "postgresql://u:p%00secret@h/d" << "control character";
        QTest::newRow("newline in database") << "postgresql://u@h/d%0A" << "control character";
        QTest::newRow("NUL in option") << "postgresql://u@h/d?application_name=a%00" << "control character";
        // libpq's PQconninfoParse knows every keyword: a typo fails here, not at connect time.
        QTest::newRow("unknown option (typo)") << "postgresql://u:secret@h/d?sslmod=require" << "sslmod";
        QTest::newRow("unknown option api_key") << "postgresql://u:secret@h/d?api_key=hunter2" << "api_key";
        QTest::newRow("unknown option, secret in query") << "postgresql://u@h/d?password=hunter2&colour=red" << "colour";
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

    // The secrets are the keywords libpq marks with dispchar '*' (password, sslpassword), not a list
    // of our own: everything else is shown.
    void redactsSecretOptions()
    {
        QVERIFY(isLibpqSecretKeyword(QStringLiteral("password")));
        QVERIFY(isLibpqSecretKeyword(QStringLiteral("sslpassword")));
        QVERIFY(!isLibpqSecretKeyword(QStringLiteral("sslmode")));
        QVERIFY(!isLibpqSecretKeyword(QStringLiteral("sslkey")));  // a path, not a secret
        auto u = DatabaseUrl::parse(
            QStringLiteral("postgresql://u:pw1234@h/d?sslpassword=keypw&sslmode=disable&application_name=ms"));
        QVERIFY2(u, qPrintable(u.errorMessage()));
        QCOMPARE(u->option(QStringLiteral("sslpassword")), QStringLiteral("keypw"));
        const QString r = u->redacted();
        QVERIFY2(!r.contains(QLatin1String("pw1234")), qPrintable(r));
        QVERIFY2(!r.contains(QLatin1String("keypw")), qPrintable(r));
        QVERIFY2(r.contains(QLatin1String("sslpassword=***")), qPrintable(r));
        QVERIFY2(r.contains(QLatin1String("sslmode=disable")) && r.contains(QLatin1String("application_name=ms")),
                 qPrintable(r));
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
        // Golden rows at the calendar's edges (values from Python's datetime, independent of both
        // the old hand-written civil-date code and std::chrono).
        QTest::newRow("first day of year 1") << qint64(-62135596800000) << "0001-01-01 00:00:00.000";
        QTest::newRow("last ms of 9999") << qint64(253402300799999) << "9999-12-31 23:59:59.999";
        QTest::newRow("1600 leap day (400-year rule)") << qint64(-11670955199500) << "1600-02-29 12:00:00.500";
        QTest::newRow("1900 not leap") << qint64(-2203891200000) << "1900-03-01 00:00:00.000";
        QTest::newRow("one day and 1 ms before epoch") << qint64(-86400001) << "1969-12-30 23:59:59.999";
        QTest::newRow("one day before epoch") << qint64(-86400000) << "1969-12-31 00:00:00.000";
        QTest::newRow("year 400, after February") << qint64(-49539254399999) << "0400-03-01 00:00:00.001";
        QTest::newRow("end of 2024") << qint64(1735689599999) << "2024-12-31 23:59:59.999";
    }

    // Outside years 1..9999 the time is clamped to the range (INT64_MIN means "no watermark yet").
    void timestampsClampToTheCalendar()
    {
        std::string lo, hi;
        rowfmt::appendUtcTimestamp(lo, std::numeric_limits<qint64>::min());
        rowfmt::appendUtcTimestamp(hi, std::numeric_limits<qint64>::max());
        QCOMPARE(QString::fromStdString(lo), QStringLiteral("0001-01-01 00:00:00.000"));
        QCOMPARE(QString::fromStdString(hi), QStringLiteral("9999-12-31 23:59:59.999"));
    }

    // Equality over the whole range: a deterministic sweep compared with QDateTime (its own
    // calendar code) and through the parser back to the same millisecond.
    void timestampsAgreeWithQDateTimeEverywhere()
    {
        const qint64 lo = -62135596800000LL, hi = 253402300799999LL;
        quint64 x = 0x9E3779B97F4A7C15ull;
        for (int i = 0; i < 200000; ++i) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Half the samples near the epoch (where most data is), half anywhere in the range.
            const qint64 ms = i % 2 ? lo + qint64(x % quint64(hi - lo + 1)) : qint64(x % 8000000000000ull) - 4000000000000LL;
            std::string s;
            rowfmt::appendUtcTimestamp(s, ms);
            const QString expected =
                QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
            if (QString::fromStdString(s) != expected || rowfmt::parseUtcTimestamp(s) != std::optional<qint64>(ms))
                QFAIL(qPrintable(QStringLiteral("%1 ms: %2, QDateTime %3").arg(ms).arg(QString::fromStdString(s), expected)));
        }
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
        // Days that do not exist are refused (the hand-written code rolled them into the next month).
        QVERIFY(!rowfmt::parseUtcTimestamp("2023-02-29 00:00:00"));
        QVERIFY(!rowfmt::parseUtcTimestamp("2023-04-31 00:00:00"));
        QVERIFY(!rowfmt::parseUtcTimestamp("1900-02-29 00:00:00"));
        QCOMPARE(rowfmt::parseUtcTimestamp("2000-02-29 00:00:00"), std::optional<qint64>(951782400000));
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
