#pragma once
// Test helpers for /metrics: an HTTP GET over QTcpSocket, the reference parser (python3-prometheus-
// client, through parse_prometheus.py) and a strict line-by-line check of the text format 0.0.4.
#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <QTcpSocket>
#include <cmath>

namespace ms::test {

struct HttpReply
{
    int status = 0;
    QByteArray headers, body;
    QString error;
};

inline HttpReply httpRequest(quint16 port, const QByteArray &request, int timeoutMs = 10000)
{
    HttpReply r;
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!s.waitForConnected(timeoutMs)) {
        r.error = s.errorString();
        return r;
    }
    s.write(request);
    QByteArray all;
    while (s.state() == QAbstractSocket::ConnectedState && s.waitForReadyRead(timeoutMs))
        all += s.readAll();
    all += s.readAll();
    const qsizetype end = all.indexOf("\r\n\r\n");
    if (end < 0) {
        r.error = QStringLiteral("no complete response: ") + QString::fromUtf8(all.left(200));
        return r;
    }
    r.headers = all.left(end);
    r.body = all.mid(end + 4);
    const QList<QByteArray> statusLine = r.headers.left(r.headers.indexOf("\r\n")).split(' ');
    r.status = statusLine.size() >= 2 ? statusLine[1].toInt() : 0;
    return r;
}

inline HttpReply scrape(quint16 port, const QByteArray &path = "/metrics")
{
    return httpRequest(port, "GET " + path +
                                 " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/plain\r\n\r\n");
}

// Waits until a marketstream child logs where it serves /metrics (port 0: picked by the system);
// 0 when it ended first or the deadline passed. Its stderr so far is appended to *err.
inline quint16 waitForMetricsPort(QProcess &app, QByteArray *err, int timeoutMs = 60000)
{
    static const QRegularExpression served(
        QStringLiteral("serving http://127\\.0\\.0\\.1:(\\d+)/metrics"));
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        app.waitForReadyRead(100);
        *err += app.readAllStandardError();
        if (const auto m = served.match(QString::fromUtf8(*err)); m.hasMatch())
            return quint16(m.captured(1).toUInt());
        if (app.state() == QProcess::NotRunning)
            return 0;
    }
    return 0;
}

// The reference parser's view: family name → its JSON object. Empty with `error` set on failure.
inline QJsonArray referenceParse(const QByteArray &text, QString *error)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral(MS_SOURCE_DIR "/tests/metrics/parse_prometheus.py")});
    if (!p.waitForStarted()) {
        *error = QStringLiteral("cannot run /usr/bin/python3");
        return {};
    }
    p.write(text);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        *error = QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput())
        .object()
        .value(QLatin1String("families"))
        .toArray();
}

// Sample name + sorted labels → value, from the reference parse.
inline QMap<QString, double> sampleValues(const QJsonArray &families)
{
    QMap<QString, double> out;
    for (const QJsonValue &f : families) {
        for (const QJsonValue &sv : f.toObject().value(QLatin1String("samples")).toArray()) {
            const QJsonObject s = sv.toObject();
            QStringList labels;
            const QJsonObject l = s.value(QLatin1String("labels")).toObject();
            for (auto it = l.begin(); it != l.end(); ++it)
                labels << it.key() + QStringLiteral("=") + it.value().toString();
            labels.sort();
            const QString key =
                s.value(QLatin1String("name")).toString() +
                (labels.isEmpty() ? QString()
                                  : QLatin1Char('{') + labels.join(u',') + QLatin1Char('}'));
            const QJsonValue v = s.value(QLatin1String("value"));
            out.insert(key, v.isString() ? INFINITY : v.toDouble());
        }
    }
    return out;
}

// Strict checks the reference parser is lenient about. Returns the problems (empty: fine) and the
// families declared by # TYPE lines.
inline QStringList strictProblems(const QByteArray &text, QMap<QString, QString> *declared)
{
    QStringList problems;
    static const QRegularExpression name(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
    static const QRegularExpression sample(QStringLiteral(
        R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*)\})? ([^ ]+)$)"));
    if (!text.endsWith('\n'))
        problems << QStringLiteral("the text does not end with a newline");
    QString family, type;
    QSet<QString> seenSeries, seenHelp;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const QString line = QString::fromUtf8(lines[i]);
        const QString where = QStringLiteral("line %1: ").arg(i + 1);
        if (line.startsWith(QLatin1String("# HELP "))) {
            const QString n = line.section(u' ', 2, 2);
            if (!name.match(n).hasMatch() || seenHelp.contains(n))
                problems << where + QStringLiteral("bad or repeated HELP for ") + n;
            seenHelp.insert(n);
            continue;
        }
        if (line.startsWith(QLatin1String("# TYPE "))) {
            const QStringList parts = line.split(u' ');
            if (parts.size() != 4 || !name.match(parts[2]).hasMatch() ||
                !QStringList{QStringLiteral("counter"), QStringLiteral("gauge"),
                             QStringLiteral("histogram"), QStringLiteral("summary"),
                             QStringLiteral("untyped")}
                     .contains(parts[3]))
                problems << where + QStringLiteral("bad TYPE line");
            else if (declared->contains(parts[2]))
                problems << where + QStringLiteral("second TYPE for ") + parts[2];
            family = parts.value(2);
            type = parts.value(3);
            declared->insert(family, type);
            if (type == QLatin1String("counter") && !family.endsWith(QLatin1String("_total")))
                problems << where + QStringLiteral("counter without _total: ") + family;
            continue;
        }
        if (line.isEmpty() || line.startsWith(u'#')) {
            problems << where + QStringLiteral("unexpected line");
            continue;
        }
        const auto m = sample.match(line);
        if (!m.hasMatch()) {
            problems << where + QStringLiteral("not a sample: ") + line.left(120);
            continue;
        }
        const QString n = m.captured(1);
        const bool inFamily = n == family || (type == QLatin1String("histogram") &&
                                              (n == family + QLatin1String("_bucket") ||
                                               n == family + QLatin1String("_sum") ||
                                               n == family + QLatin1String("_count")));
        if (!inFamily)
            problems << where + n +
                            QStringLiteral(" is not in the family its TYPE line declared (") +
                            family + u')';
        const QString series = n + m.captured(2);
        if (seenSeries.contains(series))
            problems << where + QStringLiteral("repeated series ") + series;
        seenSeries.insert(series);
        bool ok = false;
        const QString value = m.captured(4);
        value.toDouble(&ok);
        if (!ok && value != QLatin1String("+Inf") && value != QLatin1String("-Inf") &&
            value != QLatin1String("NaN"))
            problems << where + QStringLiteral("bad value ") + value;
    }
    return problems;
}

} // namespace ms::test
