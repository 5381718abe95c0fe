#include "ui_theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

#include <cmath>
#include <optional>

namespace ms::ui {

namespace {
bool g_dark = false;
std::optional<QPalette> g_systemPalette;  // what the platform gave, before we changed anything

const QPalette &systemPalette()
{
    if (!g_systemPalette)
        g_systemPalette = QApplication::palette();
    return *g_systemPalette;
}
}  // namespace

bool systemPrefersDark(const QPalette &defaultPalette)
{
    return defaultPalette.color(QPalette::Window).lightness() < 128;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x1e, 0x22, 0x2b);
    const QColor base(0x16, 0x19, 0x20);
    const QColor text(0xdc, 0xe1, 0xea);
    const QColor disabled(0x7a, 0x80, 0x8c);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x1c, 0x20, 0x28));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2a, 0x2f, 0x3a));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x5a, 0xa9, 0xff));
    p.setColor(QPalette::Mid, QColor(0x3a, 0x40, 0x4c));
    p.setColor(QPalette::Dark, QColor(0x12, 0x14, 0x1a));
    p.setColor(QPalette::Light, QColor(0x3c, 0x42, 0x50));
    p.setColor(QPalette::Disabled, QPalette::Text, disabled);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, disabled);
    p.setColor(QPalette::Disabled, QPalette::WindowText, disabled);
    return p;
}

QPalette lightPalette()
{
    // Fusion's own light palette: the system one may be dark, and "Light" must mean light.
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"))) {
        const QPalette p = fusion->standardPalette();
        delete fusion;
        return p;
    }
    return QApplication::style()->standardPalette();
}

QString themeChoiceName(ThemeChoice choice)
{
    switch (choice) {
    case ThemeChoice::Light: return QStringLiteral("light");
    case ThemeChoice::Dark: return QStringLiteral("dark");
    case ThemeChoice::System: break;
    }
    return QStringLiteral("system");
}

ThemeChoice themeChoiceFromName(const QString &name)
{
    if (name == QLatin1String("light"))
        return ThemeChoice::Light;
    if (name == QLatin1String("dark"))
        return ThemeChoice::Dark;
    return ThemeChoice::System;
}

bool applyTheme(ThemeChoice choice)
{
    const QPalette &system = systemPalette();
    if (QStyleFactory::keys().contains(QStringLiteral("Fusion"))
        && QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStringLiteral("Fusion"));
    switch (choice) {
    case ThemeChoice::Dark: g_dark = true; break;
    case ThemeChoice::Light: g_dark = false; break;
    case ThemeChoice::System: g_dark = systemPrefersDark(system); break;
    }
    if (g_dark)
        QApplication::setPalette(darkPalette());
    else
        QApplication::setPalette(choice == ThemeChoice::Light ? lightPalette() : system);
    return g_dark;
}

bool applySystemTheme(QApplication &app)
{
    Q_UNUSED(app);
    const QString forced = qEnvironmentVariable("MS_THEME");
    return applyTheme(forced == QLatin1String("dark")    ? ThemeChoice::Dark
                      : forced == QLatin1String("light") ? ThemeChoice::Light
                                                         : ThemeChoice::System);
}

bool isDarkTheme()
{
    return g_dark;
}

QColor upColor()
{
    return g_dark ? QColor(0x26, 0xc2, 0x8f) : QColor(0x14, 0x8f, 0x5a);
}

QColor downColor()
{
    return g_dark ? QColor(0xef, 0x5a, 0x5a) : QColor(0xc6, 0x28, 0x28);
}

QColor accentColor()
{
    return g_dark ? QColor(0x39, 0xc2, 0xff) : QColor(0x1f, 0x6f, 0xd0);
}

QColor seriesColor(int n)
{
    static const QColor dark[] = {QColor(0x39, 0xc2, 0xff), QColor(0xff, 0xb3, 0x47), QColor(0x5c, 0xf2, 0xa8),
                                  QColor(0xe0, 0x7b, 0xff), QColor(0xff, 0x6b, 0x6b), QColor(0xc8, 0xd0, 0xdc)};
    static const QColor light[] = {QColor(0x1f, 0x6f, 0xd0), QColor(0xd9, 0x7a, 0x00), QColor(0x14, 0x8f, 0x5a),
                                   QColor(0x8e, 0x3c, 0xc8), QColor(0xc6, 0x28, 0x28), QColor(0x55, 0x5c, 0x66)};
    const int i = ((n % 6) + 6) % 6;
    return g_dark ? dark[i] : light[i];
}

QColor gridColor(const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor ink = isDarkTheme() ? QColor(255, 255, 255) : QColor(0, 0, 0);
    const double a = 28.0 / 255.0;  // the alpha the grid had as a translucent colour
    auto mix = [a](int under, int over) { return int(std::lround(under * (1 - a) + over * a)); };
    return QColor(mix(base.red(), ink.red()), mix(base.green(), ink.green()), mix(base.blue(), ink.blue()));
}

}  // namespace ms::ui
