#pragma once
// Entry point of the desktop monitor. app/main.cpp calls runDesktop() when --headless is not given.
//
// Options read here (declare them in the app's own parser too so it does not reject them):
//   --start                      start the pipeline as soon as the window is shown
//   --screenshot FILE            save a PNG of the main window (QWidget::grab) and quit
//   --screenshot-after SECONDS   when to take it (default 5; implies nothing without --screenshot)
//   --settings-file FILE         use an INI file instead of the user's QSettings (tests, demos)
// Environment equivalents: MS_AUTOSTART=1, MS_SCREENSHOT, MS_SCREENSHOT_AFTER, MS_SETTINGS_FILE.
// For the documentation's pictures (scripts/screenshot-shell): MS_SCREENSHOT_SIZE=WxH sizes the
// window; MS_SCREENSHOT_MENU=View opens that menu, MS_SCREENSHOT_SETTINGS=Database the Settings
// dialog on that tab; with either, the picture is of the whole screen.
// MS_THEME=dark|light overrides the system theme; MS_NO_KEYCHAIN=1 keeps secrets in .env.
#include "runtime/config.h"

#include <QString>

namespace ms {

// Prometheus metrics of the window's pipeline (--metrics-port / --metrics-bind): port -1 = off.
struct DesktopMetricsOptions
{
    int port = -1;
    QString bind = QStringLiteral("127.0.0.1");
};

int runDesktop(int argc, char **argv, const ms::PipelineConfig &base, const DesktopMetricsOptions &metrics = {});

}  // namespace ms
