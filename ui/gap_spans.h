#pragma once
// Feed gaps on the price chart: each stored gap (feed_gaps, migration 051) of the shown symbol that
// overlaps the visible range is a shaded span over the plot's full height, so a flat stretch of
// the line reads as "no data here", not as a calm market. The chart calls show() after laying
// out; the gaps of the visible range (plus one span either side) are read in the background
// (FeedGapHistory on the Qt Concurrent pool), again when the view leaves what was read or every
// few seconds while it stays (new gaps are found as ticks are stored). The GUI thread never waits.
#include "model/feed_gap.h"
#include "storage/feed_gap_history.h"

#include <QElapsedTimer>
#include <QGraphicsItem>
#include <QObject>
#include <QString>
#include <optional>
#include <vector>

namespace ms::ui {

class GapSpanItem : public QGraphicsItem
{
public:
    explicit GapSpanItem(QGraphicsItem *parent = nullptr);
    void show(std::vector<QRectF> spans, const QRectF &plot);
    const std::vector<QRectF> &spans() const { return m_spans; }
    QRectF boundingRect() const override { return m_plot; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    std::vector<QRectF> m_spans;
    QRectF m_plot;
};

class GapSpans : public QObject
{
    Q_OBJECT
public:
    // The spans are painted by an item made a child of `plotParent` (the price chart).
    explicit GapSpans(QGraphicsItem *plotParent, QObject *parent = nullptr);

    void show(const QString &databaseUrl, const QString &symbol, AssetClass asset, qint64 t0,
              qint64 t1, const QRectF &plot);
    const std::vector<FeedGap> &gaps() const { return m_gaps; } // read for the shown symbol
    const std::vector<QRectF> &spanRects() const { return m_item->spans(); } // on screen
    QRectF plotRect() const { return m_plot; }
    int loadsFinished() const { return m_loads; }

    static constexpr int kReloadMs = 5000;

Q_SIGNALS:
    void loaded();

private:
    void relayout();
    void load();

    GapSpanItem *m_item;
    QString m_url, m_symbol;
    AssetClass m_asset = AssetClass::Crypto;
    qint64 m_t0 = 0, m_t1 = 0;
    QRectF m_plot;
    std::vector<FeedGap> m_gaps;
    qint64 m_loadedFrom = 0, m_loadedTo = 0;
    QString m_loadedKey; // url + symbol the gaps belong to
    QElapsedTimer m_sinceLoad;
    bool m_busy = false;
    int m_loads = 0;
};

} // namespace ms::ui
