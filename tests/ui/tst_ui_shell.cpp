// The window around the panels: menu bar (File, Pipeline, View, Help) with standard shortcuts, the
// theme chosen in View > Theme applied at once and kept across launches, About with the versions
// and the licence, a window that fits 1024×700, and a status bar that tells the truth after Stop.
#include "about_box.h"
#include "chart_panel.h"
#include "issues_panel.h"
#include "main_window.h"
#include "ui_test_util.h"
#include "ui_theme.h"
#include "watchlist_panel.h"
#if __has_include("powerbi/powerbi_view.h")
#include "powerbi/powerbi_view.h"
#endif

#include <QAction>
#include <QImage>
#include <QApplication>
#include <QChartView>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPointer>
#include <QScrollArea>
#include <QScrollBar>
#include <QToolBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <librdkafka/rdkafka.h>

#include <cmath>

using namespace ms;

class TstUiShell : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;

    QString freshIni() { return m_dir.filePath(QStringLiteral("shell-%1.ini").arg(++m_n)); }

    static QMenu *menuTitled(MainWindow &w, const QString &title)
    {
        for (QAction *a : w.menuBar()->actions())
            if (a->menu() && a->text().remove(u'&') == title)
                return a->menu();
        return nullptr;
    }

    static QStringList objectNames(const QMenu *m)
    {
        QStringList out;
        for (QAction *a : m->actions())
            if (!a->isSeparator())
                out << (a->objectName().isEmpty() && a->menu() ? a->menu()->title().remove(u'&')
                                                               : a->objectName());
        return out;
    }

    static void dumpMinimumWidths(QWidget *w, int depth = 0)
    {
        if (depth > 7 || !w->isVisible())
            return;
        const int min = w->minimumSizeHint().width();
        if (min > 300)
            qInfo("%*s%s (%s): minimumSizeHint %d, minimumWidth %d", depth * 2, "",
                  w->metaObject()->className(), qPrintable(w->objectName()), min,
                  w->minimumWidth());
        for (QObject *c : w->children())
            if (auto *cw = qobject_cast<QWidget *>(c); cw && !cw->isWindow())
                dumpMinimumWidths(cw, depth + 1);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("MS_NO_KEYCHAIN", "1");
        qunsetenv("MS_THEME");
        QVERIFY(m_dir.isValid());
    }

    void menuBarHasTheStandardMenus()
    {
        MainWindow w(uitest::simulatorConfig(m_dir.path()), freshIni());
        w.show();
        QMenu *file = menuTitled(w, QStringLiteral("File"));
        QMenu *pipeline = menuTitled(w, QStringLiteral("Pipeline"));
        QMenu *view = menuTitled(w, QStringLiteral("View"));
        QMenu *help = menuTitled(w, QStringLiteral("Help"));
        QVERIFY(file && pipeline && view && help);
        QCOMPARE(objectNames(file),
                 (QStringList{QStringLiteral("exportPowerBiAction"), QStringLiteral("replayAction"),
                              QStringLiteral("quitAction")}));
        QVERIFY(objectNames(pipeline).contains(QStringLiteral("startAction")));
        QVERIFY(objectNames(pipeline).contains(QStringLiteral("stopAction")));
        QVERIFY(objectNames(view).contains(QStringLiteral("Theme")));
        for (const char *name : {"showWatchlistAction", "showToolBarAction", "showStatusBarAction"})
            QVERIFY2(objectNames(view).contains(QLatin1String(name)), name);
        QVERIFY(objectNames(help).contains(QStringLiteral("aboutAction")));

        // Standard shortcuts, as the platform spells them.
        QCOMPARE(w.menuAction(QStringLiteral("quitAction"))->shortcut(),
                 QKeySequence(QKeySequence::Quit));
        QCOMPARE(w.menuAction(QStringLiteral("replayAction"))->shortcut(),
                 QKeySequence(QKeySequence::Open));
        QCOMPARE(w.settingsAction()->shortcut(), QKeySequence(QKeySequence::Preferences));
        QVERIFY(!w.startAction()->shortcut().isEmpty());
        QVERIFY(!w.stopAction()->shortcut().isEmpty());
        // Replay is offered only while nothing runs.
        QVERIFY(w.menuAction(QStringLiteral("replayAction"))->isEnabled());
        QVERIFY(w.menuAction(QStringLiteral("exportPowerBiAction")) != nullptr);
    }

    void quitClosesTheWindow()
    {
        auto *w = new MainWindow(uitest::simulatorConfig(m_dir.path()), freshIni());
        w->setAttribute(Qt::WA_DeleteOnClose);
        w->show();
        QPointer<MainWindow> guard(w);
        w->menuAction(QStringLiteral("quitAction"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 10000);
    }

    void panelsShowAndHide()
    {
        const QString ini = freshIni();
        {
            MainWindow w(uitest::simulatorConfig(m_dir.path()), ini);
            w.show();
            QVERIFY(w.watchlist()->isVisible());
            w.menuAction(QStringLiteral("showWatchlistAction"))->trigger();
            QVERIFY(!w.watchlist()->isVisible());
            w.menuAction(QStringLiteral("showStatusBarAction"))->trigger();
            QVERIFY(!w.statusBar()->isVisible());
            w.close();
        }
        MainWindow again(uitest::simulatorConfig(m_dir.path()), ini);
        again.show();
        QVERIFY(!again.watchlist()->isVisible());
        QVERIFY(!again.menuAction(QStringLiteral("showWatchlistAction"))->isChecked());
        QVERIFY(!again.statusBar()->isVisible());
    }

    void toolbarIconsReadOnEveryTheme_data()
    {
        QTest::addColumn<QString>("theme");
        QTest::newRow("light") << QStringLiteral("themeLightAction");
        QTest::newRow("dark") << QStringLiteral("themeDarkAction");
    }

    // Fusion's standard Start/Stop icons are black pixmaps: on the dark theme Stop was a black
    // square on a near-black toolbar. Each icon's ink must stand out from the toolbar (WCAG's
    // contrast ratio for graphics, 3:1), also after a live theme switch.
    void toolbarIconsReadOnEveryTheme()
    {
        QFETCH(QString, theme);
        MainWindow w(uitest::simulatorConfig(m_dir.path()), freshIni());
        w.show();
        w.menuAction(theme)->trigger();
        auto *bar = w.findChild<QToolBar *>(QStringLiteral("pipelineToolBar"));
        QVERIFY(bar);
        const QColor background = bar->palette().color(QPalette::Window);
        auto luminance = [](const QColor &c) {
            auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
        };
        for (QAction *action : {w.startAction(), w.stopAction(), w.settingsAction()}) {
            const QImage image = action->icon().pixmap(QSize(16, 16)).toImage().convertToFormat(QImage::Format_ARGB32);
            double r = 0, g = 0, b = 0, weight = 0;  // the ink: opaque pixels, weighted by alpha
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = QColor::fromRgba(image.pixel(x, y));
                    r += c.redF() * c.alphaF();
                    g += c.greenF() * c.alphaF();
                    b += c.blueF() * c.alphaF();
                    weight += c.alphaF();
                }
            QVERIFY2(weight > 10, qPrintable(action->text() + QStringLiteral(": an empty icon")));
            const QColor ink = QColor::fromRgbF(float(r / weight), float(g / weight), float(b / weight));
            const double l1 = luminance(ink), l2 = luminance(background);
            const double contrast = (std::max(l1, l2) + 0.05) / (std::min(l1, l2) + 0.05);
            QVERIFY2(contrast >= 3.0, qPrintable(QStringLiteral("%1: ink %2 on %3, contrast %4:1")
                                                     .arg(action->text(), ink.name(), background.name())
                                                     .arg(contrast, 0, 'f', 2)));
        }
        ui::applyTheme(ui::ThemeChoice::System);
    }

    void themeAppliesLiveAndPersists()
    {
        const QString ini = freshIni();
        {
            MainWindow w(uitest::simulatorConfig(m_dir.path()), ini);
            w.show();
            w.menuAction(QStringLiteral("themeDarkAction"))->trigger();
            QVERIFY(ui::isDarkTheme());
            QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
            QTRY_VERIFY(w.palette().color(QPalette::Window).lightness() <
                        128); // the open window too
            // The charts too: their background follows the theme (they were built light).
            auto chartsDark = [&w] {
                const QList<QChartView *> views = w.charts()->findChildren<QChartView *>();
                return !views.isEmpty() && std::all_of(views.cbegin(), views.cend(), [](QChartView *v) {
                    return v->chart()->backgroundBrush().color().lightness() < 128;
                });
            };
            QTRY_VERIFY(chartsDark());
            QVERIFY(w.menuAction(QStringLiteral("themeDarkAction"))->isChecked());
            QCOMPARE(
                QSettings(ini, QSettings::IniFormat).value(QLatin1String(ui::kThemeKey)).toString(),
                QStringLiteral("dark"));
            w.close();
        }
        ui::applyTheme(ui::ThemeChoice::Light); // as a fresh process would start
        {
            MainWindow again(uitest::simulatorConfig(m_dir.path()), ini);
            QVERIFY(ui::isDarkTheme());
            QVERIFY(again.menuAction(QStringLiteral("themeDarkAction"))->isChecked());
            for (QChartView *v : again.charts()->findChildren<QChartView *>())  // built dark from the start
                QVERIFY(v->chart()->backgroundBrush().color().lightness() < 128);
            again.menuAction(QStringLiteral("themeLightAction"))->trigger();
            QVERIFY(!ui::isDarkTheme());
            QVERIFY(QApplication::palette().color(QPalette::Window).lightness() >= 128);
            QCOMPARE(
                QSettings(ini, QSettings::IniFormat).value(QLatin1String(ui::kThemeKey)).toString(),
                QStringLiteral("light"));
        }
        ui::applyTheme(ui::ThemeChoice::System);
    }

    void aboutNamesVersionsLicenceAndDocs()
    {
        const QString html = ui::aboutHtml();
        QVERIFY2(html.contains(QString::fromLatin1(qVersion())), qPrintable(html));
        QVERIFY2(html.contains(QString::fromLatin1(rd_kafka_version_str())), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral(MS_VERSION)), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral("GPL-3")) ||
                     html.contains(QStringLiteral("General Public License version 3")),
                 qPrintable(html));
        QVERIFY(html.contains(QStringLiteral("Qt Charts")));
        QVERIFY(html.contains(QStringLiteral("href=")));
    }

    void windowFitsFrom1024x700_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1024x700") << QSize(1024, 700);
        QTest::newRow("1600x1000") << QSize(1600, 1000);
        QTest::newRow("2560x1440") << QSize(2560, 1440);
        QTest::newRow("3840x2160") << QSize(3840, 2160);
    }

    void windowFitsFrom1024x700()
    {
        QFETCH(QSize, size);
        MainWindow w(uitest::simulatorConfig(m_dir.path()), freshIni());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        if (w.minimumSizeHint().width() > 1024)
            dumpMinimumWidths(&w);
        QCOMPARE_LE(w.minimumSizeHint().width(), 1024);
        QCOMPARE_LE(w.minimumSizeHint().height(), 700);
        w.resize(size);
        QTRY_COMPARE(w.size(), size);
        // The chart has what its controls need: nothing cut off, no sideways scrolling.
        auto *chartScroll = w.findChild<QScrollArea *>(QStringLiteral("chartScroll"));
        QVERIFY(chartScroll);
        QTRY_VERIFY2(chartScroll->horizontalScrollBar()->maximum() == 0,
                     qPrintable(QStringLiteral("chart needs %1 px, has %2")
                                    .arg(w.charts()->minimumSizeHint().width())
                                    .arg(chartScroll->viewport()->width())));
        // Every tab fits too (each is laid out when shown).
        for (int i = 0; i < w.findChild<QTabWidget *>(QStringLiteral("mainTabs"))->count(); ++i) {
            w.findChild<QTabWidget *>(QStringLiteral("mainTabs"))->setCurrentIndex(i);
            QCOMPARE_LE(w.minimumSizeHint().width(), 1024);
        }
    }

    void statusBarTellsTheTruthAfterStop()
    {
        MainWindow w(uitest::simulatorConfig(m_dir.path(), 1000), freshIni());
        w.show();
        QVERIFY(!w.statusSummary()->text().contains(QStringLiteral("ticks/s")));
        w.startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Running, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.statusSummary()->text().contains(QStringLiteral("ticks/s produced")), 30000);
        w.stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Stopped, 10000);
        // Frames keep running after Stop: the line must stay the stopped one, not a rate.
        const qint64 frames = w.frames();
        QTRY_VERIFY_WITH_TIMEOUT(w.frames() > frames + 5, 10000);
        const QString text = w.statusSummary()->text();
        QVERIFY2(!text.contains(QStringLiteral("ticks/s")), qPrintable(text));
        QVERIFY2(text.startsWith(QStringLiteral("Stopped")), qPrintable(text));
        const qint64 produced = w.pipeline()->metrics().produced;
        QVERIFY(produced > 0);
        QVERIFY2(text.contains(QLocale().toString(produced)), qPrintable(text));
    }

    // A start that fails on the database: the toolbar says Error with a link, the Issues details
    // hold the message whole (not cut to a cell or a label), and the URL is named once, not twice.
    void errorIsShownWholeWithTheUrlOnce()
    {
        PipelineConfig bad = uitest::simulatorConfig(m_dir.path());
        bad.databaseUrl =
            QStringLiteral("postgresql://nobody@127.0.0.1:1/marketstream_does_not_exist");
        MainWindow w(bad, freshIni());
        w.show();
        w.startPipeline();
        QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Error, 30000);
        QTRY_VERIFY(
            w.stateLabel()->text().contains(QStringLiteral("Error"))); // stateChanged is queued
        const QString message = w.pipeline()->stateMessage();
        QCOMPARE(message.count(QStringLiteral("127.0.0.1:1")), 1);
        const QString label = w.stateLabel()->text();
        QVERIFY2(!label.contains(QStringLiteral("127.0.0.1")), qPrintable(label));
        QVERIFY2(label.contains(QStringLiteral("href")), qPrintable(label));
        QCOMPARE(w.stateLabel()->toolTip(), message);
        QVERIFY2(!w.statusSummary()->text().contains(QStringLiteral("ticks/s")),
                 qPrintable(w.statusSummary()->text()));

        Q_EMIT w.stateLabel()->linkActivated(QStringLiteral("issues")); // the user clicks "details"
        QCOMPARE(w.findChild<QTabWidget *>(QStringLiteral("mainTabs"))->currentWidget(),
                 static_cast<QWidget *>(w.issues()));
        QTRY_VERIFY(w.issues()->detailsText().contains(QStringLiteral("127.0.0.1")));
        const QString details = w.issues()->detailsText();
        QVERIFY2(details.contains(message) ||
                     details.contains(message.section(QStringLiteral(": "), 1)),
                 qPrintable(details));
        QCOMPARE(details.count(QStringLiteral("127.0.0.1:1")), 1);
        QVERIFY(w.issues()->details()->isVisible());
        QVERIFY(w.issues()->details()->lineWrapMode() != QPlainTextEdit::NoWrap);
    }

    // File > Replay a file… runs one replay of that file; the next plain Start uses the saved
    // sources. File > Export Power BI dataset… works before any Start, on what the database holds.
    void replayOnceThenExport()
    {
        const QString dir = m_dir.filePath(QStringLiteral("replay"));
        QVERIFY(QDir().mkpath(dir));
        const QString csv = dir + QStringLiteral("/ticks.csv");
        {
            QFile f(csv);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray text = "symbol,price,ts,volume\n";
            const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 120000;
            for (int i = 0; i < 200; ++i)
                text += "ZZZ," + QByteArray::number(100 + i * 0.01, 'f', 2) + ',' +
                        QByteArray::number(t0 + i * 5) + ",1\n";
            f.write(text);
        }
        PipelineConfig config = uitest::simulatorConfig(dir);
        config.replaySpeed = 0; // as fast as possible
        const QString ini = freshIni();
        {
            MainWindow w(config, ini);
            w.show();
            w.replayFileNamed(csv);
            QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Running, 30000);
            QVERIFY(
                !w.menuAction(QStringLiteral("replayAction"))->isEnabled()); // not while running
            QTRY_VERIFY_WITH_TIMEOUT(w.store().find(QStringLiteral("ZZZ")) != nullptr, 30000);
            QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->metrics().stored >= 200, 30000);
            w.stopAction()->trigger();
            QTRY_VERIFY_WITH_TIMEOUT(w.pipeline()->state() == Pipeline::State::Stopped, 10000);
            QCOMPARE(w.effectiveConfig().sources.size(), 1);
            QCOMPARE(w.effectiveConfig().sources.at(0).type,
                     QStringLiteral("simulator")); // one run only
            w.close();
        }
        MainWindow again(config, ini);
        again.show();
        const QString out = dir + QStringLiteral("/powerbi");
#if __has_include("powerbi/powerbi_view.h")
        auto *view = again.findChild<PowerBiView *>();
        QVERIFY(view);
        QSignalSpy finished(view, &PowerBiView::exportFinished);
        QVERIFY(again.exportPowerBiTo(out));
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
        QVERIFY(QFile::exists(
            out + QStringLiteral("/csv/fact_tick.csv"))); // SQLite: CSV star schema, no .pbids
        QFile ticks(out + QStringLiteral("/csv/fact_tick.csv"));
        QVERIFY(ticks.open(QIODevice::ReadOnly));
        QVERIFY(ticks.readAll().contains("ZZZ"));
#else
        QVERIFY(!again.exportPowerBiTo(
            out)); // no Power BI view in this build: the menu item is disabled
        QVERIFY(!again.menuAction(QStringLiteral("exportPowerBiAction"))->isEnabled());
#endif
    }
};

QTEST_MAIN(TstUiShell)
#include "tst_ui_shell.moc"
