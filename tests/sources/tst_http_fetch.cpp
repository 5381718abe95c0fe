// HttpFetcher against the local server: the body cap (a provider answering with far more than any
// real payload must not exhaust memory) and both forms of Retry-After (RFC 9110 §10.2.3).
#include "local_http_server.h"
#include "sources/http_fetch.h"

#include <QLocale>
#include <QTest>
#include <optional>

using namespace ms;
using namespace ms::test;
using namespace Qt::StringLiterals;

namespace {

// One GET through a fresh fetcher; waits (generously) for the callback.
void fetchOnce(LocalHttpServer &server, std::optional<HttpResponse> &got,
               qint64 maxBodyBytes = HttpFetcher::kDefaultMaxBodyBytes)
{
    HttpFetcher fetcher(10000);
    fetcher.setMaxBodyBytes(maxBodyBytes);
    fetcher.get(server.baseUrl().resolved(QUrl(u"/data"_s)), {},
                [&](HttpResponse r) { got = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 15000);
}

QByteArray imfFixdate(const QDateTime &utc)
{
    return QLocale::c().toString(utc, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s).toLatin1();
}

} // namespace

class TestHttpFetch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void retryAfterForms_data();
    void retryAfterForms();
    void retryAfterDateFromTheServer();
    void oversizedBodyIsAborted_data();
    void oversizedBodyIsAborted();
};

void TestHttpFetch::retryAfterForms_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expectedMs"); // -1: no usable value
    // "now" is fixed: Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's own example date).
    QTest::newRow("delta-seconds") << QByteArray("120") << qint64(120000);
    QTest::newRow("delta with spaces") << QByteArray("  5 ") << qint64(5000);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("a day") << QByteArray("86400") << qint64(86400000);
    QTest::newRow("over a day") << QByteArray("86401") << qint64(-1);
    QTest::newRow("20 digits") << QByteArray("99999999999999999999") << qint64(-1);
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
    QTest::newRow("fraction") << QByteArray("1.5") << qint64(-1);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    QTest::newRow("IMF-fixdate +90 s")
        << QByteArray("Sun, 06 Nov 1994 08:51:07 GMT") << qint64(90000);
    QTest::newRow("IMF-fixdate next day")
        << QByteArray("Mon, 07 Nov 1994 08:49:36 GMT") << qint64(86399000);
    QTest::newRow("IMF-fixdate past") << QByteArray("Sun, 06 Nov 1994 08:49:00 GMT") << qint64(0);
    QTest::newRow("IMF-fixdate two days")
        << QByteArray("Tue, 08 Nov 1994 08:49:37 GMT") << qint64(-1);
    // RFC 850's two-digit year is this century: 94 is 2094, beyond a day from 1994.
    QTest::newRow("RFC 850 far future")
        << QByteArray("Sunday, 06-Nov-94 08:50:37 GMT") << qint64(-1);
    QTest::newRow("asctime +1 s") << QByteArray("Sun Nov  6 08:49:38 1994") << qint64(1000);
    QTest::newRow("date without GMT") << QByteArray("Sun, 06 Nov 1994 08:51:07") << qint64(-1);
    QTest::newRow("bad month") << QByteArray("Sun, 06 Foo 1994 08:51:07 GMT") << qint64(-1);
}

void TestHttpFetch::retryAfterForms()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, expectedMs);
    const QDateTime now(QDate(1994, 11, 6), QTime(8, 49, 37), Qt::UTC);
    const auto got = retryAfterDelayMs(value, now);
    QCOMPARE(got.value_or(-1), expectedMs);
    // The same delay from a "now" in this century (RFC 850 rows need it for their year).
    const QDateTime now2026(QDate(2026, 12, 1), QTime(13, 0, 0), Qt::UTC);
    if (QByteArrayView(QTest::currentDataTag()) == "RFC 850 far future")
        QCOMPARE(retryAfterDelayMs("Tuesday, 01-Dec-26 13:01:00 GMT", now2026).value_or(-1),
                 qint64(60000));
}

// Both date forms as a server sends them; the RFC 850 one has a two-digit year, which must be read
// as this century (Qt alone reads 19yy, a date in the past, i.e. no wait at all).
void TestHttpFetch::retryAfterDateFromTheServer()
{
    LocalHttpServer server;
    QVERIFY(server.listen());
    const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(30);
    HttpReply reply = HttpReply::json("{}", 429);
    reply.headers.append({"Retry-After", imfFixdate(at)});
    server.enqueue(reply);
    HttpReply obsolete = HttpReply::json("{}", 503);
    obsolete.headers.append(
        {"Retry-After", QLocale::c().toString(at, u"dddd, dd-MMM-yy HH:mm:ss 'GMT'"_s).toLatin1()});
    server.enqueue(obsolete);

    // The same values, parsed directly (a failure here is the parser's, not the transport's).
    QVERIFY(retryAfterDelayMs(imfFixdate(at), QDateTime::currentDateTimeUtc()).value_or(0) > 20000);
    QVERIFY(retryAfterDelayMs(obsolete.headers.front().second, QDateTime::currentDateTimeUtc())
                .value_or(0) > 20000);
    for (int status : {429, 503}) {
        std::optional<HttpResponse> r;
        fetchOnce(server, r);
        QVERIFY(r);
        QCOMPARE(r->httpStatus, status);
        // The date has whole seconds and time passes while the request runs: a little under 30 s.
        QVERIFY2(r->retryAfterMs > 20000 && r->retryAfterMs <= 30000,
                 qPrintable(QString::number(r->retryAfterMs) + u" from "_s +
                            QString::fromLatin1(imfFixdate(at))));
        const SourceStatus s = statusForHttpFailure(u"Test"_s, *r);
        QVERIFY(s.state == (status == 429 ? SourceState::RateLimited : SourceState::NetworkDown));
    }
}

void TestHttpFetch::oversizedBodyIsAborted_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("announced by Content-Length") << int(HttpReply::Mode::Normal);
    QTest::newRow("unannounced (ends at close)") << int(HttpReply::Mode::UnannouncedLength);
}

void TestHttpFetch::oversizedBodyIsAborted()
{
    QFETCH(int, mode);
    constexpr qint64 cap = 64 * 1024;
    LocalHttpServer server;
    QVERIFY(server.listen());
    HttpReply huge = HttpReply::json(QByteArray(8 * 1024 * 1024, 'x'));
    huge.mode = HttpReply::Mode(mode);
    server.enqueue(huge);
    HttpReply fits = HttpReply::json(QByteArray(cap, 'y'));
    fits.mode = HttpReply::Mode(mode);
    server.enqueue(fits);

    std::optional<HttpResponse> r;
    fetchOnce(server, r, cap);
    QVERIFY(r);
    QVERIFY(r->bodyTooLarge);
    QVERIFY(r->transportFailed());
    QVERIFY(r->body.isEmpty());
    QVERIFY2(r->errorText.contains(u"over 65536 bytes"_s), qPrintable(r->errorText));
    const SourceStatus s = statusForHttpFailure(u"Test"_s, *r);
    QVERIFY(s.state == SourceState::Malformed);
    QVERIFY2(s.message.contains(u"oversized answer"_s), qPrintable(s.message));

    // Exactly at the cap is still accepted.
    std::optional<HttpResponse> ok;
    fetchOnce(server, ok, cap);
    QVERIFY(ok);
    QVERIFY(!ok->bodyTooLarge);
    QVERIFY(!ok->transportFailed());
    QCOMPARE(ok->body.size(), cap);
}

QTEST_GUILESS_MAIN(TestHttpFetch)
#include "tst_http_fetch.moc"
