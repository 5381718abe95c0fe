#pragma once
// Test helpers: collect what a source emits, capture every log line, read shared fixtures.
#include "sources/source.h"
#include "support/test_util.h"

#include <QFile>
#include <QList>
#include <QMutex>
#include <QStringList>

#include <vector>

namespace ms::test {

inline QByteArray readFixture(const QString &relative)
{
    QFile f(QStringLiteral(MS_SHARED_DIR "/fixtures/") + relative);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(relative));
    return f.readAll();
}

// Everything one source emitted, recorded on the test's thread.
struct SourceProbe
{
    std::vector<Tick> ticks;
    QList<SourceStatus> statuses;
    int finished = 0;
    QList<double> progress;

    void attach(Source &s)
    {
        s.setTickHandler([this](std::span<const Tick> batch) { ticks.insert(ticks.end(), batch.begin(), batch.end()); });
        QObject::connect(&s, &Source::statusChanged, &s, [this](const SourceStatus &st) { statuses.append(st); });
        QObject::connect(&s, &Source::finished, &s, [this] { ++finished; });
        QObject::connect(&s, &Source::progress, &s, [this](double f) { progress.append(f); });
    }
    bool sawState(SourceState st) const
    {
        for (const auto &s : statuses)
            if (s.state == st)
                return true;
        return false;
    }
    // Index of the first status with state `st` at or after `from`, or -1.
    int indexOf(SourceState st, int from = 0) const
    {
        for (int i = from; i < statuses.size(); ++i)
            if (statuses[i].state == st)
                return i;
        return -1;
    }
    SourceStatus firstOf(SourceState st) const
    {
        const int i = indexOf(st);
        return i < 0 ? SourceStatus{} : statuses[i];
    }
    bool waitForState(SourceState st, int timeoutMs = 10000)
    {
        return waitUntil([&] { return sawState(st); }, timeoutMs);
    }
    bool waitForTicks(size_t n, int timeoutMs = 10000)
    {
        return waitUntil([&] { return ticks.size() >= n; }, timeoutMs);
    }
    QString allMessages() const
    {
        QStringList out;
        for (const auto &s : statuses)
            out << s.message;
        return out.join(u'\n');
    }
};

// Captures every qDebug/qInfo/qWarning line while alive (thread-safe).
class LogCapture
{
public:
    LogCapture() { s_self = this; m_prev = qInstallMessageHandler(&LogCapture::handler); }
    ~LogCapture() { qInstallMessageHandler(m_prev); s_self = nullptr; }
    QString text() const { QMutexLocker lock(&m_mutex); return m_lines.join(u'\n'); }
    int lineCount() const { QMutexLocker lock(&m_mutex); return int(m_lines.size()); }

private:
    static void handler(QtMsgType, const QMessageLogContext &, const QString &msg)
    {
        if (s_self) {
            QMutexLocker lock(&s_self->m_mutex);
            s_self->m_lines << msg;
        }
    }
    inline static LogCapture *s_self = nullptr;
    QtMessageHandler m_prev = nullptr;
    mutable QMutex m_mutex;
    QStringList m_lines;
};

}  // namespace ms::test
