#include "toolbar_icons.h"

#include "ui_theme.h"

#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>

#include <functional>

namespace ms::ui {

namespace {

// One icon at the sizes a toolbar asks for (16 px, and 32 px on a 2x screen); `draw` paints into a
// unit square scaled to the pixmap.
QIcon drawnIcon(const std::function<void(QPainter &)> &draw)
{
    QIcon icon;
    for (int size : {16, 24, 32, 48}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(size, size);
        draw(painter);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

}  // namespace

QIcon startIcon()
{
    return drawnIcon([](QPainter &p) {
        QPainterPath triangle;
        triangle.moveTo(0.25, 0.15);
        triangle.lineTo(0.85, 0.5);
        triangle.lineTo(0.25, 0.85);
        triangle.closeSubpath();
        p.fillPath(triangle, upColor());
    });
}

QIcon stopIcon()
{
    return drawnIcon([](QPainter &p) { p.fillRect(QRectF(0.2, 0.2, 0.6, 0.6), downColor()); });
}

QIcon settingsIcon(const QPalette &palette)
{
    const QColor ink = palette.color(QPalette::WindowText);
    return drawnIcon([ink](QPainter &p) {
        // Three sliders: a track each, and a knob at a different place.
        const double knobs[] = {0.35, 0.7, 0.5};
        for (int i = 0; i < 3; ++i) {
            const double y = 0.22 + 0.28 * i;
            p.fillRect(QRectF(0.1, y - 0.04, 0.8, 0.08), ink);
            p.setPen(Qt::NoPen);
            p.setBrush(ink);
            p.drawEllipse(QPointF(knobs[i], y), 0.11, 0.11);
        }
    });
}

}  // namespace ms::ui
