#include "local_http_server.h"

#include "model/time_util.h"

#include <QTcpSocket>

namespace ms::test {

LocalHttpServer::LocalHttpServer(QObject *parent) : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &LocalHttpServer::onNewConnection);
    m_fallback = [](const HttpRequestRecord &) { return HttpReply::json("{}", 404); };
}

bool LocalHttpServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl LocalHttpServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
}

void LocalHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        ++m_open;
        socket->setParent(this);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            --m_open;
            if (socket->property("pending").toBool()) {
                --m_pending;
                socket->setProperty("pending", false);
            }
            socket->deleteLater();
        });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0 || socket->property("handled").toBool())
                return;
            socket->setProperty("handled", true);
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            HttpRequestRecord rec;
            rec.receivedAtMs = ms::nowMs();
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            rec.method = first.value(0);
            rec.url = QUrl::fromEncoded(first.value(1));
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    rec.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
            }
            m_requests.append(rec);
            ++m_pending;
            socket->setProperty("pending", true);
            m_maxConcurrent = std::max(m_maxConcurrent, m_pending);
            respond(socket, rec);
            Q_EMIT requestReceived();
        });
    }
}

static QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

void LocalHttpServer::respond(QTcpSocket *socket, const HttpRequestRecord &rec)
{
    HttpReply reply;
    if (!m_queue.empty()) {
        reply = std::move(m_queue.front());
        m_queue.pop_front();
    } else {
        reply = m_fallback(rec);
    }
    auto finish = [this, socket] {
        if (socket->property("pending").toBool()) {
            --m_pending;
            socket->setProperty("pending", false);
        }
    };
    switch (reply.mode) {
    case HttpReply::Mode::NeverAnswer:
        return;  // keep the connection open, say nothing
    case HttpReply::Mode::CloseImmediately:
        finish();
        socket->abort();
        return;
    default:
        break;
    }
    QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
    out += "Content-Type: " + reply.contentType + "\r\n";
    if (reply.mode != HttpReply::Mode::UnannouncedLength)
        out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    out += "Connection: close\r\n";
    for (const auto &h : reply.headers)
        out += h.first + ": " + h.second + "\r\n";
    out += "\r\n";
    if (reply.mode == HttpReply::Mode::CloseMidBody) {
        out += reply.body.left(reply.body.size() / 2);
        socket->write(out);
        socket->flush();
        finish();
        socket->disconnectFromHost();
        return;
    }
    out += reply.body;
    socket->write(out);
    finish();
    socket->disconnectFromHost();
}

}  // namespace ms::test
