#include "gap_spans.h"

#include <QFutureWatcher>
#include <QPainter>
#include <QtConcurrent>
#include <algorithm>

namespace ms::ui {

GapSpanItem::GapSpanItem(QGraphicsItem *parent) : QGraphicsItem(parent) {}

void GapSpanItem::show(std::vector<QRectF> spans, const QRectF &plot)
{
    prepareGeometryChange();
    m_spans = std::move(spans);
    m_plot = plot;
    update();
}

void GapSpanItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_spans.empty())
        return;
    // Neutral grey that reads on the light and the dark theme, edges dashed: a hole, not a price.
    const QColor fill(128, 128, 128, 56);
    QPen edge(QColor(128, 128, 128, 160), 0, Qt::DashLine);  // cosmetic: no dash stroker per frame
    painter->setClipRect(m_plot);
    for (const QRectF &r : m_spans) {
        painter->fillRect(r, fill);
        painter->setPen(edge);
        painter->drawLine(QPointF(r.left(), r.top()), QPointF(r.left(), r.bottom()));
        painter->drawLine(QPointF(r.right(), r.top()), QPointF(r.right(), r.bottom()));
    }
}

GapSpans::GapSpans(QGraphicsItem *plotParent, QObject *parent)
    : QObject(parent), m_item(new GapSpanItem(plotParent))
{
    m_item->setZValue(40); // under the candles (50) and lines (60)
}

void GapSpans::show(const QString &databaseUrl, const QString &symbol, AssetClass asset, qint64 t0,
                    qint64 t1, const QRectF &plot)
{
    m_url = databaseUrl;
    m_symbol = symbol;
    m_asset = asset;
    m_t0 = t0;
    m_t1 = t1;
    m_plot = plot;
    const bool sameKey = m_loadedKey == m_url + u'\n' + m_symbol;
    if (!sameKey)
        m_gaps.clear();
    relayout();
    if (m_url.isEmpty() || m_symbol.isEmpty() || t1 <= t0)
        return;
    const bool covered = sameKey && t0 >= m_loadedFrom && t1 <= m_loadedTo;
    if (!covered || !m_sinceLoad.isValid() || m_sinceLoad.elapsed() > kReloadMs)
        load();
}

void GapSpans::load()
{
    if (m_busy)
        return;
    auto url = DatabaseUrl::parse(m_url);
    if (!url)
        return;
    m_busy = true;
    const qint64 span = m_t1 - m_t0;
    const qint64 from = m_t0 - span, to = m_t1 + span;
    const QString key = m_url + u'\n' + m_symbol;
    auto *watcher = new QFutureWatcher<Result<std::vector<FeedGap>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, key, from, to] {
        m_busy = false;
        ++m_loads;
        Result<std::vector<FeedGap>> r = watcher->result();
        watcher->deleteLater();
        m_sinceLoad.start();
        if (key != m_url + u'\n' + m_symbol)
            return; // the chart moved on to another symbol or database meanwhile
        if (r) {
            m_gaps = std::move(*r);
            m_loadedKey = key;
            m_loadedFrom = from;
            m_loadedTo = to;
        }
        relayout();
        Q_EMIT loaded();
    });
    watcher->setFuture(QtConcurrent::run(
        [history = FeedGapHistory(*url), asset = m_asset, symbol = m_symbol.toStdString(), from,
         to] { return history.overlapping(asset, symbol, from, to); }));
}

void GapSpans::relayout()
{
    std::vector<QRectF> rects;
    if (m_t1 > m_t0 && m_plot.width() > 0) {
        const double perMs = m_plot.width() / double(m_t1 - m_t0);
        for (const FeedGap &g : m_gaps) {
            if (g.endMs < m_t0 || g.startMs >= m_t1)
                continue;
            double x0 = m_plot.left() + double(std::max(g.startMs, m_t0) - m_t0) * perMs;
            double x1 = m_plot.left() + double(std::min(g.endMs, m_t1) - m_t0) * perMs;
            if (x1 - x0 < 2) { // a hole narrower than a pixel still shows
                const double mid = (x0 + x1) / 2;
                x0 = mid - 1;
                x1 = mid + 1;
            }
            rects.emplace_back(QPointF(x0, m_plot.top()), QPointF(x1, m_plot.bottom()));
        }
    }
    m_item->show(std::move(rects), m_plot);
}

} // namespace ms::ui
