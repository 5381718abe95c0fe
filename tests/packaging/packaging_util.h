#pragma once
// Helpers for the packaging tests: run a tool, read a repo file, parse package lists out of
// scripts/install-deps.sh and the Dockerfile. Header-only, test code only.
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>

#include <algorithm>

namespace ms::test {

struct ProcessResult
{
    bool started = false;
    bool finished = false;   // false = timed out (killed)
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe() const
    {
        return QStringLiteral("started=%1 finished=%2 exit=%3\nstdout: %4\nstderr: %5")
            .arg(started).arg(finished).arg(exitCode)
            .arg(QString::fromUtf8(out.right(2000)), QString::fromUtf8(err.right(2000)));
    }
    bool ok() const { return started && finished && exitCode == 0; }
};

inline ProcessResult runTool(const QString &program, const QStringList &args, int timeoutMs = 60000,
                             const QString &workDir = {}, const QByteArray &stdinData = {},
                             const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    ProcessResult r;
    QProcess p;
    p.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    r.started = p.waitForStarted(10000);
    if (!r.started)
        return r;
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    r.finished = p.waitForFinished(timeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(2000);
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

inline QString readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

inline QStringList sorted(QStringList list)
{
    list.removeDuplicates();
    std::sort(list.begin(), list.end());
    return list;
}

// The words of the first `NAME=( ... )` bash array in a script (comments stripped).
inline QStringList bashArray(const QString &script, const QString &name)
{
    const qsizetype start = script.indexOf(name + QStringLiteral("=("));
    if (start < 0)
        return {};
    const qsizetype open = start + name.size() + 2;
    const qsizetype close = script.indexOf(QLatin1Char(')'), open);
    if (close < 0)
        return {};
    QStringList words;
    const QStringList lines = script.mid(open, close - open).split(QLatin1Char('\n'));
    for (QString line : lines) {
        const qsizetype hash = line.indexOf(QLatin1Char('#'));
        if (hash >= 0)
            line.truncate(hash);
        words += line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    }
    return words;
}

// Dockerfile stages: stage name (the `AS` name, or the index) → packages named by `apt-get install`
// in that stage's RUN instructions. Continuation lines are joined first.
inline QMap<QString, QStringList> dockerfileAptPackages(const QString &dockerfile)
{
    QString joined = dockerfile;
    joined.replace(QRegularExpression(QStringLiteral("\\\\\\s*\\n")), QStringLiteral(" "));
    QMap<QString, QStringList> stages;
    QString stage;
    int index = 0;
    const QStringList lines = joined.split(QLatin1Char('\n'));
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList words = line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
        if (words.isEmpty())
            continue;
        if (words.first().compare(QLatin1String("FROM"), Qt::CaseInsensitive) == 0) {
            const qsizetype as = words.indexOf(QStringLiteral("AS"));
            stage = (as >= 0 && as + 1 < words.size()) ? words.at(as + 1) : QString::number(index);
            ++index;
            stages.insert(stage, {});
            continue;
        }
        if (words.first().compare(QLatin1String("RUN"), Qt::CaseInsensitive) != 0)
            continue;
        for (qsizetype i = 0; i + 1 < words.size(); ++i) {
            if (words.at(i) != QLatin1String("apt-get") || words.at(i + 1) != QLatin1String("install"))
                continue;
            for (qsizetype j = i + 2; j < words.size(); ++j) {
                const QString &w = words.at(j);
                if (w == QLatin1String("&&") || w == QLatin1String(";") || w == QLatin1String("||"))
                    break;
                if (!w.startsWith(QLatin1Char('-')))
                    stages[stage] += w;
            }
        }
    }
    return stages;
}

}  // namespace ms::test
