// TickStore's read of migration 051: the gap detector's state (the charts read gaps through
// FeedGapHistory).
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

} // namespace

#define MS_RUN_GAP_QUERY(q, what)                                                                  \
    if (!(q).exec()) {                                                                             \
        const QString why =                                                                        \
            QStringLiteral(what) + QStringLiteral(": ") + (q).lastError().text().simplified();     \
        return makeError(why, connectionLost() ? QStringLiteral("db_unreachable")                  \
                                               : QStringLiteral("db_rejected"));                   \
    }

Result<std::vector<GapStreamState>> TickStore::loadGapStates()
{
    if (Status s = ensureConnected(); !s)
        return s.error();
    QSqlQuery q(d->db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT source, asset_class, symbol, stream, last_ts_ms, last_seq, estimate, samples "
        "FROM feed_gap_state"));
    MS_RUN_GAP_QUERY(q, "Reading the gap detector's state")
    std::vector<GapStreamState> out;
    while (q.next()) {
        const auto source = sourceKindFromString(str(q.value(0)));
        const auto asset = assetClassFromString(str(q.value(1)));
        if (!source || !asset)
            continue; // written by a newer version: not ours to judge
        out.push_back(GapStreamState{*source, *asset, str(q.value(2)), str(q.value(3)),
                                     q.value(4).toLongLong(), q.value(5).toLongLong(),
                                     q.value(6).toDouble(), q.value(7).toInt()});
    }
    return out;
}

} // namespace ms
