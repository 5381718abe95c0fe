#include "desktop_app.h"

#include "main_window.h"
#include "ui_theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>

#include <cstdio>

namespace ms {

namespace {

struct DesktopOptions
{
    bool start = false;
    QString screenshotFile;
    double screenshotAfterSec = 5;
    QString settingsFile;
};

// Only the options this file owns; everything else belongs to app/main.cpp and is ignored here.
DesktopOptions parseDesktopOptions(const QStringList &args)
{
    DesktopOptions o;
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &a = args.at(i);
        auto value = [&](const QString &name) -> QString {
            if (a.startsWith(name + u'='))
                return a.mid(name.size() + 1);
            if (a == name && i + 1 < args.size())
                return args.at(++i);
            return {};
        };
        if (a == QLatin1String("--start"))
            o.start = true;
        else if (a.startsWith(QLatin1String("--screenshot-after")))
            o.screenshotAfterSec = value(QStringLiteral("--screenshot-after")).toDouble();
        else if (a.startsWith(QLatin1String("--screenshot")))
            o.screenshotFile = value(QStringLiteral("--screenshot"));
        else if (a.startsWith(QLatin1String("--settings-file")))
            o.settingsFile = value(QStringLiteral("--settings-file"));
    }
    return o;
}

}  // namespace

int runDesktop(int argc, char **argv, const ms::PipelineConfig &base)
{
    QApplication app(argc, argv);
    if (QCoreApplication::organizationName().isEmpty())
        QCoreApplication::setOrganizationName(QStringLiteral("MarketStream"));
    if (QCoreApplication::applicationName().isEmpty() || QCoreApplication::applicationName() == QLatin1String("marketstream"))
        QCoreApplication::setApplicationName(QStringLiteral("MarketStream"));
    QApplication::setApplicationDisplayName(QStringLiteral("MarketStream"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/marketstream.png")));
    ui::applySystemTheme(app);

    const DesktopOptions opts = parseDesktopOptions(QCoreApplication::arguments());
    MainWindow window(base, opts.settingsFile);
    window.show();
    if (opts.start)
        QTimer::singleShot(0, &window, &MainWindow::startPipeline);

    if (!opts.screenshotFile.isEmpty()) {
        const int afterMs = int(std::max(0.1, opts.screenshotAfterSec) * 1000);
        QTimer::singleShot(afterMs, &window, [&window, file = opts.screenshotFile] {
            const QFileInfo info(file);
            QDir().mkpath(info.absolutePath());
            const bool saved = window.grab().save(file, "PNG");
            std::fprintf(saved ? stdout : stderr, "%s %s\n", saved ? "screenshot saved to" : "could not save screenshot to",
                         qPrintable(QDir::toNativeSeparators(info.absoluteFilePath())));
            window.close();  // stops the pipeline (bounded) before quitting
        });
    }
    return app.exec();
}

}  // namespace ms
