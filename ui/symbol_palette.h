#pragma once
// One colour per symbol everywhere in the app (charts, legends, the Power BI tab): a process-wide
// registry, no widgets. The original pipeline's ten symbols have fixed colours; any other symbol gets
// the free palette colour its name hashes to (or the next free one), kept for the rest of the run, so
// two symbols never share a colour while fewer than paletteSize() are shown, and a symbol keeps its
// colour across charts. Colours are mid-tone: readable on light and dark backgrounds. Thread-safe.
#include <QColor>
#include <QList>
#include <QString>

namespace ms::ui {

// The colour of a symbol ("BTC", "AAPL"; the name, not the symbol_key, so charts keyed either way agree).
QColor symbolColor(const QString &symbol);
// The distinct colours handed out before symbols start sharing hue families.
const QList<QColor> &symbolPalette();
inline int paletteSize() { return int(symbolPalette().size()); }

}  // namespace ms::ui
