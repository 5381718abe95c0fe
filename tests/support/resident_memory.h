#pragma once
// Resident memory (VmRSS) of a process from /proc, for the benchmarks that watch memory over a run.
#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

namespace ms::test {

// MiB resident for `pid` (0 = this process); 0 if it cannot be read.
inline double residentMemoryMb(qint64 pid = 0)
{
    QFile f(pid > 0 ? QStringLiteral("/proc/%1/status").arg(pid) : QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines)
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

}  // namespace ms::test
