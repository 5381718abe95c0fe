#pragma once
// Runs the pipeline without a window until it is done (N ticks stored, sources finished and
// drained, --duration, --idle-exit), it fails, or SIGINT/SIGTERM arrives; then prints one JSON
// summary line on stdout and exits with one of the codes below.
//
// A signal ends the process within 2 s in every state: the pipeline's stop is bounded (1.8 s), and
// should a thread still be stuck in a call that has no deadline, the summary is printed and the
// process exits without waiting for it (nothing it holds was acknowledged: exactly-once is kept by
// the database transaction). A second signal exits at once.
#include "cli_options.h"
#include "metrics_http/metrics_http_server.h"
#include "runtime/pipeline.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace ms {

// Exit codes, as documented in --help and the README.
enum HeadlessExit : int {
    ExitOk = 0,
    ExitPipelineFailure = 1,     // the pipeline failed while running (the database refused a write, ...)
    ExitUsage = 2,               // the command line or the configuration is wrong
    ExitDependencyDown = 3,      // Kafka or the database could not be reached (or stopped answering)
};

// The exit code for a pipeline that ended in Error with `code` (Error::code).
int exitCodeForError(const QString &code, bool wasRunning);

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
    bool startMetricsServer();  // --metrics-port; false (reported) when it cannot listen
    void requestStop(const QString &why);
    // Prints the summary and leaves without running destructors: a worker thread is stuck.
    [[noreturn]] void exitNow(int code, const QString &why);

    CliOptions m_options;
    Pipeline m_pipeline;
    QTimer m_timer;
    QElapsedTimer m_sinceSignal;  // valid once a signal arrived
    int m_signals = 0;
    QElapsedTimer m_clock;
    bool m_sourcesFinished = false;
    bool m_stopRequested = false;
    bool m_wasRunning = false;
    qint64 m_lastProgress = -1;
    QElapsedTimer m_sinceProgress;
    double m_runSeconds = 0;
    std::unique_ptr<MetricsHttpServer> m_metricsServer;  // after m_pipeline: destroyed (joined) first
};

}  // namespace ms
