// ConsumerWorker, second part: storing one batch — merging only the ticks the database inserted,
// isolating what it refuses, making the dead letters durable first, retrying what is retryable.
#include "runtime/consumer_worker.h"
#include "runtime/issue_log.h"
#include "storage/database.h"

#include "model/time_util.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QThread>
#include <algorithm>

namespace ms {

namespace {
const QString kComponent = QStringLiteral("consumer");
} // namespace

void ConsumerWorker::pauseConsumer(bool pause)
{
    const Status s = pause ? m_consumer->pause() : m_consumer->resume();
    if (!s.ok())
        IssueLog::instance().warning(
            kComponent,
            QStringLiteral("cannot %1 the consumer: %2")
                .arg(pause ? QStringLiteral("pause") : QStringLiteral("resume"), s.errorMessage()));
}

Status ConsumerWorker::deriveCandles(std::span<const quint8> inserted, DerivedRows &out)
{
    // A previous attempt merged ticks and did not commit: start again from what the database holds
    // (inside this transaction the candles are still those of the last committed batch).
    if (m_builderStale) {
        if (Status s = rebuildCandles(m_assigned); !s.ok())
            return s;
    }
    m_builderStale = true; // until write() reports the commit
    if (m_gapsStale) {
        if (Status s = restoreGaps(m_assigned); !s.ok())
            return s;
    }
    m_gapsWorking = m_gapsCommitted; // this attempt's detector; kept only if it commits
    m_batchGaps.clear();
    const qint64 detectedAtMs = nowMs();
    m_candleRefused.clear();
    m_lateThisBatch = 0;
    for (size_t i = 0; i < m_ticks.size() && i < inserted.size(); ++i) {
        if (!inserted[i])
            continue; // already stored (a redelivery or a copy earlier in the batch): already
                      // counted
        const Tick &tick = m_ticks[i];
        // Gaps are judged on what is stored, in arrival order; a tick is never invented to fill one.
        m_gapsWorking.add(tick, detectedAtMs, out.feedGaps);
        const AddOutcome outcome = m_builder->add(tick);
        if (outcome.nonFiniteSum) {
            m_candleRefused.push_back(i);
            continue;
        }
        if (outcome.droppedAny()) {
            ++m_lateThisBatch;
            // Recorded with the tick, so an SQL recomputation of the candles can leave it out too.
            for (size_t k = 0; k < m_opt.candles.intervalsSec.size(); ++k) {
                if (outcome.droppedLateMask & (1u << k))
                    out.lateTicks.push_back(
                        LateTickRecord{tick, m_opt.candles.intervalsSec[k], outcome.watermarkMs});
            }
            if (++m_lateLogCount <= 20 || m_lateLogCount % 1000 == 0)
                IssueLog::instance().warning(
                    QStringLiteral("processing"),
                    QStringLiteral("late tick %1 %2 at %3 is past the watermark for %4 "
                                   "interval(s): stored, not merged into closed candles")
                        .arg(QString::fromStdString(tick.symbol), QString::fromStdString(tick.id))
                        .arg(tick.tsMs)
                        .arg(outcome.droppedCount()));
        }
    }
    if (!m_candleRefused.empty())
        return makeError(QStringLiteral("%1 tick(s) would make a candle sum non-finite")
                             .arg(m_candleRefused.size()),
                         QStringLiteral("candle_refused"));
    if (Status s = evaluateAlerts(inserted, out); !s.ok())
        return s;
    m_gapsWorking.takeChanged(out.gapStates);
    m_batchGaps = out.feedGaps;
    m_builder->takeUpdates(out.candles);
    m_builder->takeIndicators(out.indicators);
    m_candles = out.candles; // for the live view once committed
    m_indicators = out.indicators;
    return {};
}

void ConsumerWorker::logFeedGaps()
{
    for (const FeedGap &g : m_batchGaps) {
        // Every gap is stored and counted; the log keeps the first 100 and every 100th after.
        if (++m_gapLogCount > 100 && m_gapLogCount % 100 != 0)
            continue;
        const QString what = g.kind == GapKind::Silence
                                 ? QStringLiteral("silent for %1 s (allowed %2 s of market time)")
                                       .arg(double(g.endMs - g.startMs) / 1000.0, 0, 'f', 1)
                                       .arg(double(g.thresholdMs) / 1000.0, 0, 'f', 1)
                                 : QStringLiteral("sequence jumped, %1 trade id(s) missing in %2")
                                       .arg(g.missing)
                                       .arg(QString::fromStdString(g.stream));
        IssueLog::instance().warning(
            QStringLiteral("gaps"),
            QStringLiteral("feed gap in %1 %2 from %3 to %4: %5")
                .arg(QString::fromLatin1(wireName(g.source).data(), qsizetype(wireName(g.source).size())),
                     QString::fromStdString(g.symbol),
                     QDateTime::fromMSecsSinceEpoch(g.startMs, Qt::UTC).toString(Qt::ISODateWithMs),
                     QDateTime::fromMSecsSinceEpoch(g.endMs, Qt::UTC).toString(Qt::ISODateWithMs), what));
    }
    m_batchGaps.clear();
}

bool ConsumerWorker::deliverDeadLetters(const std::atomic_bool &stop)
{
    if (!m_deadLetters) {
        m_rejectsDelivered = m_rejects.size();
        return true;
    }
    int attempt = 0;
    bool queued =
        false; // still queued in the producer (only not acknowledged yet): do not write twice
    while (m_rejectsDelivered < m_rejects.size()) {
        Status s;
        for (size_t i = m_rejectsDelivered; i < m_rejects.size() && s.ok() && !queued; ++i)
            s = m_deadLetters->write(*m_rejects[i].message, m_rejects[i].reason,
                                     m_rejects[i].detail, stop);
        queued = s.ok();
        if (s.ok())
            s = m_deadLetters->flush(10000, stop);
        if (s.ok()) {
            m_metrics.deadLettered.fetch_add(qint64(m_rejects.size() - m_rejectsDelivered),
                                             std::memory_order_relaxed);
            m_rejectsDelivered = m_rejects.size();
            return true;
        }
        // A delivery failure (not just a wait) means some were lost: write them all again.
        queued = queued && s.error().code == QLatin1String("dlq_timeout");
        if (stop.load())
            return false; // nothing committed: the batch is read again on the next start
        // Never skip a message whose dead letter is not durable: wait and write them all again.
        const int delayMs = std::min(5000, 200 << std::min(attempt, 5));
        if (attempt == 0 || attempt % 10 == 0)
            IssueLog::instance().error(
                kComponent, QStringLiteral("cannot write %1 dead letter(s), the batch waits and "
                                           "retries: %2")
                                .arg(m_rejects.size() - m_rejectsDelivered)
                                .arg(s.errorMessage()));
        ++attempt;
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < delayMs) {
            if (stop.load())
                return false;
            QThread::msleep(20);
        }
    }
    return true;
}

Status ConsumerWorker::findRefusedTicks(size_t begin, size_t end,
                                        std::vector<std::pair<size_t, Error>> &out)
{
    if (begin >= end)
        return {};
    const Status s =
        m_store->probeTicks(std::span<const Tick>(m_ticks).subspan(begin, end - begin));
    if (s.ok())
        return {};
    if (!concernsData(s.error()))
        return s;
    if (end - begin == 1) {
        out.emplace_back(begin, s.error());
        return {};
    }
    const size_t mid = begin + (end - begin) / 2;
    if (Status l = findRefusedTicks(begin, mid, out); !l.ok())
        return l;
    return findRefusedTicks(mid, end, out);
}

void ConsumerWorker::dropTicks(const std::vector<std::pair<size_t, QString>> &refused,
                               const QString &reason)
{
    std::vector<quint8> drop(m_ticks.size(), 0);
    for (const auto &[i, detail] : refused) {
        drop[i] = 1;
        const kafka::Message &msg = m_batch->messages[m_tickMessage[i]];
        m_rejects.push_back(Reject{&msg, reason, detail});
        m_metrics.addRejected(reason);
        IssueLog::instance().warning(
            kComponent,
            QStringLiteral("rejected message %1/%2@%3 (%4): %5")
                .arg(QString::fromUtf8(msg.topic().data(), qsizetype(msg.topic().size())))
                .arg(msg.partition())
                .arg(msg.offset())
                .arg(reason, detail));
    }
    size_t w = 0;
    for (size_t i = 0; i < m_ticks.size(); ++i) {
        if (drop[i])
            continue;
        if (w != i) {
            m_ticks[w] = std::move(m_ticks[i]);
            m_tickMessage[w] = m_tickMessage[i];
            m_tickTimestamps[w] = m_tickTimestamps[i];
        }
        ++w;
    }
    m_ticks.resize(w);
    m_tickMessage.resize(w);
    m_tickTimestamps.resize(w);
}

ConsumerWorker::CommitOutcome
ConsumerWorker::commitWithRetry(WriteResult &result, const std::atomic_bool &stop, Error *fatal)
{
    int attempt = 0;
    bool paused = false;
    while (true) {
        // Dead letters (from decoding, or isolated below) are durable before the offsets commit.
        if (!deliverDeadLetters(stop))
            return CommitOutcome::Stopped;
        WriteBatch wb{m_ticks, {}, m_offsets};
        wb.smaPeriod = m_opt.candles.smaPeriod;
        wb.emaPeriod = m_opt.candles.emaPeriod;
        wb.deriveFromInserted = [this](std::span<const quint8> inserted, DerivedRows &out) {
            return deriveCandles(inserted, out);
        };
        auto r = m_store->write(wb);
        if (r.ok()) {
            m_builderStale = false;
            if (!m_gapsStale)
                m_gapsCommitted = std::move(m_gapsWorking);
            logFeedGaps();
            result = r.value();
            if (paused) {
                pauseConsumer(false);
                m_metrics.setDatabaseState(QStringLiteral("ok"));
                IssueLog::instance().info(QStringLiteral("database"),
                                          QStringLiteral("database is back; resuming"));
            }
            return CommitOutcome::Committed;
        }
        if (r.error().code == QLatin1String("candle_refused")) {
            std::vector<std::pair<size_t, QString>> refused;
            for (size_t i : m_candleRefused)
                refused.emplace_back(
                    i, QStringLiteral("volume or price*volume would overflow its candle's sums"));
            dropTicks(refused, QStringLiteral("candle_overflow"));
            continue;
        }
        if (concernsData(r.error())) {
            // Find the rows the database refuses, dead-letter them with its reason, store the rest.
            std::vector<std::pair<size_t, Error>> found;
            const Status probed = findRefusedTicks(0, m_ticks.size(), found);
            if (probed.ok() && !found.empty()) {
                std::vector<std::pair<size_t, QString>> refused;
                for (const auto &[i, e] : found)
                    refused.emplace_back(i, e.message);
                dropTicks(refused, QStringLiteral("db_refused"));
                continue;
            }
            if (probed.ok()) { // the ticks pass alone: a candle/offset row was refused
                *fatal = r.error();
                IssueLog::instance().error(
                    QStringLiteral("database"),
                    QStringLiteral("write rejected, consumer stops: %1").arg(r.errorMessage()));
                m_metrics.setDatabaseState(QStringLiteral("rejected: ") + r.errorMessage());
                return CommitOutcome::Rejected;
            }
            r = probed.error(); // the probe itself failed: classify that instead
        }
        m_metrics.dbErrors.fetch_add(1, std::memory_order_relaxed);
        if (!isRetryable(r.error())) {
            *fatal = r.error();
            IssueLog::instance().error(
                QStringLiteral("database"),
                QStringLiteral("write rejected, consumer stops: %1").arg(r.errorMessage()));
            m_metrics.setDatabaseState(QStringLiteral("rejected: ") + r.errorMessage());
            return CommitOutcome::Rejected;
        }
        if (!paused) {
            pauseConsumer(true);
            paused = true;
        }
        const int delayMs = std::min(5000, 100 << std::min(attempt, 6));
        ++attempt;
        m_metrics.setDatabaseState(QStringLiteral("unavailable (%1); retry %2 in %3 ms")
                                       .arg(r.errorMessage())
                                       .arg(attempt)
                                       .arg(delayMs));
        if (attempt == 1 || attempt % 10 == 0)
            IssueLog::instance().warning(
                QStringLiteral("database"),
                QStringLiteral("write failed, will retry the same batch: %1")
                    .arg(r.errorMessage()));
        reportLag();  // while the database is away the lag grows: show it (once per retry)
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < delayMs) {
            if (stop.load())
                return CommitOutcome::Stopped; // not committed: it is read again on the next start
            QThread::msleep(20);
        }
    }
}

} // namespace ms
