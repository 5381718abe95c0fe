#include "metrics_http/metrics_http_server.h"

#include "metrics_http/prometheus_text.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

namespace ms {

namespace {

QByteArray response(const char *status, const QByteArray &contentType, const QByteArray &body,
                    bool head = false)
{
    QByteArray out = QByteArrayLiteral("HTTP/1.1 ") + status + "\r\nContent-Type: " + contentType +
                     "\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\nConnection: close\r\n\r\n";
    if (!head)
        out += body;
    return out;
}

QByteArray plain(const char *status, const char *text)
{
    return response(status, QByteArrayLiteral("text/plain; charset=utf-8"),
                    QByteArray(text) + '\n');
}

// One connection: reads the request head (bounded), answers, closes.
void serve(QTcpSocket *socket, const MetricsHttpServer::Provider &provider)
{
    socket->setReadBufferSize(MetricsHttpServer::kMaxRequestBytes +
                              1); // Qt buffers no more than we read
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    QObject::connect(deadline, &QTimer::timeout, socket, [socket] { socket->abort(); });
    deadline->start(MetricsHttpServer::kRequestTimeoutMs);
    auto buffer = std::make_shared<QByteArray>();
    auto answered = std::make_shared<bool>(false);
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, buffer, answered, provider] {
        if (*answered) {
            socket->readAll(); // a body or a second request: ignored, the connection closes anyway
            return;
        }
        *buffer += socket->read(MetricsHttpServer::kMaxRequestBytes + 1 - buffer->size());
        const qsizetype end = buffer->indexOf("\r\n\r\n");
        const bool tooLarge = end < 0 && buffer->size() > MetricsHttpServer::kMaxRequestBytes;
        if (end < 0 && !tooLarge)
            return; // wait for the rest of the head
        *answered = true;
        socket->write(
            metricsHttpResponse(end < 0 ? *buffer : buffer->left(end + 4), tooLarge, provider));
        socket->disconnectFromHost(); // after the write is flushed
    });
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QObject::connect(socket, &QTcpSocket::errorOccurred, socket, [socket] {
        if (socket->state() != QAbstractSocket::ConnectedState)
            socket->deleteLater();
    });
}

} // namespace

QByteArray metricsHttpResponse(const QByteArray &head, bool tooLarge,
                               const MetricsHttpServer::Provider &provider)
{
    if (tooLarge)
        return plain("431 Request Header Fields Too Large", "request head too large");
    const qsizetype lineEnd = head.indexOf("\r\n");
    const QList<QByteArray> parts = head.left(lineEnd < 0 ? head.size() : lineEnd).split(' ');
    if (parts.size() != 3 || !parts[2].startsWith("HTTP/1."))
        return plain("400 Bad Request", "bad request");
    const QByteArray &method = parts[0];
    QByteArray path = parts[1];
    if (const qsizetype q = path.indexOf('?'); q >= 0)
        path.truncate(q); // Prometheus may add query parameters; none changes the answer
    if (path != "/metrics")
        return plain("404 Not Found", "not found; the metrics are at /metrics");
    if (method != "GET" && method != "HEAD")
        return plain("405 Method Not Allowed", "only GET");
    return response("200 OK", QByteArray(kPrometheusContentType), provider(), method == "HEAD");
}

Result<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::start(const QString &address,
                                                                    quint16 port, Provider provider)
{
    QHostAddress host;
    if (!host.setAddress(address))
        return makeError(
            QStringLiteral("--metrics-bind '%1' is not an IP address").arg(address.left(60)),
            QStringLiteral("usage"));
    std::unique_ptr<MetricsHttpServer> self(new MetricsHttpServer);
    self->m_thread = std::make_unique<QThread>();
    self->m_thread->setObjectName(QStringLiteral("metrics-http"));
    self->m_thread->start();
    auto *server = new QTcpServer;
    server->setMaxPendingConnections(kMaxConnections);
    server->moveToThread(self->m_thread.get());
    self->m_server = server;
    bool listening = false;
    QString error;
    // Listen on the server's own thread, waiting for the answer: a bind error is reported here.
    QMetaObject::invokeMethod(
        server,
        [&] {
            listening = server->listen(host, port);
            error = server->errorString();
            if (!listening)
                return;
            auto open = std::make_shared<int>(0);
            QObject::connect(server, &QTcpServer::newConnection, server, [server, open, provider] {
                while (QTcpSocket *socket = server->nextPendingConnection()) {
                    if (*open >= kMaxConnections) {
                        socket->abort();
                        socket->deleteLater();
                        continue;
                    }
                    ++*open;
                    QObject::connect(socket, &QObject::destroyed, server, [open] { --*open; });
                    serve(socket, provider);
                }
            });
        },
        Qt::BlockingQueuedConnection);
    if (!listening)
        return makeError(
            QStringLiteral("cannot serve metrics on %1:%2: %3").arg(address).arg(port).arg(error),
            QStringLiteral("metrics_bind"));
    self->m_address = host;
    self->m_port = server->serverPort();
    return self;
}

MetricsHttpServer::~MetricsHttpServer()
{
    if (!m_thread)
        return;
    if (m_server) {
        QTcpServer *server = m_server;
        QMetaObject::invokeMethod(
            server,
            [server] {
                server->close();
                delete server; // the accepted sockets are its children: they go with it
            },
            Qt::BlockingQueuedConnection);
    }
    m_thread->quit();
    m_thread->wait();
}

QString MetricsHttpServer::url() const
{
    const QString host = m_address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(m_address.toString())
                             : m_address.toString();
    return QStringLiteral("http://%1:%2/metrics").arg(host).arg(m_port);
}

} // namespace ms
