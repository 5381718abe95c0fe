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
QPalette lightPalette();

// The user's choice in View > Theme, persisted as "system" / "light" / "dark" (key kThemeKey).
enum class ThemeChoice { System, Light, Dark };
inline constexpr const char *kThemeKey = "view/theme";
QString themeChoiceName(ThemeChoice choice);
ThemeChoice themeChoiceFromName(const QString &name);  // unknown names = System

// Fusion style + dark palette when the system is dark; returns whether dark is in use.
// MS_THEME=dark|light (environment) overrides the system, as before the View menu existed.
bool applySystemTheme(QApplication &app);
// Applies a choice at once (palette of every widget, colours below); returns whether dark is in use.
// The system palette is the one the application had before the first call.
bool applyTheme(ThemeChoice choice);
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
