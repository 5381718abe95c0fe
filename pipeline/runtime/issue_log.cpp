#include "runtime/issue_log.h"

#include <QMutexLocker>

#include <cstdio>

namespace ms {

IssueLog &IssueLog::instance()
{
    static IssueLog *log = new IssueLog;  // intentionally leaked: used until the very end of main
    return *log;
}

QString toString(Severity s)
{
    switch (s) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Error: return QStringLiteral("error");
    }
    return QStringLiteral("info");
}

void IssueLog::registerSecret(const QString &secret)
{
    // Very short strings would redact ordinary words; keys and passwords are longer than that.
    if (secret.size() < 4)
        return;
    QMutexLocker lock(&m_mutex);
    if (!m_secrets.contains(secret))
        m_secrets.append(secret);
}

QString IssueLog::redact(QString text) const
{
    QMutexLocker lock(&m_mutex);
    for (const QString &s : m_secrets)
        text.replace(s, QStringLiteral("***"));
    return text;
}

void IssueLog::add(Severity severity, const QString &component, const QString &message)
{
    add(severity, component, message, Echo::AsConfigured);
}

void IssueLog::add(Severity severity, const QString &component, const QString &message, Echo echoPolicy)
{
    IssueEntry e;
    e.time = QDateTime::currentDateTimeUtc();
    e.severity = severity;
    e.component = component;
    e.message = redact(message);
    bool echo = false;
    {
        QMutexLocker lock(&m_mutex);
        e.seq = ++m_seq;
        m_entries.push_back(e);
        while (m_entries.size() > capacity)
            m_entries.pop_front();
        echo = m_echo && echoPolicy == Echo::AsConfigured;
    }
    if (echo) {
        const QByteArray line = (e.time.toString(Qt::ISODateWithMs) + u' ' + toString(severity) + u' ' + component
                                 + QStringLiteral(": ") + e.message + u'\n')
                                    .toUtf8();
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    }
    Q_EMIT added();
}

std::vector<IssueEntry> IssueLog::entriesSince(qint64 afterSeq) const
{
    QMutexLocker lock(&m_mutex);
    std::vector<IssueEntry> out;
    for (auto it = m_entries.rbegin(); it != m_entries.rend() && it->seq > afterSeq; ++it)
        out.push_back(*it);
    std::reverse(out.begin(), out.end());
    return out;
}

void IssueLog::setEchoToStderr(bool on)
{
    QMutexLocker lock(&m_mutex);
    m_echo = on;
}

void IssueLog::clear()
{
    QMutexLocker lock(&m_mutex);
    m_entries.clear();
}

}  // namespace ms
