// Screenshots of the Power BI tab (docs/powerbi-*.png): a throwaway PostgreSQL seeded like the
// DirectQuery tests (six symbols, 30 days of candles), the tab alone at a given size and theme, one
// PNG for "All symbols" and one for a symbol. Run under Xvfb (scripts/screenshot-powerbi).
//   shot_powerbi OUT_PREFIX WIDTH HEIGHT light|dark
#include "pg_server.h"
#include "powerbi/powerbi_view.h"
#include "realistic_seed.h"
#include "storage/database.h"
#include "ui_theme.h"

#include <QApplication>
#include <QSignalSpy>  // Qt6::Test comes with ms_testsupport
#include <QStyleFactory>

#include <cstdio>

using namespace ms;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 5) {
        std::fprintf(stderr, "usage: shot_powerbi OUT_PREFIX WIDTH HEIGHT light|dark\n");
        return 2;
    }
    qputenv("MS_THEME", args.at(4).toUtf8());
    ui::applySystemTheme(app);

    test::PgServer pg;
    if (!pg.start() || !pg.createDatabase(QStringLiteral("shot"))) {
        std::fprintf(stderr, "cannot start PostgreSQL: %s\n", qPrintable(pg.errorString()));
        return 1;
    }
    const QString url = pg.url(QStringLiteral("shot"));
    {
        Result<QSqlDatabase> db = openDatabase(DatabaseUrl::parse(url).value(), QStringLiteral("seed"));
        if (!db || !applyMigrations(db.value()).ok()) {
            std::fprintf(stderr, "cannot prepare the database\n");
            return 1;
        }
        test::RealisticSeed seed;
        seed.ticks = 60000;
        seed.candleDays = 30;
        if (const QString e = test::seedRealisticData(db.value(), seed); !e.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(e));
            return 1;
        }
    }
    closeDatabase(QStringLiteral("seed"));

    PowerBiView view;
    view.setRefreshIntervalMs(0);
    view.resize(args.at(2).toInt(), args.at(3).toInt());
    QSignalSpy refreshed(&view, &PowerBiView::refreshed);
    view.setDatabaseUrl(url);
    view.show();
    if (!refreshed.wait(30000))
        return 1;
    const auto save = [&](const QString &what) {
        QApplication::processEvents();
        const QString file = args.at(1) + u'-' + what + u'-' + args.at(2) + u'x' + args.at(3) + u'-' + args.at(4) + QStringLiteral(".png");
        if (!view.grab().save(file))
            std::fprintf(stderr, "cannot write %s\n", qPrintable(file));
        std::printf("%s\n", qPrintable(file));
    };
    save(QStringLiteral("all"));
    view.selectSymbol(QStringLiteral("crypto:ETH:USD"));
    if (!refreshed.wait(30000))
        return 1;
    save(QStringLiteral("symbol"));
    return 0;
}
