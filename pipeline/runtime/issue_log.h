#pragma once
// The one central log of warnings and errors, shown in the app's Issues panel and printed on stderr
// in headless mode. Thread-safe. Every message passes through redaction of registered secrets.
#include <QDateTime>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QStringList>

#include <deque>
#include <vector>

namespace ms {

enum class Severity { Info, Warning, Error };

struct IssueEntry
{
    qint64 seq = 0;
    QDateTime time;
    Severity severity = Severity::Info;
    QString component;  // "kafka", "database", "source:finnhub", ...
    QString message;    // already redacted
};

class IssueLog : public QObject
{
    Q_OBJECT
public:
    static IssueLog &instance();

    void add(Severity severity, const QString &component, const QString &message);
    // Never: the entry is for the Issues panel only, because its reader prints it once itself (the
    // headless runner's final "marketstream: error: …" line).
    enum class Echo { AsConfigured, Never };
    void add(Severity severity, const QString &component, const QString &message, Echo echo);
    void info(const QString &component, const QString &message) { add(Severity::Info, component, message); }
    void warning(const QString &component, const QString &message) { add(Severity::Warning, component, message); }
    void error(const QString &component, const QString &message) { add(Severity::Error, component, message); }

    // Secrets (API keys, passwords) registered here are replaced by "***" in every message.
    void registerSecret(const QString &secret);
    QString redact(QString text) const;

    // Entries with seq > afterSeq (the log keeps the newest `capacity` entries).
    std::vector<IssueEntry> entriesSince(qint64 afterSeq) const;
    void setEchoToStderr(bool on);
    void clear();

Q_SIGNALS:
    // Emitted (queued to receivers' threads) at most once per add; the UI coalesces.
    void added();

private:
    IssueLog() = default;
    mutable QMutex m_mutex;
    std::deque<IssueEntry> m_entries;
    QStringList m_secrets;
    qint64 m_seq = 0;
    bool m_echo = false;
    static constexpr size_t capacity = 5000;
};

QString toString(Severity s);

}  // namespace ms
