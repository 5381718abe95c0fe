#pragma once
// What the desktop window takes from the command line, as a plain struct: app/cli_options.cpp fills
// it (the one command-line parser) and hands it to runDesktop(). Qt Core only, so the parser does
// not need the UI library to name it.
#include <QString>

namespace ms {

struct DesktopOptions
{
    bool start = false;            // --start (or MS_AUTOSTART=1): start the pipeline at launch
    QString screenshotFile;        // --screenshot FILE (or MS_SCREENSHOT): save a PNG and quit
    double screenshotAfterSec = 5; // --screenshot-after SECONDS (or MS_SCREENSHOT_AFTER)
    QString settingsFile; // --settings-file FILE (or MS_SETTINGS_FILE): instead of the user's
};

} // namespace ms
