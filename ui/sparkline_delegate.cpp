#include "sparkline_delegate.h"

#include "ui_theme.h"
#include "watchlist_model.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace ms::ui {

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, QModelIndex());  // background / selection only
    const auto pts = index.data(WatchlistModel::SparklineRole).value<QList<QPointF>>();
    if (pts.size() < 2)
        return;
    double x0 = pts.first().x(), x1 = pts.last().x();
    double y0 = pts.first().y(), y1 = y0;
    for (const QPointF &p : pts) {
        y0 = std::min(y0, p.y());
        y1 = std::max(y1, p.y());
    }
    if (x1 <= x0)
        return;
    if (y1 <= y0) {
        y0 -= 1;
        y1 += 1;
    }
    const QRectF r = QRectF(option.rect).adjusted(4, 4, -4, -4);
    QPainterPath path;
    for (qsizetype i = 0; i < pts.size(); ++i) {
        const QPointF q(r.left() + (pts[i].x() - x0) / (x1 - x0) * r.width(),
                        r.bottom() - (pts[i].y() - y0) / (y1 - y0) * r.height());
        if (i == 0)
            path.moveTo(q);
        else
            path.lineTo(q);
    }
    const bool up = pts.last().y() >= pts.first().y();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(up ? upColor() : downColor(), 1.5));
    painter->drawPath(path);
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return QSize(120, QStyledItemDelegate::sizeHint(option, index).height());
}

}  // namespace ms::ui
