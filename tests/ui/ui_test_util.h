#pragma once
// Helpers shared by the window tests: a configuration that runs the simulator on the embedded
// broker into SQLite inside a temporary directory, and thread counting.
#include "runtime/config.h"

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

}  // namespace ms::uitest
