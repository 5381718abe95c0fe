#pragma once
// A MetricsSnapshot in the Prometheus text exposition format 0.0.4. The counters are the headless
// summary's figures under the same names: marketstream_<summary key>_total (README, "Metrics").
// Base units (seconds, bytes), labels for topic/partition/source/reason/state, never names.
#include "metrics_http/metrics_http_server.h"
#include "runtime/metrics.h"
#include "runtime/pipeline.h"

#include <QByteArray>

namespace ms {

inline constexpr const char *kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

QByteArray prometheusText(const MetricsSnapshot &m, Pipeline::State state);

// Label values escape \ " and newline; HELP text escapes \ and newline (the format's rules).
QByteArray prometheusLabelValue(const QString &value);

// Serves this pipeline's metrics (headless and window alike); logs the URL. The pipeline must
// outlive the server.
Result<std::unique_ptr<MetricsHttpServer>>
servePipelineMetrics(const Pipeline &pipeline, const QString &address, quint16 port);

} // namespace ms
