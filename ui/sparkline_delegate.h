#pragma once
// Paints the watchlist's Trend column: a tiny line of the last two minutes, coloured up/down.
#include <QStyledItemDelegate>

namespace ms::ui {

class SparklineDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

}  // namespace ms::ui
