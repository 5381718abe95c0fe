// MainWindow's state across launches and sizes: geometry (never larger than the screen on the
// first launch), the Markets split (the chart keeps what its controls need), tab, selection,
// filter.
#include "chart_panel.h"
#include "main_window.h"
#include "watchlist_panel.h"

#include <QResizeEvent>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <algorithm>

namespace ms {

void MainWindow::fitMarketsSplitter(bool initial)
{
    // The chart gets what its controls need before the watchlist gets more than its minimum, so
    // neither is cut at 1024 px when it can be helped; on the first launch the watchlist gets about
    // a fifth of the width (~190 px at 1024, ~480 at 2560: symbol, last and 24 h; the rest of its
    // columns scroll), the chart the rest. A split the user chose (the splitter's handle, saved
    // with the window) is only changed when the chart would be cut.
    auto *split = findChild<QSplitter *>(QStringLiteral("marketsSplitter"));
    if (!split || split->count() != 2)
        return;
    const QList<int> sizes = split->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    const int chartNeeds = m_charts->minimumSizeHint().width() + 2;
    const int most = std::max(m_watchlist->minimumWidth(), total - chartNeeds);
    const int list =
        initial ? std::clamp(total * 19 / 100, m_watchlist->minimumWidth(), std::min(most, 480))
                : std::min(sizes.value(0), most);
    if (list != sizes.value(0))
        split->setSizes({list, total - list});
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    QTimer::singleShot(0, this, [this] { fitMarketsSplitter(false); });
}

void MainWindow::saveWindowState()
{
    m_settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("window/state"), saveState());
    m_settings->setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
    if (auto *split = findChild<QSplitter *>(QStringLiteral("marketsSplitter")))
        m_settings->setValue(QStringLiteral("window/marketsSplitter"), split->saveState());
    const QString symbol = m_charts->symbol();
    if (!symbol.isEmpty())
        m_settings->setValue(QStringLiteral("watchlist/selected"), symbol);
    m_settings->setValue(QStringLiteral("watchlist/assetFilter"), m_watchlist->assetFilter());
    m_charts->saveState(*m_settings);
    m_settings->sync();
}

void MainWindow::restoreWindowState()
{
    if (!restoreGeometry(m_settings->value(QStringLiteral("window/geometry")).toByteArray())) {
        // First launch: 1400×860, but never more than the screen has (a 1024×700 laptop too).
        const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1400, 860);
        resize(std::min(1400, avail.width()), std::min(860, avail.height()));
    }
    restoreState(m_settings->value(QStringLiteral("window/state")).toByteArray());
    m_tabs->setCurrentIndex(m_settings->value(QStringLiteral("window/tab"), 0).toInt());
    auto *split = findChild<QSplitter *>(QStringLiteral("marketsSplitter"));
    if (split && !split->restoreState(
                     m_settings->value(QStringLiteral("window/marketsSplitter")).toByteArray()))
        QTimer::singleShot(0, this, [this] { fitMarketsSplitter(true); });
    m_watchlist->setAssetFilter(
        m_settings->value(QStringLiteral("watchlist/assetFilter")).toString());
    const QString selected = m_settings->value(QStringLiteral("watchlist/selected")).toString();
    if (!selected.isEmpty())
        m_watchlist->selectSymbol(selected);
    m_charts->restoreState(*m_settings);
}

} // namespace ms
