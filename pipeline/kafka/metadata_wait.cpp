#include "kafka/metadata_wait.h"

#include "kafka/handles.h"

#include <algorithm>
#include <chrono>

namespace ms::kafka {

namespace {
using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline)
{
    return int(std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
}
}  // namespace

rd_kafka_resp_err_t metadataInSlices(rd_kafka_t *rk, rd_kafka_topic_t *topic, const rd_kafka_metadata_t **md,
                                     int timeoutMs, const std::atomic_bool *cancel)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    int slice = 10;
    while (true) {
        if (cancel && cancel->load())
            return RD_KAFKA_RESP_ERR__INTR;
        const int wait = std::min(slice, remainingMs(deadline));
        const rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, topic, md, std::max(1, wait));
        const bool retryable = e == RD_KAFKA_RESP_ERR__TIMED_OUT || e == RD_KAFKA_RESP_ERR__TRANSPORT;
        if (!retryable || remainingMs(deadline) == 0)
            return e;
        slice = std::min(slice * 2, cancel ? 100 : 500);  // a cancel is seen within 100 ms
    }
}

QString clusterIdInSlices(rd_kafka_t *rk, int timeoutMs)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    int slice = 10;
    while (true) {
        KafkaString id(rd_kafka_clusterid(rk, std::max(1, std::min(slice, remainingMs(deadline)))), KafkaMemDeleter{rk});
        if (id)
            return QString::fromUtf8(id.get());
        if (remainingMs(deadline) == 0)
            return {};
        slice = std::min(slice * 2, 500);
    }
}

}  // namespace ms::kafka
