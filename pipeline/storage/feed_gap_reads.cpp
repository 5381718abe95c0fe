// TickStore's reads of migration 051: the gap detector's state and the stored feed gaps.
#include "storage/database.h"
#include "storage/sql_time.h"
#include "storage/tick_store.h"
#include "storage/tick_store_impl.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ms {

using namespace storage_detail;

namespace {

std::string str(const QVariant &v)
{
    return v.toString().toStdString();
}

}  // namespace

#define MS_RUN_GAP_QUERY(q, what)                                                                        \
    if (!(q).exec()) {                                                                                   \
        const QString why = QStringLiteral(what) + QStringLiteral(": ") + (q).lastError().text().simplified(); \
        return makeError(why, connectionLost() ? QStringLiteral("db_unreachable") : QStringLiteral("db_rejected")); \
    }

Result<std::vector<GapStreamState>> TickStore::loadGapStates()
{
    if (Status s = ensureConnected(); !s)
        return s.error();
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT source, asset_class, symbol, stream, last_ts_ms, last_seq, estimate, samples "
                             "FROM feed_gap_state"));
    MS_RUN_GAP_QUERY(q, "Reading the gap detector's state")
    std::vector<GapStreamState> out;
    while (q.next()) {
        const auto source = sourceKindFromString(str(q.value(0)));
        const auto asset = assetClassFromString(str(q.value(1)));
        if (!source || !asset)
            continue;  // written by a newer version: not ours to judge
        out.push_back(GapStreamState{*source, *asset, str(q.value(2)), str(q.value(3)), q.value(4).toLongLong(),
                                     q.value(5).toLongLong(), q.value(6).toDouble(), q.value(7).toInt()});
    }
    return out;
}

Result<std::vector<FeedGap>> TickStore::loadFeedGaps(AssetClass asset, const std::string &symbol, qint64 fromMs,
                                                     qint64 toMs)
{
    if (Status s = ensureConnected(); !s)
        return s.error();
    const bool pg = m_url.isPostgres();
    auto ts = [pg](const char *col) {
        return pg ? QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')").arg(QLatin1String(col))
                  : QString::fromLatin1(col);
    };
    const QString param = pg ? QStringLiteral("CAST(? AS timestamptz)") : QStringLiteral("?");
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT source, kind, stream, %1, %2, missing, threshold_ms, %3 FROM feed_gaps "
                             "WHERE symbol = ? AND asset_class = ? AND gap_end >= %4 AND gap_start < %4 "
                             "ORDER BY gap_start, kind, stream")
                  .arg(ts("gap_start"), ts("gap_end"), ts("detected_at"), param));
    q.addBindValue(QString::fromStdString(symbol));
    q.addBindValue(QString::fromLatin1(wireName(asset).data(), qsizetype(wireName(asset).size())));
    q.addBindValue(timeParam(fromMs));
    q.addBindValue(timeParam(toMs));
    MS_RUN_GAP_QUERY(q, "Reading feed gaps")
    std::vector<FeedGap> out;
    while (q.next()) {
        FeedGap g;
        g.source = sourceKindFromString(str(q.value(0))).value_or(SourceKind::Simulator);
        g.asset = asset;
        g.symbol = symbol;
        g.kind = str(q.value(1)) == "sequence" ? GapKind::Sequence : GapKind::Silence;
        g.stream = str(q.value(2));
        g.startMs = timeValue(q.value(3));
        g.endMs = timeValue(q.value(4));
        g.missing = q.value(5).toLongLong();
        g.thresholdMs = q.value(6).toLongLong();
        g.detectedAtMs = timeValue(q.value(7));
        out.push_back(std::move(g));
    }
    return out;
}

}  // namespace ms
