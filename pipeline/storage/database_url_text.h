#pragma once
// Internal to storage/: the text side of DatabaseUrl, shared by the parser (which hands libpq the
// canonical form) and toString()/redacted().
#include "storage/database_url.h"

#include <QString>
#include <QUrl>

namespace ms {

inline QString encode(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

// The URL, percent-encoded so that parse(buildDatabaseUrl(u, false)) == u; with `redact`, the
// password and libpq's secret options are "***".
QString buildDatabaseUrl(const DatabaseUrl &u, bool redact);

} // namespace ms
