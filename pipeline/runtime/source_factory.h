#pragma once
// Maps the configuration's source specs onto source objects (parentless: the pipeline moves each
// to its own thread and deletes it there).
#include "runtime/config.h"
#include "sources/source.h"

#include <memory>

namespace ms {

Result<std::unique_ptr<Source>> createSource(const SourceSpec &spec, const PipelineConfig &config);

// The source types the factory knows, for --help and validation.
QStringList knownSourceTypes();

}  // namespace ms
