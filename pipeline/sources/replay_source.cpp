#include "sources/replay_source.h"

#include <QFileInfo>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ms {

ReplaySource::ReplaySource(ReplayOptions options, QObject *parent) : Source(parent), m_opt(std::move(options))
{
    m_opt.batchSize = std::max(1, m_opt.batchSize);
    if (!(m_opt.speed >= 0) || !std::isfinite(m_opt.speed))
        m_opt.speed = 1.0;
}

ReplaySource::~ReplaySource() = default;

qint64 ReplaySource::dueOffsetMs(qint64 tsMs, qint64 firstTsMs, double speed)
{
    if (speed <= 0)
        return 0;
    return std::max<qint64>(0, qint64(std::floor(double(tsMs - firstTsMs) / speed)));
}

void ReplaySource::start()
{
    if (m_running)
        return;
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, &ReplaySource::pump);
    }
    m_file.setFileName(m_opt.path);
    if (!QFileInfo::exists(m_opt.path) || !m_file.open(QIODevice::ReadOnly)) {
        SourceStatus s;
        s.state = SourceState::NotFound;
        s.message = QStringLiteral("replay file %1 cannot be read: %2")
                        .arg(m_opt.path, QFileInfo::exists(m_opt.path) ? m_file.errorString() : QStringLiteral("no such file"));
        setStatus(std::move(s));
        m_done = true;
        Q_EMIT finished();
        return;
    }
    // Format from the first non-empty line; a CSV file's first line is its header.
    QByteArray first;
    while (!m_file.atEnd() && (first.trimmed().isEmpty() || first.trimmed().startsWith('#'))) {
        first = m_file.readLine();
        ++m_lineNo;
    }
    m_format = replay::detectFormat(m_opt.path, first);
    if (m_format == replay::Format::Csv) {
        auto header = replay::parseCsvHeader(first);
        if (!header) {
            setStatus({SourceState::Malformed, QStringLiteral("replay file %1: %2").arg(m_opt.path, header.errorMessage()), 0});
            m_done = true;
            Q_EMIT finished();
            return;
        }
        m_header = std::move(*header);
    } else {
        m_file.seek(0);
        m_lineNo = 0;
    }
    m_running = true;
    setStatus({SourceState::Running,
               QStringLiteral("replaying %1 at %2").arg(m_opt.path,
                   m_opt.speed > 0 ? QStringLiteral("x%1").arg(m_opt.speed) : QStringLiteral("full speed")), 0});
    m_clock.start();
    pump();
}

void ReplaySource::stop()
{
    if (m_timer)
        m_timer->stop();
    const bool wasDone = m_done;
    m_running = false;
    m_done = true;
    m_file.close();
    if (!wasDone) {
        setStatus({SourceState::Stopped, QStringLiteral("replay stopped after %1 ticks").arg(m_published), 0});
        Q_EMIT finished();
    }
}

bool ReplaySource::readNext(Tick &out)
{
    while (!m_file.atEnd()) {
        const QByteArray line = m_file.readLine();
        ++m_lineNo;
        auto parsed = m_format == replay::Format::Csv
                          ? replay::parseCsvRow(m_header, line, m_lineNo, m_opt.defaultAsset)
                          : replay::parseJsonlLine(line, m_opt.defaultAsset);
        if (!parsed) {
            ++m_skipped;
            const QString problem = QStringLiteral("line %1: %2").arg(m_lineNo).arg(parsed.errorMessage());
            if (m_firstProblem.isEmpty())
                m_firstProblem = problem;
            setStatus({SourceState::Malformed,
                       QStringLiteral("replay file %1: skipped %2 (%3 bad lines so far)").arg(m_opt.path, problem).arg(m_skipped), 0});
            continue;
        }
        if (!parsed->has_value())
            continue;  // blank or comment
        out = std::move(**parsed);
        return true;
    }
    return false;
}

void ReplaySource::reportProgress()
{
    const qint64 size = m_file.size();
    if (size <= 0)
        return;
    const int percent = int(100 * m_file.pos() / size);
    if (percent != m_lastPercent && percent < 100) {
        m_lastPercent = percent;
        Q_EMIT progress(double(m_file.pos()) / double(size));
    }
}

void ReplaySource::backpressureEnded()
{
    if (m_running && m_timer)
        m_timer->start(0);  // read on at once instead of at the next 10 ms check
}

void ReplaySource::pump()
{
    if (!m_running)
        return;
    if (backpressured()) {
        m_timer->start(10);  // read nothing new until the backlog is taken
        return;
    }
    m_batch.clear();
    while (int(m_batch.size()) < m_opt.batchSize) {
        if (!m_pending) {
            Tick t;
            if (!readNext(t))
                break;
            m_pending = std::move(t);
        }
        if (!m_firstTs)
            m_firstTs = m_pending->tsMs;
        const qint64 due = dueOffsetMs(m_pending->tsMs, *m_firstTs, m_opt.speed);
        const qint64 wait = due - m_clock.elapsed();
        if (wait > 0) {
            publish(m_batch);
            m_published += qint64(m_batch.size());
            m_batch.clear();
            reportProgress();
            m_timer->start(int(std::min<qint64>(wait, std::numeric_limits<int>::max())));
            return;
        }
        m_batch.push_back(std::move(*m_pending));
        m_pending.reset();
    }
    publish(m_batch);
    m_published += qint64(m_batch.size());
    if (!m_running)
        return;  // the handler stopped us
    reportProgress();
    if (int(m_batch.size()) >= m_opt.batchSize || m_pending || backpressured()) {
        m_batch.clear();
        m_timer->start(0);  // yield to the event loop (stop(), other work) between batches
        return;
    }
    m_batch.clear();
    finish();  // only with nothing held back: everything read was taken
}

void ReplaySource::finish()
{
    m_running = false;
    m_done = true;
    m_file.close();
    QString msg = QStringLiteral("replay of %1 finished: %2 ticks").arg(m_opt.path).arg(m_published);
    if (m_skipped > 0)
        msg += QStringLiteral(", %1 bad lines skipped (first at %2)").arg(m_skipped).arg(m_firstProblem);
    Q_EMIT progress(1.0);
    setStatus({SourceState::Finished, msg, 0});
    Q_EMIT finished();
}

}  // namespace ms
