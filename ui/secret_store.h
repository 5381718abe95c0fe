#pragma once
// Where API keys and passwords live between launches: the system keychain (QtKeychain: Secret
// Service / KWallet, macOS Keychain, Windows Credential Store) when one answers; otherwise a .env
// file readable only by the user, and note() says so in words. Never QSettings.
//
// Keychain calls are asynchronous; load() and save() wait for them in a local event loop bounded
// by a few seconds (the GUI keeps painting), so callers get a plain answer.
#include <QMap>
#include <optional>
#include <QString>

namespace ms::ui {

class SecretStore
{
public:
    enum class Backend { Keychain, DotEnvFile };

    // dotEnvPath: the fallback file. The keychain is skipped when compiled without QtKeychain or
    // when MS_NO_KEYCHAIN=1 (tests, headless machines).
    explicit SecretStore(QString dotEnvPath);

    // Secrets by environment name; missing ones are absent. Also sets backend().
    QMap<QString, QString> load();
    // Writes every given secret (empty values remove it). Returns false with note() explaining
    // when neither the keychain nor the file could be written.
    bool save(const QMap<QString, QString> &secrets);

    Backend backend() const { return m_backend; }
    QString dotEnvPath() const { return m_path; }
    // One sentence for the Settings dialog: where the secrets are.
    QString note() const;

    static bool keychainCompiledIn();

private:
    bool keychainWanted() const;
    std::optional<QMap<QString, QString>> readKeychain();
    bool writeKeychain(const QMap<QString, QString> &secrets);
    QMap<QString, QString> readFile() const;
    bool writeFile(const QMap<QString, QString> &secrets);

    QString m_path;
    Backend m_backend = Backend::DotEnvFile;
    QString m_error;
};

}  // namespace ms::ui
