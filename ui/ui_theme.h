#pragma once
// Colours shared by the widgets, and the dark palette used when the system is dark.
// Qt 6.4 has no QStyleHints::colorScheme (6.5): a system is "dark" when the default palette's
// window colour is dark.
#include <QColor>
#include <QPalette>

class QApplication;

namespace ms::ui {

bool systemPrefersDark(const QPalette &defaultPalette);
QPalette darkPalette();
// Fusion style + dark palette when the system is dark; returns whether dark is in use.
bool applySystemTheme(QApplication &app);
bool isDarkTheme();

QColor upColor();    // rising prices
QColor downColor();  // falling prices
QColor accentColor();
// A colour for the n-th data series of a chart, readable on the current theme.
QColor seriesColor(int n);
// Chart grid and axis lines: a faint line, opaque (pre-blended onto the palette's Base colour).
// A translucent pen makes the raster engine blend every antialiased line pixel one by one; with
// the grid repainted every frame that was the largest part of a chart's render time.
QColor gridColor(const QPalette &palette);

}  // namespace ms::ui
