#pragma once
// Runs the pipeline without a window until it is done (N ticks stored, sources finished and
// drained, --duration, --idle-exit) or SIGINT/SIGTERM arrives; then prints one JSON summary line.
#include "cli_options.h"
#include "runtime/pipeline.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace ms {

class HeadlessRunner : public QObject
{
    Q_OBJECT
public:
    explicit HeadlessRunner(const CliOptions &options, QObject *parent = nullptr);
    // Starts; the exit code is delivered through QCoreApplication::exit.
    void start();
    static void installSignalHandlers();

private:
    void onStateChanged(Pipeline::State state, const QString &message);
    void check();
    void printSummary();
    void requestStop(const QString &why);

    CliOptions m_options;
    Pipeline m_pipeline;
    QTimer m_timer;
    QElapsedTimer m_clock;
    bool m_sourcesFinished = false;
    bool m_stopRequested = false;
    bool m_wasRunning = false;
    qint64 m_lastProgress = -1;
    QElapsedTimer m_sinceProgress;
    double m_runSeconds = 0;
};

}  // namespace ms
