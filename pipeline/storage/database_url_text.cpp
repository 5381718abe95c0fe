// DatabaseUrl back to text: toString() (for child processes) and redacted() (for people).
#include "storage/database_url_text.h"

#include "storage/database_url.h"

#include <QByteArray>
#include <QStringList>
#include <QUrl>

namespace ms {

// Only a real IPv6 address goes in brackets; any other host with a ':' (a socket path given as
// ?host=) is percent-encoded, or parse(toString()) would not give the same URL back.
static bool isIpv6Literal(const QString &host)
{
    if (!host.contains(u':'))
        return false;
    for (const QChar c : host) {
        if (!(c.isDigit() || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F') || c == u':' ||
              c == u'.'))
            return false;
    }
    return true;
}

QString buildDatabaseUrl(const DatabaseUrl &u, bool redact)
{
    if (u.isSqlite()) {
        if (u.sqlitePath == QLatin1String(":memory:"))
            return QStringLiteral("sqlite::memory:");
        const QByteArray path = QUrl::toPercentEncoding(u.sqlitePath, "/:");
        // The same test as the parser's (letter, ':', '/'), or "m:emory:" would come back as
        // "/m:emory:".
        const bool drive = u.sqlitePath.size() >= 3 && u.sqlitePath[0].isLetter() &&
                           u.sqlitePath[1] == u':' && u.sqlitePath[2] == u'/';
        return QStringLiteral("sqlite://") + (drive ? QStringLiteral("/") : QString()) +
               QString::fromLatin1(path);
    }
    QString s = QStringLiteral("postgresql://");
    if (!u.user.isEmpty() || !u.password.isEmpty()) {
        s += encode(u.user);
        if (!u.password.isEmpty())
            s += u':' + (redact ? QStringLiteral("***") : encode(u.password));
        s += u'@';
    }
    if (isIpv6Literal(u.host))
        s += u'[' + u.host + u']';
    else
        s += encode(u.host);
    s += u':' + QString::number(u.port) + u'/' + encode(u.database);
    QStringList items;
    for (const auto &kv : u.options)
        items << encode(kv.first) + u'=' +
                     (redact && isLibpqSecretKeyword(kv.first) ? QStringLiteral("***")
                                                               : encode(kv.second));
    if (!items.isEmpty())
        s += u'?' + items.join(u'&');
    return s;
}

QString DatabaseUrl::redacted() const
{
    return buildDatabaseUrl(*this, true);
}

QString DatabaseUrl::toString() const
{
    return buildDatabaseUrl(*this, false);
}

} // namespace ms
