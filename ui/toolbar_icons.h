#pragma once
// The toolbar's icons, drawn for the current theme. Fusion's standard media icons are black
// pixmaps: on the dark theme Stop was a black square on a near-black bar.
#include <QIcon>

class QPalette;

namespace ms::ui {

QIcon startIcon();                         // a play triangle in the rising-price colour
QIcon stopIcon();                          // a square in the falling-price colour
QIcon settingsIcon(const QPalette &palette);  // three sliders in the palette's text colour

}  // namespace ms::ui
