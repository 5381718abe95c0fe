#pragma once
// Runs the real marketstream binary as a child process and parses its summary line.
#include "test_util.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace ms::test {

struct HeadlessResult
{
    int exitCode = -1;
    bool finished = false;
    QString out, err;
    QJsonObject summary;  // the last stdout line, when it is a JSON object
};

inline HeadlessResult runApp(const QStringList &args, int timeoutMs = 120000, const QString &workDir = {})
{
    HeadlessResult r;
    QProcess p;
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    dieWithTest(p);
    p.start(QStringLiteral(MS_APP_PATH), args);
    r.finished = p.waitForFinished(timeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(3000);
    }
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    const QStringList lines = r.out.trimmed().split(u'\n');
    if (!lines.isEmpty())
        r.summary = QJsonDocument::fromJson(lines.last().toUtf8()).object();
    return r;
}

}  // namespace ms::test
