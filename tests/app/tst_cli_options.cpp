// The one command-line parser, in-process: what each mode gets from it. The window takes its
// options from CliOptions (no parsing of its own), so `--seed=7` in any spelling reaches the
// window's configuration and keeps the seed across Starts.
#include "cli_options.h"
#include "main_window.h"
#include "runtime/source_factory.h"

#include <QApplication>
#include <QTemporaryDir>
#include <QTest>

using namespace ms;

class TstCliOptions : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    QStringList args(const QStringList &rest) const
    {
        return QStringList{QStringLiteral("marketstream"), QStringLiteral("--db"),
                           QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("cli.db"))} +
               rest;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QDir::setCurrent(m_dir.path()); // no stray .env
        for (const char *v :
             {"MS_AUTOSTART", "MS_SCREENSHOT", "MS_SCREENSHOT_AFTER", "MS_SETTINGS_FILE"})
            qunsetenv(v);
    }

    void seedReachesTheWindow_data()
    {
        QTest::addColumn<QStringList>("given");
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<bool>("freshSeedPerStart");
        QTest::newRow("no seed") << QStringList{} << quint64(42) << true;
        QTest::newRow("--seed 7") << QStringList{u"--seed"_qs, u"7"_qs} << quint64(7) << false;
        QTest::newRow("--seed=7") << QStringList{u"--seed=7"_qs} << quint64(7) << false;
        QTest::newRow("-seed 7") << QStringList{u"-seed"_qs, u"7"_qs} << quint64(7) << false;
        QTest::newRow("--seed=42 (the default, given)")
            << QStringList{u"--seed=42"_qs} << quint64(42) << false;
    }

    void seedReachesTheWindow()
    {
        QFETCH(QStringList, given);
        QFETCH(quint64, seed);
        QFETCH(bool, freshSeedPerStart);
        static int row = 0;
        const QString ini =
            m_dir.filePath(QStringLiteral("settings-%1.ini").arg(++row)); // fresh settings per row
        auto parsed = parseCommandLine(args(given + QStringList{u"--settings-file"_qs, ini}));
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
        QCOMPARE(parsed->config.seed, seed);
        QCOMPARE(parsed->config.freshSeedPerStart, freshSeedPerStart);
        QCOMPARE(parsed->window.settingsFile, ini);
        MainWindow window(parsed->config, parsed->window.settingsFile);
        const PipelineConfig next = window.effectiveConfig();
        QCOMPARE(next.seed, seed);
        QCOMPARE(next.freshSeedPerStart, freshSeedPerStart);
    }

    void headlessKeepsTheDefaultSeed()
    {
        auto parsed = parseCommandLine(args({u"--headless"_qs}));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->config.seed, quint64(42));
        QVERIFY(!parsed->config.freshSeedPerStart); // a headless run is reproducible
    }

    void windowOptions_data()
    {
        QTest::addColumn<QStringList>("given");
        QTest::addColumn<bool>("start");
        QTest::addColumn<QString>("screenshot");
        QTest::addColumn<double>("after");
        QTest::newRow("none") << QStringList{} << false << QString() << 5.0;
        QTest::newRow("--start") << QStringList{u"--start"_qs} << true << QString() << 5.0;
        QTest::newRow("--screenshot=FILE")
            << QStringList{u"--screenshot=/tmp/x.png"_qs} << false << u"/tmp/x.png"_qs << 5.0;
        QTest::newRow("--screenshot FILE --screenshot-after 2")
            << QStringList{u"--screenshot"_qs, u"/tmp/y.png"_qs, u"--screenshot-after"_qs, u"2"_qs}
            << false << u"/tmp/y.png"_qs << 2.0;
    }

    void windowOptions()
    {
        QFETCH(QStringList, given);
        QFETCH(bool, start);
        QFETCH(QString, screenshot);
        QFETCH(double, after);
        auto parsed = parseCommandLine(args(given));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->window.start, start);
        QCOMPARE(parsed->window.screenshotFile, screenshot);
        QCOMPARE(parsed->window.screenshotAfterSec, after);
    }

    void environmentFormsYieldToTheCommandLine()
    {
        qputenv("MS_SCREENSHOT", "/tmp/env.png");
        qputenv("MS_AUTOSTART", "1");
        auto fromEnv = parseCommandLine(args({}));
        auto fromArgs = parseCommandLine(args({u"--screenshot"_qs, u"/tmp/arg.png"_qs}));
        qunsetenv("MS_SCREENSHOT");
        qunsetenv("MS_AUTOSTART");
        QVERIFY(fromEnv.ok() && fromArgs.ok());
        QCOMPARE(fromEnv->window.screenshotFile, u"/tmp/env.png"_qs);
        QVERIFY(fromEnv->window.start);
        QCOMPARE(fromArgs->window.screenshotFile, u"/tmp/arg.png"_qs);
    }

    void badScreenshotDelayIsRefused()
    {
        auto parsed = parseCommandLine(args({u"--screenshot-after"_qs, u"nan"_qs}));
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.errorMessage().contains(u"--screenshot-after"),
                 qPrintable(parsed.errorMessage()));
    }

    void everyFactorySourceIsAccepted()
    {
        // One list of source types (runtime/source_factory.cpp): what the factory makes, --source
        // takes.
        const QStringList known = knownSourceTypes();
        for (const QString &type : known) {
            if (type == QLatin1String("replay"))
                continue; // given as replay:FILE (a readable file; tst_cli_errors covers the
                          // refusals)
            auto parsed = parseCommandLine(args({u"--source"_qs, type}));
            QVERIFY2(parsed.ok(), qPrintable(type));
            QCOMPARE(parsed->config.sources.size(), 1);
            QCOMPARE(parsed->config.sources.first().type, type);
        }
        auto bad = parseCommandLine(args({u"--source"_qs, u"replay"_qs}));
        QVERIFY(!bad.ok()); // the bare word needs its file
        for (const QString &type : known)
            QVERIFY2(bad.errorMessage().contains(type), qPrintable(bad.errorMessage()));
    }

    void subCommandsFillTheirBlock()
    {
        auto exp = parseCommandLine({u"marketstream"_qs, u"export"_qs, u"powerbi"_qs, u"--out=/tmp/pbi"_qs,
                                     u"--views"_qs, u"dim_symbol"_qs, u"--no-pbids"_qs});
        QVERIFY2(exp.ok(), qPrintable(exp.ok() ? QString() : exp.errorMessage()));
        QVERIFY(exp->command == CliOptions::Command::Export);
        QCOMPARE(exp->exportCommand.outDir, u"/tmp/pbi"_qs);
        QCOMPARE(exp->exportCommand.views, QStringList{u"dim_symbol"_qs});
        QVERIFY(exp->exportCommand.csv && exp->exportCommand.pbip && !exp->exportCommand.pbids);

        auto back = parseCommandLine({u"marketstream"_qs, u"backfill"_qs, u"--from=2024-01-01"_qs, u"--to"_qs, u"now"_qs,
                                      u"--symbols"_qs, u"BTC,ETH"_qs, u"--interval=1h"_qs});
        QVERIFY(back.ok());
        QVERIFY(back->command == CliOptions::Command::Backfill);
        QCOMPARE(back->backfill.from, u"2024-01-01"_qs);
        QCOMPARE(back->backfill.to, u"now"_qs);
        QCOMPARE(back->backfill.symbols, u"BTC,ETH"_qs);
        QCOMPARE(back->backfill.interval, u"1h"_qs);
        QCOMPARE(back->backfill.currency, u"USD"_qs);

        auto bad = parseCommandLine({u"marketstream"_qs, u"backfill"_qs, u"--to"_qs});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, u"backfill"_qs);  // main prints "marketstream backfill: ..."
        QVERIFY2(bad.errorMessage().contains(u"--to needs a value"), qPrintable(bad.errorMessage()));
    }

    // `marketstream tail` goes through the same parser: the topic and options in any order, each
    // value checked and typed in CliOptions::tail.
    void tailFillsItsBlock_data()
    {
        using Start = TailCommandOptions::Start;
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("start");
        QTest::addColumn<qint64>("startTimeMs");
        QTest::addColumn<qint64>("maxMessages");
        QTest::addColumn<QString>("bootstrap");
        QTest::addColumn<int>("timeoutMs");
        QTest::newRow("defaults") << QStringList{u"crypto_topic"_qs} << int(Start::End) << qint64(0)
                                  << qint64(0) << QString() << 10000;
        QTest::newRow("every option, topic last")
            << QStringList{u"--from-beginning"_qs, u"--max=7"_qs, u"--kafka"_qs, u"h1:9092,h2:9092"_qs,
                           u"--timeout"_qs, u"2.5"_qs, u"crypto_topic"_qs}
            << int(Start::Beginning) << qint64(0) << qint64(7) << u"h1:9092,h2:9092"_qs << 2500;
        QTest::newRow("--from ISO without a zone is UTC")
            << QStringList{u"crypto_topic"_qs, u"--from"_qs, u"2026-01-02T03:04:05"_qs}
            << int(Start::Time) << qint64(1767323045000) << qint64(0) << QString() << 10000;
        QTest::newRow("--from ms") << QStringList{u"crypto_topic"_qs, u"-from"_qs, u"1500"_qs}
                                   << int(Start::Time) << qint64(1500) << qint64(0) << QString() << 10000;
    }

    void tailFillsItsBlock()
    {
        QFETCH(QStringList, args);
        QFETCH(int, start);
        QFETCH(qint64, startTimeMs);
        QFETCH(qint64, maxMessages);
        QFETCH(QString, bootstrap);
        QFETCH(int, timeoutMs);
        auto parsed = parseCommandLine(QStringList{u"marketstream"_qs, u"tail"_qs} + args);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
        QVERIFY(parsed->command == CliOptions::Command::Tail);
        const TailCommandOptions &t = parsed->tail;
        QCOMPARE(t.topic, u"crypto_topic"_qs);
        QCOMPARE(int(t.start), start);
        QCOMPARE(t.startTimeMs, startTimeMs);
        QCOMPARE(t.maxMessages, maxMessages);
        QCOMPARE(t.bootstrap, bootstrap);
        QCOMPARE(t.timeoutMs, timeoutMs);
    }

    void tailErrorsNameTheCommand()
    {
        auto bad = parseCommandLine({u"marketstream"_qs, u"tail"_qs, u"t"_qs, u"--max"_qs, u"0"_qs});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, u"tail"_qs); // main prints "marketstream tail: ..."
        QVERIFY2(bad.errorMessage().startsWith(u"--max needs a whole number >= 1"), qPrintable(bad.errorMessage()));
        auto help = parseCommandLine({u"marketstream"_qs, u"tail"_qs, u"--help"_qs});
        QVERIFY(help.ok() && help->showHelp);
        QVERIFY2(help->helpText.startsWith(u"Usage: marketstream tail TOPIC [options]\n"), qPrintable(help->helpText));
        QVERIFY(help->helpText.contains(u"--from-beginning"));
        QVERIFY(help->helpText.contains(u"3 Kafka unreachable"));
    }

    void helpNamesTheProgram()
    {
        auto parsed = parseCommandLine(args({u"--help"_qs}));
        QVERIFY(parsed.ok());
        QVERIFY(parsed->showHelp);
        QVERIFY2(parsed->helpText.startsWith(u"Usage: marketstream [options]\n"),
                 qPrintable(parsed->helpText.left(80)));
    }
};

QTEST_MAIN(TstCliOptions)
#include "tst_cli_options.moc"
