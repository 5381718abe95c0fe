#pragma once
// Helpers shared by the window tests: a configuration that runs the simulator on the embedded
// broker into SQLite inside a temporary directory, and thread counting.
#include "runtime/config.h"
#include "runtime/issue_log.h"

#include <QDir>
#include <QString>

namespace ms::uitest {

inline PipelineConfig simulatorConfig(const QString &dir, double rate = 2000)
{
    PipelineConfig c;
    c.kafkaBootstrap.clear();  // embedded broker
    c.databaseUrl = QStringLiteral("sqlite://") + dir + QStringLiteral("/ticks.db");  // dir is absolute
    c.sources = {SourceSpec{QStringLiteral("simulator"), {}}};
    c.rate = rate;
    c.embeddedPartitions = 2;
    c.consumerGroup = QStringLiteral("ui-test");
    return c;
}

inline int threadCount()
{
    return int(QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

// The newest issue-log lines, for failure messages ("why did the pipeline not start?").
inline QByteArray recentIssues(int count = 8)
{
    const std::vector<IssueEntry> all = IssueLog::instance().entriesSince(0);
    QByteArray out;
    for (size_t i = all.size() > size_t(count) ? all.size() - size_t(count) : 0; i < all.size(); ++i)
        out += '\n' + all[i].component.toUtf8() + ": " + all[i].message.toUtf8();
    return out;
}

}  // namespace ms::uitest
