#include "secret_store.h"

#include "runtime/config.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimer>

#include <memory>

#ifdef MS_WITH_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace ms::ui {

namespace {
const QString kService = QStringLiteral("MarketStream");
const QString kKey = QStringLiteral("secrets");
constexpr int kKeychainTimeoutMs = 3000;

#ifdef MS_WITH_KEYCHAIN
struct JobResult
{
    bool finished = false;
    QKeychain::Error error = QKeychain::OtherError;
    QString text;
};

// Runs a keychain job, waiting at most kKeychainTimeoutMs. The job deletes itself when it ends,
// even after a timeout (then its late answer is ignored).
JobResult runJob(QKeychain::Job *job)
{
    auto result = std::make_shared<JobResult>();
    job->setAutoDelete(true);
    job->setKey(kKey);
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [result, &loop](QKeychain::Job *j) {
        result->finished = true;
        result->error = j->error();
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(j))
            result->text = read->textData();
        loop.quit();
    });
    QTimer::singleShot(kKeychainTimeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!result->finished)
        loop.exec();
    return *result;
}
#endif
}  // namespace

SecretStore::SecretStore(QString dotEnvPath) : m_path(std::move(dotEnvPath)) {}

bool SecretStore::keychainCompiledIn()
{
#ifdef MS_WITH_KEYCHAIN
    return true;
#else
    return false;
#endif
}

bool SecretStore::keychainWanted() const
{
    return keychainCompiledIn() && qEnvironmentVariable("MS_NO_KEYCHAIN") != QLatin1String("1");
}

QString SecretStore::note() const
{
    if (!m_error.isEmpty())
        return m_error;
    if (m_backend == Backend::Keychain)
        return QObject::tr("API keys and passwords are stored in the system keychain.");
    return QObject::tr("No system keychain is available: API keys and passwords are stored in plain text in %1 "
                       "(readable only by you). Anyone with access to your account can read them.")
        .arg(QDir::toNativeSeparators(m_path));
}

QMap<QString, QString> SecretStore::load()
{
    if (keychainWanted()) {
        if (auto secrets = readKeychain()) {
            m_backend = Backend::Keychain;
            return *secrets;
        }
    }
    m_backend = Backend::DotEnvFile;
    return readFile();
}

bool SecretStore::save(const QMap<QString, QString> &secrets)
{
    m_error.clear();
    if (keychainWanted() && writeKeychain(secrets)) {
        m_backend = Backend::Keychain;
        // Do not leave older copies behind in the file.
        QMap<QString, QString> blank;
        for (auto it = secrets.cbegin(); it != secrets.cend(); ++it)
            blank.insert(it.key(), QString());
        if (QFileInfo::exists(m_path))
            writeFile(blank);
        return true;
    }
    m_backend = Backend::DotEnvFile;
    return writeFile(secrets);
}

std::optional<QMap<QString, QString>> SecretStore::readKeychain()
{
#ifdef MS_WITH_KEYCHAIN
    auto result = runJob(new QKeychain::ReadPasswordJob(kService));
    if (!result.finished || (result.error != QKeychain::NoError && result.error != QKeychain::EntryNotFound))
        return std::nullopt;
    QMap<QString, QString> out;
    if (result.error == QKeychain::EntryNotFound)
        return out;
    const QJsonObject o = QJsonDocument::fromJson(result.text.toUtf8()).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!it.value().toString().isEmpty())
            out.insert(it.key(), it.value().toString());
    return out;
#else
    return std::nullopt;
#endif
}

bool SecretStore::writeKeychain(const QMap<QString, QString> &secrets)
{
#ifdef MS_WITH_KEYCHAIN
    QJsonObject o;
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it)
        if (!it.value().isEmpty())
            o.insert(it.key(), it.value());
    auto *job = new QKeychain::WritePasswordJob(kService);
    job->setTextData(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    const JobResult result = runJob(job);
    return result.finished && result.error == QKeychain::NoError;
#else
    Q_UNUSED(secrets);
    return false;
#endif
}

QMap<QString, QString> SecretStore::readFile() const
{
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QMap<QString, QString> all = parseDotEnv(QString::fromUtf8(f.readAll()));
    QMap<QString, QString> out;
    for (auto it = all.cbegin(); it != all.cend(); ++it)
        if (!it.value().isEmpty())
            out.insert(it.key(), it.value());
    return out;
}

bool SecretStore::writeFile(const QMap<QString, QString> &secrets)
{
    // Keep whatever else the file holds; replace or drop only our keys.
    QStringList lines;
    QFile existing(m_path);
    if (existing.open(QIODevice::ReadOnly)) {
        const QStringList old = QString::fromUtf8(existing.readAll()).split(u'\n');
        for (const QString &line : old) {
            const QString key = line.trimmed().section(u'=', 0, 0).remove(QStringLiteral("export ")).trimmed();
            if (!secrets.contains(key) && !(line.isEmpty() && &line == &old.last()))
                lines << line;
        }
    }
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
        if (it.value().isEmpty())
            continue;
        QString v = it.value();
        v.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
        lines << it.key() + QStringLiteral("=\"") + v + u'"';
    }
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile out(m_path);
    if (!out.open(QIODevice::WriteOnly)) {
        m_error = QObject::tr("Could not save API keys: %1 cannot be written (%2).")
                      .arg(QDir::toNativeSeparators(m_path), out.errorString());
        return false;
    }
    out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    out.write(lines.join(u'\n').toUtf8() + '\n');
    if (!out.commit()) {
        m_error = QObject::tr("Could not save API keys to %1 (%2).").arg(QDir::toNativeSeparators(m_path), out.errorString());
        return false;
    }
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}

}  // namespace ms::ui
