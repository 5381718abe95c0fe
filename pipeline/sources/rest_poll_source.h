#pragma once
// The REST pollers' base, as WsSource is the streamers': owns the HttpFetcher and the single-shot
// poll timer. start() checks the configuration, reports Connecting and polls at once; stop()
// cancels the timer and every request in flight (their callbacks never run); scheduleNext() arms
// the next poll unless stopping. A poll is skipped while a request is in flight (one at a time, so
// a slow provider never sees a burst) and while the sink is full (a quote snapshot: the next poll
// brings a fresh one). Subclasses say what to ask for and what to do with the answer.
//
// Ownership: the fetcher and the timer are children of this object.
#include "sources/http_fetch.h"
#include "sources/network_source.h"

class QTimer;

namespace ms {

class RestPollSource : public NetworkSource
{
    Q_OBJECT
public:
    RestPollSource(BackoffPolicy backoff, QString apiKey, int requestTimeoutMs,
                   QObject *parent = nullptr);
    ~RestPollSource() override;

public Q_SLOTS:
    void start() override;
    void stop() override;

protected:
    // Why the source cannot poll at all (e.g. "no symbols configured"); empty when it can.
    virtual QString configurationProblem() const = 0;
    // The Connecting message shown by start().
    virtual QString startMessage() const = 0;
    // Issues one request through get(); runs only when not stopping, idle and not back-pressured.
    virtual void pollOnce() = 0;
    // Delay before trying again while the sink is full.
    virtual qint64 backpressureRetryMs() const = 0;

    // A GET whose callback runs only while not stopping; the API key is kept out of error texts.
    void get(const QUrl &url, const HttpHeaders &headers, std::function<void(HttpResponse)> done);
    void scheduleNext(qint64 delayMs);
    HttpFetcher &fetcher() { return *m_fetcher; }

private:
    void poll();

    int m_requestTimeoutMs;
    HttpFetcher *m_fetcher = nullptr; // child
    QTimer *m_timer = nullptr;        // child
};

} // namespace ms
