#pragma once
// Help > About: the application, Qt and librdkafka versions, the licence (binaries that link Qt
// Charts are GPL-3) and links to the documentation. aboutHtml() is separate from the box so the
// text is tested without clicking through a modal dialog.
#include <QString>

class QWidget;

namespace ms::ui {

// The folder holding README.md / docs for this installation, or empty when none is found:
// <prefix>/share/doc/marketstream next to an installed binary, else the source tree's docs/.
QString documentationFolder();
QString aboutHtml();
void showAboutBox(QWidget *parent);

} // namespace ms::ui
