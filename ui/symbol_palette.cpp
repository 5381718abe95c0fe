#include "symbol_palette.h"

#include <QHash>
#include <QMutex>

namespace ms::ui {

namespace {

struct Registry
{
    QMutex mutex;
    QHash<QString, int> indexOf;  // symbol → palette index (or >= size for overflow colours)
    QList<bool> taken;
};

Registry &registry()
{
    static Registry r;
    return r;
}

// The ten original symbols, each its own colour (BTC orange like its logo, ETH blue, ...).
int fixedIndex(const QString &symbol)
{
    static const QHash<QString, int> fixed = {
        {QStringLiteral("BTC"), 1},  {QStringLiteral("ETH"), 0},  {QStringLiteral("SOL"), 6},
        {QStringLiteral("BNB"), 5},  {QStringLiteral("XRP"), 3},  {QStringLiteral("AAPL"), 9},
        {QStringLiteral("MSFT"), 4}, {QStringLiteral("TSLA"), 2}, {QStringLiteral("GOOGL"), 7},
        {QStringLiteral("AMZN"), 8},
    };
    return fixed.value(symbol, -1);
}

}  // namespace

const QList<QColor> &symbolPalette()
{
    // Tableau 10, tuned for contrast on both themes (no two within the same hue band).
    static const QList<QColor> colours = {
        QColor(0x4E, 0x79, 0xA7), QColor(0xF2, 0x8E, 0x2B), QColor(0xE1, 0x57, 0x59), QColor(0x76, 0xB7, 0xB2),
        QColor(0x59, 0xA1, 0x4F), QColor(0xED, 0xC9, 0x48), QColor(0xB0, 0x7A, 0xA1), QColor(0xFF, 0x9D, 0xA7),
        QColor(0x9C, 0x75, 0x5F), QColor(0x8E, 0x8A, 0xE0),
    };
    return colours;
}

QColor symbolColor(const QString &symbol)
{
    const QList<QColor> &colours = symbolPalette();
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    if (r.taken.isEmpty())
        r.taken = QList<bool>(colours.size(), false);
    if (const auto it = r.indexOf.constFind(symbol); it != r.indexOf.constEnd()) {
        const int i = it.value();
        return i < colours.size() ? colours.at(i) : QColor::fromHsv((i * 47) % 360, 150, 210);
    }
    int index = fixedIndex(symbol);
    if (index < 0 || r.taken.at(index)) {
        const int preferred = int(qHash(symbol, 0x5eed) % size_t(colours.size()));
        index = -1;
        for (int k = 0; k < colours.size() && index < 0; ++k) {
            const int candidate = (preferred + k) % int(colours.size());
            if (!r.taken.at(candidate))
                index = candidate;
        }
    }
    if (index < 0) {  // more symbols than colours: hues spread by a step coprime with 360
        index = int(colours.size() + r.indexOf.size());
        r.indexOf.insert(symbol, index);
        return QColor::fromHsv((index * 47) % 360, 150, 210);
    }
    r.taken[index] = true;
    r.indexOf.insert(symbol, index);
    return colours.at(index);
}

}  // namespace ms::ui
