#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 for the source tests: replays canned replies (fixture
// payloads), and can misbehave on purpose (close mid-body, never answer, close at once).
// One request per connection ("Connection: close").
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTcpServer>
#include <QUrl>

#include <deque>
#include <functional>

namespace ms::test {

struct HttpReply
{
    // UnannouncedLength: no Content-Length, the body ends when the connection closes (HTTP/1.0 style).
    enum class Mode { Normal, CloseMidBody, NeverAnswer, CloseImmediately, UnannouncedLength };
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    Mode mode = Mode::Normal;
    QByteArray contentType = "application/json; charset=UTF-8";

    static HttpReply json(QByteArray body, int status = 200) { HttpReply r; r.status = status; r.body = std::move(body); return r; }
};

struct HttpRequestRecord
{
    QByteArray method;
    QUrl url;                              // path + query as requested
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    qint64 receivedAtMs = 0;               // wall clock (for printing only; never asserted)
};

class LocalHttpServer : public QObject
{
    Q_OBJECT
public:
    explicit LocalHttpServer(QObject *parent = nullptr);
    bool listen();
    QUrl baseUrl() const;

    // Replies are served in FIFO order; when the queue is empty the fallback is used.
    void enqueue(HttpReply reply) { m_queue.push_back(std::move(reply)); }
    void setFallback(std::function<HttpReply(const HttpRequestRecord &)> fallback) { m_fallback = std::move(fallback); }
    const QList<HttpRequestRecord> &requests() const { return m_requests; }
    int openConnections() const { return m_open; }
    // Maximum number of requests the server held at once (answers pending).
    int maxConcurrent() const { return m_maxConcurrent; }

Q_SIGNALS:
    void requestReceived();

private:
    void onNewConnection();
    void respond(QTcpSocket *socket, const HttpRequestRecord &rec);

    QTcpServer m_server;
    std::deque<HttpReply> m_queue;
    std::function<HttpReply(const HttpRequestRecord &)> m_fallback;
    QList<HttpRequestRecord> m_requests;
    int m_open = 0;
    int m_pending = 0;
    int m_maxConcurrent = 0;
};

}  // namespace ms::test
