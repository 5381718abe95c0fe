#include "storage/feed_gap_history.h"

#include "storage/database.h"
#include "storage/sql_time.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <algorithm>
#include <atomic>

namespace ms {

using storage_detail::timeParam;
using storage_detail::timeValue;

Result<std::vector<FeedGap>> FeedGapHistory::overlapping(AssetClass asset,
                                                         const std::string &symbol, qint64 fromMs,
                                                         qint64 toMs, int limit) const
{
    std::vector<FeedGap> out;
    if (m_url.isSqlite() && !QFileInfo::exists(m_url.sqlitePath))
        return out;
    static std::atomic<int> next{0};
    const QString name = QStringLiteral("feed-gap-history-%1").arg(next.fetch_add(1));
    {
        Result<QSqlDatabase> db = openDatabase(m_url, name);
        if (!db) {
            closeDatabase(name);
            return db.error();
        }
        const bool pg = m_url.isPostgres();
        auto ts = [pg](const char *col) {
            return pg ? QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')")
                            .arg(QLatin1String(col))
                      : QString::fromLatin1(col);
        };
        const QString param = pg ? QStringLiteral("CAST(? AS timestamptz)") : QStringLiteral("?");
        QSqlQuery q(*db);
        q.setForwardOnly(true);
        q.prepare(
            QStringLiteral(
                "SELECT source, kind, stream, %1, %2, missing, threshold_ms, %3 FROM feed_gaps "
                "WHERE symbol = ? AND asset_class = ? AND gap_end >= %4 AND gap_start < %4 "
                "ORDER BY gap_end DESC LIMIT ?")
                .arg(ts("gap_start"), ts("gap_end"), ts("detected_at"), param));
        q.addBindValue(QString::fromStdString(symbol));
        q.addBindValue(
            QString::fromLatin1(wireName(asset).data(), qsizetype(wireName(asset).size())));
        q.addBindValue(timeParam(fromMs));
        q.addBindValue(timeParam(toMs));
        q.addBindValue(std::max(1, limit));
        if (!q.exec()) {
            Error e{QStringLiteral("Reading feed gaps: %1").arg(q.lastError().text()),
                    QStringLiteral("db_rejected")};
            q = QSqlQuery();
            *db = QSqlDatabase();
            closeDatabase(name);
            return e;
        }
        while (q.next()) {
            FeedGap g;
            g.source = sourceKindFromString(q.value(0).toString().toStdString())
                           .value_or(SourceKind::Simulator);
            g.asset = asset;
            g.symbol = symbol;
            g.kind = q.value(1).toString() == QLatin1String("sequence") ? GapKind::Sequence
                                                                        : GapKind::Silence;
            g.stream = q.value(2).toString().toStdString();
            g.startMs = timeValue(q.value(3));
            g.endMs = timeValue(q.value(4));
            g.missing = q.value(5).toLongLong();
            g.thresholdMs = q.value(6).toLongLong();
            g.detectedAtMs = timeValue(q.value(7));
            out.push_back(std::move(g));
        }
    }
    closeDatabase(name);
    std::reverse(out.begin(), out.end());
    return out;
}

} // namespace ms
