#include "sources/url_redaction.h"

#include <QUrlQuery>

namespace ms {

namespace {
bool isSecretKey(const QString &key)
{
    const QString k = key.toLower();
    return k == u"api_key" || k == u"apikey" || k == u"token" || k == u"key" || k == u"access_token";
}
}  // namespace

QString redactUrl(const QUrl &url)
{
    QUrl copy = url;
    copy.setPassword(QString());
    if (copy.hasQuery()) {
        QUrlQuery query(copy);
        auto items = query.queryItems(QUrl::FullyEncoded);
        for (auto &item : items) {
            if (isSecretKey(item.first))
                item.second = QStringLiteral("***");
        }
        query.setQueryItems(items);
        copy.setQuery(query);
    }
    return copy.toDisplayString(QUrl::RemovePassword);
}

QString redactSecret(QString text, const QString &secret)
{
    if (secret.isEmpty())
        return text;
    text.replace(secret, QStringLiteral("***"));
    const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(secret));
    if (encoded != secret)
        text.replace(encoded, QStringLiteral("***"));
    return text;
}

}  // namespace ms
