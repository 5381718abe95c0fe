#pragma once
// A minimal HTTP/1.x server for Prometheus scrapes: GET /metrics answers with what the provider
// returns; every other path is 404, other methods 405, a request head over kMaxRequestBytes 431.
// One response per connection (Connection: close). Runs on its own thread with its own event
// loop, so a slow or hostile client never touches the pipeline's threads or the GUI; the provider
// is called on that thread and must be thread-safe (Pipeline::metrics() and state() are).
//
// Bounded: at most kMaxConnections open at once (more are closed at accept), and a client that has
// not sent its request head within kRequestTimeoutMs is dropped.
#include "model/result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <functional>
#include <memory>

class QThread;
class QTcpServer;

namespace ms {

class MetricsHttpServer
{
public:
    static constexpr int kMaxRequestBytes = 8192;
    static constexpr int kMaxConnections = 16;
    static constexpr int kRequestTimeoutMs = 5000;

    using Provider = std::function<QByteArray()>;

    // Listens on address:port (port 0: any free port, see port()). Errors: the address does not
    // parse, or the port cannot be bound (in use, no permission).
    static Result<std::unique_ptr<MetricsHttpServer>> start(const QString &address, quint16 port,
                                                            Provider provider);
    ~MetricsHttpServer(); // stops listening, closes the connections, joins the thread
    MetricsHttpServer(const MetricsHttpServer &) = delete;
    MetricsHttpServer &operator=(const MetricsHttpServer &) = delete;

    quint16 port() const { return m_port; }
    QString url() const; // http://address:port/metrics

private:
    MetricsHttpServer() = default;

    std::unique_ptr<QThread> m_thread;
    QTcpServer *m_server = nullptr; // lives on m_thread; deleted there
    QHostAddress m_address;
    quint16 m_port = 0;
};

// What the server answers to one request head (pure; exposed for tests). `head` ends with the
// blank line, or is everything received so far when it was too large.
QByteArray metricsHttpResponse(const QByteArray &head, bool tooLarge,
                               const MetricsHttpServer::Provider &provider);

} // namespace ms
