#pragma once
// Replays a JSONL or CSV tick file (formats: replay_format.h) at a speed factor, keeping every
// tick's own event time (ts is never rewritten): tick i is published (ts_i - ts_0) / speed ms after
// the first one; speed 0 publishes as fast as possible, in batches, yielding to the event loop
// between batches so stop() is honoured at once. Ticks out of time order go out immediately.
// The file is read incrementally (any size). A bad line is skipped, counted and reported with its
// line number (state Malformed while the rest goes on); nothing else is lost.
// progress(fraction of bytes read) at most once per percent; at the end state Finished with a
// summary, progress(1) and finished().
//
// Ownership: created parentless by the runtime and moved to a worker thread; owns its file/timer.
#include "sources/replay_format.h"
#include "sources/source.h"

#include <QElapsedTimer>
#include <QFile>

#include <vector>

class QTimer;

namespace ms {

struct ReplayOptions
{
    QString path;
    double speed = 1.0;           // replaySpeed: 1 real time, N times faster, 0 as fast as possible
    AssetClass defaultAsset = AssetClass::Crypto;  // for lines that do not say
    int batchSize = 1000;         // ticks per publish() when behind schedule or at speed 0
};

class ReplaySource : public Source
{
    Q_OBJECT
public:
    explicit ReplaySource(ReplayOptions options, QObject *parent = nullptr);
    ~ReplaySource() override;

    QString name() const override { return QStringLiteral("replay"); }
    qint64 published() const { return m_published; }
    qint64 skippedLines() const { return m_skipped; }

    // When tick `tsMs` is due, in ms after the first tick (event time `firstTsMs`) was published.
    static qint64 dueOffsetMs(qint64 tsMs, qint64 firstTsMs, double speed);

public Q_SLOTS:
    void start() override;
    void stop() override;

private:
    void backpressureEnded() override;
    void pump();
    bool readNext(Tick &out);   // false at end of file
    void finish();
    void reportProgress();

    ReplayOptions m_opt;
    QFile m_file;
    replay::Format m_format = replay::Format::Jsonl;
    replay::CsvHeader m_header;
    qint64 m_lineNo = 0;
    QTimer *m_timer = nullptr;   // child
    QElapsedTimer m_clock;
    std::optional<qint64> m_firstTs;
    std::optional<Tick> m_pending;   // read but not yet due
    std::vector<Tick> m_batch;
    qint64 m_published = 0;
    qint64 m_skipped = 0;
    QString m_firstProblem;
    int m_lastPercent = -1;
    bool m_running = false;
    bool m_done = false;
};

}  // namespace ms
