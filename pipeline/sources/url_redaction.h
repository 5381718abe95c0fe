#pragma once
// Keeps API keys out of logs and status messages: every URL shown to a user or written to a log goes
// through redactUrl(); free text that may quote a key (server error strings) through redactSecret().
#include <QString>
#include <QUrl>

namespace ms {

// The URL as text with the values of secret query items (api_key, apikey, token, key, access_token)
// replaced by "***" and any password in the user-info removed.
QString redactUrl(const QUrl &url);

// `text` with every occurrence of `secret` replaced by "***" (no-op for an empty secret).
QString redactSecret(QString text, const QString &secret);

}  // namespace ms
