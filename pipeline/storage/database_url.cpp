#include "storage/database_url.h"

#include "storage/database_url_text.h"

#include <QByteArray>
#include <QSet>
#include <QUrl>
#include <libpq-fe.h>
#include <memory>

namespace ms {

namespace {

const QString kBadUrl = QStringLiteral("bad_database_url");

Error bad(const QString &what)
{
    return makeError(QStringLiteral("Invalid DATABASE_URL: ") + what, kBadUrl);
}

// Strict percent-decoding: "%zz" or a truncated escape is an error, not passed through.
bool percentDecode(QStringView in, QString *out)
{
    QByteArray bytes;
    const QByteArray utf8 = in.toUtf8();
    bytes.reserve(utf8.size());
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        if (c != '%') {
            bytes.append(c);
            continue;
        }
        if (i + 2 >= utf8.size())
            return false;
        const auto hex = [](char h) -> int {
            if (h >= '0' && h <= '9')
                return h - '0';
            if (h >= 'a' && h <= 'f')
                return h - 'a' + 10;
            if (h >= 'A' && h <= 'F')
                return h - 'A' + 10;
            return -1;
        };
        const int hi = hex(utf8[i + 1]), lo = hex(utf8[i + 2]);
        if (hi < 0 || lo < 0)
            return false;
        bytes.append(char(hi * 16 + lo));
        i += 2;
    }
    *out = QString::fromUtf8(bytes);
    return true;
}

// libpq's own catalogue of connection keywords (an empty conninfo parses to every keyword, all
// unset) and the ones it marks secret (dispchar '*': password, sslpassword): read once from the
// library this binary runs with, so a newer libpq's new secret keyword is redacted without a change
// here.
struct LibpqKeywords
{
    QSet<QString> all;
    QSet<QString> secret;
};

const LibpqKeywords &libpqKeywords()
{
    static const LibpqKeywords keywords = [] {
        LibpqKeywords k;
        char *err = nullptr;
        PQconninfoOption *opts = PQconninfoParse("", &err);
        if (err)
            PQfreemem(err);
        for (PQconninfoOption *o = opts; o && o->keyword; ++o) {
            const QString name = QString::fromLatin1(o->keyword);
            k.all.insert(name);
            if (o->dispchar && o->dispchar[0] == '*')
                k.secret.insert(name);
        }
        PQconninfoFree(opts);
        return k;
    }();
    return keywords;
}

bool isSecretOption(const QString &key)
{
    return isLibpqSecretKeyword(key);
}

Result<int> parsePort(const QString &text)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    if (!ok || port <= 0 || port > 65535)
        return bad(
            QStringLiteral("port \"%1\" is not a number from 1 to 65535").arg(text.left(20)));
    return port;
}

// libpq and SQLite take C strings: a NUL would silently cut a password or a path short, and other
// control characters are never meant. Checked on the decoded parts.
bool hasControlCharacter(const DatabaseUrl &u)
{
    auto bad = [](const QString &s) {
        for (const QChar c : s) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7F)
                return true;
        }
        return false;
    };
    bool any =
        bad(u.host) || bad(u.database) || bad(u.user) || bad(u.password) || bad(u.sqlitePath);
    for (const auto &[k, v] : u.options)
        any = any || bad(k) || bad(v);
    return any;
}

Result<DatabaseUrl> checked(DatabaseUrl u)
{
    if (hasControlCharacter(u))
        return bad(QStringLiteral("a control character (e.g. %00) in the URL"));
    return u;
}

Result<DatabaseUrl> parseSqlite(const QString &url)
{
    DatabaseUrl u;
    u.backend = DatabaseUrl::Backend::Sqlite;
    QString rest;
    if (url == QLatin1String("sqlite::memory:") || url == QLatin1String("sqlite://:memory:")) {
        u.sqlitePath = QStringLiteral(":memory:");
        return u;
    }
    if (url.startsWith(QLatin1String("sqlite://")))
        rest = url.mid(9); // "/abs/path" (from sqlite:///abs/path) or "relative.db"
    else
        rest = url.mid(7); // "sqlite:relative.db"
    const qsizetype q = rest.indexOf(u'?');
    if (q >= 0)
        rest.truncate(q); // no SQLite options are supported; ignore a query string
    QString path;
    if (!percentDecode(rest, &path))
        return bad(QStringLiteral("bad percent-encoding in the SQLite path"));
    if (path.isEmpty())
        return bad(
            QStringLiteral("the SQLite URL has no file path (use sqlite:///absolute/path.db, "
                           "sqlite://relative.db or sqlite::memory:)"));
    // sqlite:///C:/data/market.db on Windows: the drive letter follows the third slash.
    if (path.size() >= 4 && path[0] == u'/' && path[1].isLetter() && path[2] == u':' &&
        path[3] == u'/')
        path.remove(0, 1);
    u.sqlitePath = path;
    return checked(std::move(u));
}

// One keyword=value: libpq's aliases for the parts of the URI go to their fields, the rest to
// `options` in the order given.
Status assign(DatabaseUrl &u, const QString &key, const QString &value)
{
    if (key == QLatin1String("host"))
        u.host = value;
    else if (key == QLatin1String("port")) {
        auto port = parsePort(value);
        if (!port)
            return port.error();
        u.port = *port;
    } else if (key == QLatin1String("dbname")) {
        // The same rule as the path's name: a URL must say the same thing whichever form it takes
        // (toString() writes the name into the path).
        if (value.contains(u'/'))
            return bad(QStringLiteral("the database name must not contain '/'"));
        u.database = value;
    } else if (key == QLatin1String("user"))
        u.user = value;
    else if (key == QLatin1String("password"))
        u.password = value;
    else {
        if (value.contains(u';')) // QPSQL turns ';' into the option separator
            return bad(QStringLiteral("the value of option \"%1\" must not contain ';'").arg(key));
        u.options.append({key, value});
    }
    return {};
}

// libpq is the authority on what a PostgreSQL URL means: the URL (re-encoded canonically, so the
// last-'@' rule and the strict escapes above hold) goes through PQconninfoParse, which refuses an
// unknown keyword now rather than at connect time, and every field is read back from its answer.
// Its messages can quote the URL: any secret in them is replaced before they are shown.
Result<DatabaseUrl> throughLibpq(const DatabaseUrl &parsed)
{
    const QByteArray conninfo = buildDatabaseUrl(parsed, false).toUtf8();
    char *rawErr = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> opts(
        PQconninfoParse(conninfo.constData(), &rawErr), &PQconninfoFree);
    if (!opts) {
        QString said =
            rawErr ? QString::fromUtf8(rawErr).trimmed() : QStringLiteral("out of memory");
        if (rawErr)
            PQfreemem(rawErr);
        QStringList secrets{parsed.password, encode(parsed.password)};
        for (const auto &[k, v] : parsed.options)
            if (isSecretOption(k))
                secrets << v << encode(v);
        for (const QString &secret : secrets)
            if (!secret.isEmpty())
                said.replace(secret, QStringLiteral("***"));
        return bad(QStringLiteral("libpq refused it: %1").arg(said));
    }
    DatabaseUrl u;
    u.backend = DatabaseUrl::Backend::Postgres;
    for (const PQconninfoOption *o = opts.get(); o->keyword; ++o) {
        if (!o->val)
            continue; // not given (PQconninfoParse fills in no defaults)
        const QString key = QString::fromLatin1(o->keyword);
        const QString value = QString::fromUtf8(o->val);
        if (Status s = assign(u, key, value); !s)
            return s.error(); // in libpq's keyword order
    }
    return u;
}

Result<DatabaseUrl> parsePostgres(const QString &url, qsizetype schemeLen)
{
    DatabaseUrl u;
    u.backend = DatabaseUrl::Backend::Postgres;
    QString rest = url.mid(schemeLen);
    if (const qsizetype hash = rest.indexOf(u'#'); hash >= 0)
        rest.truncate(hash);
    QString query;
    if (const qsizetype q = rest.indexOf(u'?'); q >= 0) {
        query = rest.mid(q + 1);
        rest.truncate(q);
    }
    QString authority = rest, path;
    if (const qsizetype slash = rest.indexOf(u'/'); slash >= 0) {
        authority = rest.left(slash);
        path = rest.mid(slash + 1);
    }
    // userinfo@hostport: the LAST '@' separates them (a raw '@' in a password is a common mistake).
    QString hostport = authority;
    if (const qsizetype at = authority.lastIndexOf(u'@'); at >= 0) {
        const QString userinfo = authority.left(at);
        hostport = authority.mid(at + 1);
        const qsizetype colon = userinfo.indexOf(u':');
        const QString rawUser = colon >= 0 ? userinfo.left(colon) : userinfo;
        if (!percentDecode(rawUser, &u.user))
            return bad(QStringLiteral("bad percent-encoding in the user name"));
        if (colon >= 0 && !percentDecode(QStringView(userinfo).mid(colon + 1), &u.password))
            return bad(QStringLiteral("bad percent-encoding in the password"));
    }
    if (hostport.contains(u','))
        return bad(QStringLiteral("several hosts are not supported"));
    QString rawHost = hostport, rawPort;
    if (hostport.startsWith(u'[')) { // [IPv6]:port
        const qsizetype close = hostport.indexOf(u']');
        if (close < 0)
            return bad(QStringLiteral("unterminated [IPv6] host"));
        rawHost = hostport.mid(1, close - 1);
        const QString after = hostport.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':'))
                return bad(QStringLiteral("unexpected text after the [IPv6] host"));
            rawPort = after.mid(1);
        }
    } else if (const qsizetype colon = hostport.lastIndexOf(u':'); colon >= 0) {
        rawHost = hostport.left(colon);
        rawPort = hostport.mid(colon + 1);
    }
    if (!percentDecode(rawHost, &u.host))
        return bad(QStringLiteral("bad percent-encoding in the host"));
    if (!rawPort.isEmpty()) {
        auto port = parsePort(rawPort);
        if (!port)
            return port.error();
        u.port = *port;
    }
    if (!percentDecode(path, &u.database))
        return bad(QStringLiteral("bad percent-encoding in the database name"));
    if (u.database.contains(u'/'))
        return bad(QStringLiteral("the database name must not contain '/'"));
    if (!query.isEmpty()) {
        const QStringList items = query.split(u'&', Qt::SkipEmptyParts);
        for (const QString &item : items) {
            const qsizetype eq = item.indexOf(u'=');
            if (eq <= 0)
                return bad(QStringLiteral("query item \"%1\" is not key=value")
                               .arg(isSecretOption(item) ? QStringLiteral("***") : item.left(40)));
            QString key, value;
            if (!percentDecode(QStringView(item).left(eq), &key) ||
                !percentDecode(QStringView(item).mid(eq + 1), &value))
                return bad(QStringLiteral("bad percent-encoding in the query string"));
            for (QChar c : key) {
                if (!(c.isLetterOrNumber() || c == u'_'))
                    return bad(QStringLiteral("bad option name \"%1\"").arg(key.left(40)));
            }
            if (Status s = assign(u, key, value); !s)
                return s.error();
        }
    }
    auto structurallyOk = checked(std::move(u));
    if (!structurallyOk)
        return structurallyOk;
    return throughLibpq(*structurallyOk);
}

} // namespace

Result<DatabaseUrl> DatabaseUrl::parse(const QString &input)
{
    const QString url = input.trimmed();
    if (url.isEmpty())
        return bad(QStringLiteral(
            "empty (expected postgresql://user:password@host:port/db or sqlite:///path.db)"));
    const QString lower = url.left(16).toLower();
    if (lower.startsWith(QLatin1String("postgresql://")))
        return parsePostgres(url, 13);
    if (lower.startsWith(QLatin1String("postgres://")))
        return parsePostgres(url, 11);
    if (lower.startsWith(QLatin1String("sqlite:")))
        return parseSqlite(url);
    // Never echo the input: it may be a password pasted into the wrong field.
    const qsizetype colon = url.indexOf(u':');
    const QString scheme = colon > 0 && colon < 20 ? url.left(colon) : QString();
    if (!scheme.isEmpty() && !scheme.contains(u'@') && !scheme.contains(u'/'))
        return bad(QStringLiteral(
                       "unsupported scheme \"%1\" (expected postgresql://, postgres:// or sqlite:)")
                       .arg(scheme));
    return bad(QStringLiteral("no scheme (expected postgresql://, postgres:// or sqlite:)"));
}

Result<DatabaseUrl> DatabaseUrl::fromPostgresEnvironment(const QMap<QString, QString> &env)
{
    static const char *const keys[] = {"POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB",
                                       "POSTGRES_USER", "POSTGRES_PASSWORD"};
    bool any = false;
    for (const char *k : keys)
        any = any || env.contains(QLatin1String(k));
    if (!any)
        return bad(QStringLiteral("none of POSTGRES_HOST/PORT/DB/USER/PASSWORD is set"));
    DatabaseUrl u;
    u.backend = Backend::Postgres;
    u.host = env.value(QStringLiteral("POSTGRES_HOST"), QStringLiteral("localhost")).trimmed();
    const QString port = env.value(QStringLiteral("POSTGRES_PORT")).trimmed();
    if (!port.isEmpty()) {
        auto p = parsePort(port);
        if (!p)
            return makeError(
                QStringLiteral("Invalid POSTGRES_PORT: \"%1\" is not a number from 1 to 65535")
                    .arg(port.left(20)),
                kBadUrl);
        u.port = *p;
    }
    u.database = env.value(QStringLiteral("POSTGRES_DB"), QStringLiteral("postgres")).trimmed();
    u.user = env.value(QStringLiteral("POSTGRES_USER"), QStringLiteral("postgres")).trimmed();
    u.password = env.value(QStringLiteral("POSTGRES_PASSWORD"));
    return u;
}

QString DatabaseUrl::option(const QString &key, const QString &fallback) const
{
    QString v = fallback;
    for (const auto &kv : options)
        if (kv.first == key)
            v = kv.second;
    return v;
}

bool isLibpqSecretKeyword(const QString &key)
{
    return libpqKeywords().secret.contains(key);
}

} // namespace ms
