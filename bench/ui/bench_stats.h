#pragma once
// Small helpers shared by the UI benchmarks: percentiles, the calling thread's CPU time, and
// "--name value" arguments.
#include <QString>
#include <QStringList>
#include <algorithm>
#include <ctime>
#include <vector>

namespace ms::bench {

struct Stats
{
    double mean = 0, p50 = 0, p99 = 0, max = 0;
};

inline Stats summarize(std::vector<double> v)
{
    Stats s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    for (double x : v)
        s.mean += x;
    s.mean /= double(v.size());
    s.p50 = v[v.size() / 2];
    s.p99 = v[std::min(v.size() - 1, size_t(double(v.size()) * 0.99))];
    s.max = v.back();
    return s;
}

// CPU time of the calling thread (ms): the part of a wall-clock figure that was this thread's own
// work, as opposed to waiting for a core on a loaded machine.
inline double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// CPU time of the whole process, every thread (ms).
inline double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

inline QString argValue(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

} // namespace ms::bench
