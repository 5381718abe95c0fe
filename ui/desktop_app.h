#pragma once
// Entry point of the desktop monitor. app/main.cpp calls runDesktop() when --headless is not given,
// with the options its command-line parser (app/cli_options.cpp) filled: see desktop_options.h.
// The window parses no command line of its own.
//
// Environment-only knobs, for the documentation's pictures (scripts/screenshot-shell): MS_SCREENSHOT_SIZE=WxH sizes the
// window; MS_SCREENSHOT_MENU=View opens that menu, MS_SCREENSHOT_SETTINGS=Database the Settings
// dialog on that tab; with either, the picture is of the whole screen.
// MS_THEME=dark|light overrides the system theme; MS_NO_KEYCHAIN=1 keeps secrets in .env.
#include "desktop_options.h"
#include "runtime/config.h"

#include <QString>

namespace ms {

// Prometheus metrics of the window's pipeline (--metrics-port / --metrics-bind): port -1 = off.
struct DesktopMetricsOptions
{
    int port = -1;
    QString bind = QStringLiteral("127.0.0.1");
};

int runDesktop(int argc, char **argv, const PipelineConfig &base, const DesktopOptions &options,
               const DesktopMetricsOptions &metrics = {});

}  // namespace ms
