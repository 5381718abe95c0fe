// marketstream: the desktop monitor (default), the headless pipeline (--headless), and the
// sub-commands (export, backfill, tail). Thin: everything real lives in pipeline/ and ui/.
#include "backfill_command.h"
#include "cli_options.h"
#include "export_command.h"
#include "headless_runner.h"
#include "tail_command.h"
#include "runtime/issue_log.h"
#include "storage/database.h"
#include "storage/database_url.h"

#ifdef MS_WITH_UI
#include "desktop_app.h"
#endif

#include <QCoreApplication>
#include <QStringList>

#include <librdkafka/rdkafka.h>

#include <cstdio>

namespace {

QStringList argumentList(int argc, char **argv)
{
    QStringList out;
    for (int i = 0; i < argc; ++i)
        out.append(QString::fromLocal8Bit(argv[i]));
    return out;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "marketstream: %s\n", qPrintable(message));
    return 2;
}

void registerSecrets(const ms::PipelineConfig &c)
{
    auto &log = ms::IssueLog::instance();
    log.registerSecret(c.cryptoCompareApiKey);
    log.registerSecret(c.finnhubApiKey);
    for (auto it = c.kafkaProps.cbegin(); it != c.kafkaProps.cend(); ++it) {
        if (it.key().contains(QStringLiteral("password")))
            log.registerSecret(it.value());
    }
    if (auto url = ms::DatabaseUrl::parse(c.databaseUrl); url.ok())
        log.registerSecret(url->password);
}

int migrateOnly(const ms::PipelineConfig &c)
{
    auto url = ms::DatabaseUrl::parse(c.databaseUrl.isEmpty() ? ms::defaultDatabaseUrl() : c.databaseUrl);
    if (!url.ok())
        return fail(url.errorMessage());
    const QString name = QStringLiteral("ms-migrate");
    {
        auto db = ms::openDatabase(url.value(), name);
        if (!db.ok())
            return fail(QStringLiteral("cannot open the database: %1").arg(db.errorMessage()));  // it names the URL
        const ms::Status st = ms::applyMigrations(db.value());
        db.value().close();
        if (!st.ok())
            return fail(st.errorMessage());
    }
    ms::closeDatabase(name);
    std::printf("migrations applied to %s\n", qPrintable(url->redacted()));
    return 0;
}

}  // namespace

int main(int argc, char **argv)
{
    const QStringList args = argumentList(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("MarketStream"));
    QCoreApplication::setApplicationName(QLatin1String(ms::kProgramName));
    QCoreApplication::setApplicationVersion(QStringLiteral(MS_VERSION));

    auto parsed = ms::parseCommandLine(args);
    if (!parsed.ok()) {
        // A sub-command's error names it ("marketstream backfill: ..."), like its later errors.
        const QString who = parsed.error().code.isEmpty() ? QString() : u' ' + parsed.error().code;
        std::fprintf(stderr, "marketstream%s: %s\n", qPrintable(who), qPrintable(parsed.errorMessage()));
        return 2;
    }
    const ms::CliOptions &opt = parsed.value();
    if (opt.showHelp) {
        std::fputs(qPrintable(opt.helpText), stdout);
        return 0;
    }
    if (opt.command == ms::CliOptions::Command::Export) {
        QCoreApplication app(argc, argv);
        return runExportCommand(opt.exportCommand);
    }
    if (opt.command == ms::CliOptions::Command::Backfill) {
        QCoreApplication app(argc, argv);
        return runBackfillCommand(opt.backfill);
    }
    if (opt.command == ms::CliOptions::Command::Tail) {
        QCoreApplication app(argc, argv);
        return runTailCommand(opt.tail);
    }
    if (opt.showVersion) {
        std::printf("marketstream %s (Qt %s, librdkafka %s)\n", MS_VERSION, qVersion(), rd_kafka_version_str());
        return 0;
    }
    if (opt.printEnvKeys) {
        const QStringList keys = ms::environmentKeys();
        for (const QString &k : keys)
            std::printf("%s\n", qPrintable(k));
        return 0;
    }
    registerSecrets(opt.config);
    if (opt.migrateOnly) {
        QCoreApplication app(argc, argv);
        return migrateOnly(opt.config);
    }
    if (opt.headless) {
        QCoreApplication app(argc, argv);
        ms::IssueLog::instance().setEchoToStderr(true);
        ms::HeadlessRunner::installSignalHandlers();
        ms::HeadlessRunner runner(opt);
        runner.start();
        return app.exec();
    }
#ifdef MS_WITH_UI
    return ms::runDesktop(argc, argv, opt.config, opt.window, ms::DesktopMetricsOptions{opt.metricsPort, opt.metricsBind});
#else
    return fail(QStringLiteral("this build has no window; use --headless"));
#endif
}
