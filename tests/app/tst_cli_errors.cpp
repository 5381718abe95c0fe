// Malformed command lines against the real binary (MS_APP_PATH): each must exit 2 with exactly one
// line on stderr, at once, without starting anything. Every row was either accepted before (and
// ran with nonsense: nan rates, negative intervals, no symbols, ticks all dead-lettered) or already
// refused and must stay so.
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TstCliErrors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(QStringLiteral(MS_APP_PATH)), MS_APP_PATH);
        QVERIFY(m_dir.isValid());
        QFile file(m_dir.filePath(QStringLiteral("ok.env")));
        QVERIFY(file.open(QIODevice::WriteOnly));
    }

    void malformedCommandLines_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("stderrContains");
        auto row = [](const char *name, QStringList args, const char *contains) {
            QTest::newRow(name) << (QStringList{QStringLiteral("--headless")} + args)
                                << QString::fromUtf8(contains);
        };
        using L = QStringList;
        const QString big = QString(1000, u'A');
        // Numbers: finite and in range, never cast blindly.
        for (const char *opt : {"rate", "max-ticks", "duration", "lateness", "consumers",
                                "partitions", "idle-exit", "replay-speed", "poll-interval"}) {
            for (const char *bad : {"nan", "inf", "-inf", "1e30"}) {
                const QByteArray name = QByteArray("--") + opt + ' ' + bad;
                row(name.constData(),
                    L{QStringLiteral("--") + QLatin1String(opt), QLatin1String(bad)}, opt);
            }
        }
        row("--rate fast", L{u"--rate"_qs, u"fast"_qs}, "--rate needs a number");
        row("--rate -1", L{u"--rate"_qs, u"-1"_qs}, "--rate");
        row("--max-ticks 0", L{u"--max-ticks"_qs, u"0"_qs}, "--max-ticks");
        row("--max-ticks 2.5", L{u"--max-ticks"_qs, u"2.5"_qs}, "whole number");
        row("--consumers 0", L{u"--consumers"_qs, u"0"_qs}, "--consumers");
        row("--consumers 1000", L{u"--consumers"_qs, u"1000"_qs}, "--consumers");
        row("--partitions 0", L{u"--partitions"_qs, u"0"_qs}, "--partitions");
        row("--partitions 99999", L{u"--partitions"_qs, u"99999"_qs}, "--partitions");
        row("--duration 0", L{u"--duration"_qs, u"0"_qs}, "--duration");
        row("--lateness -5", L{u"--lateness"_qs, u"-5"_qs}, "--lateness");
        row("--seed x", L{u"--seed"_qs, u"x"_qs}, "--seed");
        // Prometheus metrics.
        row("--metrics-port 70000", L{u"--metrics-port"_qs, u"70000"_qs}, "--metrics-port");
        row("--metrics-port -1", L{u"--metrics-port"_qs, u"-1"_qs}, "--metrics-port");
        row("--metrics-port http", L{u"--metrics-port"_qs, u"http"_qs}, "--metrics-port");
        row("--metrics-bind localhost", L{u"--metrics-port"_qs, u"0"_qs, u"--metrics-bind"_qs, u"localhost"_qs},
            "--metrics-bind needs an IP address");
        // Intervals.
        row("--intervals 24856d", L{u"--intervals"_qs, u"24856d"_qs}, "24856d");
        row("--intervals 0s", L{u"--intervals"_qs, u"0s"_qs}, "bad interval");
        row("--intervals -1m", L{u"--intervals"_qs, u"-1m"_qs}, "bad interval");
        row("--intervals 1x", L{u"--intervals"_qs, u"1x"_qs}, "bad interval");
        row("--intervals ,,", L{u"--intervals"_qs, u",,"_qs}, "no candle interval");
        QStringList many;
        for (int i = 1; i <= 33; ++i)
            many << QString::number(i) + u's';
        row("--intervals 33 of them", L{u"--intervals"_qs, many.join(u',')}, "at most 32");
        // Symbols and currency, by the decoder's rules.
        row("--symbols ,,,", L{u"--symbols"_qs, u",,,"_qs}, "names no symbol");
        row("--symbols 1000 chars", L{u"--symbols"_qs, big}, "longer than 32");
        row("--symbols crypto: only", L{u"--symbols"_qs, u"crypto:"_qs}, "must not be empty");
        row("--symbols with a tab", L{u"--symbols"_qs, u"BTC,E\tTH"_qs}, "control character");
        row("--crypto-symbols ,", L{u"--crypto-symbols"_qs, u","_qs}, "names no symbol");
        row("--stock-symbols 1000 chars", L{u"--stock-symbols"_qs, big}, "longer than 32");
        row("--currency ''", L{u"--currency"_qs, QString()}, "must not be empty");
        row("--currency blank", L{u"--currency"_qs, u" "_qs}, "currency");
        row("--currency 1000 chars", L{u"--currency"_qs, big}, "longer than 16");
        // Times.
        row("--start-time huge", L{u"--start-time"_qs, u"99999999999999999"_qs}, "--start-time");
        row("--start-time negative", L{u"--start-time"_qs, u"-5"_qs}, "--start-time");
        row("--start-time year 2200", L{u"--start-time"_qs, u"2200-01-01T00:00:00Z"_qs},
            "--start-time");
        row("--start-time garbage", L{u"--start-time"_qs, u"yesterday"_qs}, "--start-time");
        // Price alerts: every --alert parses, numbers checked, symbols by the decoder's rules.
        row("--alert no operator", L{u"--alert"_qs, u"BTC50000"_qs}, "no operator");
        row("--alert nan", L{u"--alert"_qs, u"BTC>nan"_qs}, "not a plain finite number");
        row("--alert 1e999", L{u"--alert"_qs, u"BTC>1e999"_qs}, "not a plain finite number");
        row("--alert zero", L{u"--alert"_qs, u"ETH<0"_qs}, "must be > 0");
        row("--alert no symbol", L{u"--alert"_qs, u">5"_qs}, "no symbol");
        row("--alert 1000 chars", L{u"--alert"_qs, big + u">5"_qs}, "longer than 32");
        row("--alert newline", L{u"--alert"_qs, u"BT\nC>5"_qs}, "control character");
        row("--alert bad window", L{u"--alert"_qs, u"AAPL%5w>2"_qs}, "window '5w'");
        row("--alert window 8d", L{u"--alert"_qs, u"AAPL%8d>2"_qs}, "between 1s and 7d");
        row("--alert percent 0", L{u"--alert"_qs, u"AAPL%5m>0"_qs}, "percent must be > 0");
        row("--alert second one bad", L{u"--alert"_qs, u"BTC>50000"_qs, u"--alert"_qs, u"ETH<"_qs}, "'ETH<'");
        row("--alert empty", L{u"--alert"_qs, QString()}, "empty");
        // Files and sources.
        row("--source replay:/nonexistent",
            L{u"--source"_qs, u"replay:/nonexistent/ticks.jsonl"_qs}, "no such readable file");
        row("--source replay: empty", L{u"--source"_qs, u"replay:"_qs}, "needs a file");
        row("--source bloomberg", L{u"--source"_qs, u"bloomberg"_qs}, "unknown source");
        row("--env-file missing", L{u"--env-file"_qs, u"/nonexistent/.env"_qs}, "--env-file");
        row("--source none --no-consumer", L{u"--source"_qs, u"none"_qs, u"--no-consumer"_qs},
            "nothing to run");
        row("--db mysql", L{u"--db"_qs, u"mysql://u:hunter2@h/d"_qs}, "unsupported scheme");
        row("--db bad port", L{u"--db"_qs, u"postgresql://u@h:99999/d"_qs}, "port");
        // Retention days: whole, 0 (forever) to 100 years.
        row("--retain-ticks -1", L{u"--retain-ticks"_qs, u"-1"_qs}, "--retain-ticks");
        row("--retain-ticks 1.5", L{u"--retain-ticks"_qs, u"1.5"_qs}, "whole number");
        row("--retain-ticks nan", L{u"--retain-ticks"_qs, u"nan"_qs}, "--retain-ticks");
        row("--retain-1s-candles 1e9", L{u"--retain-1s-candles"_qs, u"1e9"_qs}, "--retain-1s-candles");
        row("--retain-1s-candles x", L{u"--retain-1s-candles"_qs, u"x"_qs}, "--retain-1s-candles");
        row("--retention-first-pass -1", L{u"--retention-first-pass"_qs, u"-1"_qs},
            "--retention-first-pass");
        row("--retention-every 0", L{u"--retention-every"_qs, u"0"_qs}, "--retention-every");
        // Parser errors.
        row("unknown option", L{u"--frobnicate"_qs}, "Unknown option");
        row("missing value", L{u"--rate"_qs}, "Missing value");
        row("positional argument", L{u"stray"_qs}, "unexpected argument");
    }

    void malformedCommandLines() { runMalformed(); }

    // `marketstream tail`: refused before any Kafka client exists (no --kafka needs a cluster).
    void malformedTailCommands_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("stderrContains");
        auto row = [](const char *name, QStringList args, const char *contains) {
            QTest::newRow(name) << (QStringList{QStringLiteral("tail")} + args) << QString::fromUtf8(contains);
        };
        using L = QStringList;
        const QString k = u"127.0.0.1:1"_qs;
        row("no topic", L{u"--kafka"_qs, k}, "missing the topic");
        row("two topics", L{u"a"_qs, u"b"_qs, u"--kafka"_qs, k}, "one topic only");
        row("--max 0", L{u"t"_qs, u"--max"_qs, u"0"_qs, u"--kafka"_qs, k}, "--max");
        row("--max -3", L{u"t"_qs, u"--max"_qs, u"-3"_qs, u"--kafka"_qs, k}, "--max");
        row("--max x", L{u"t"_qs, u"--max"_qs, u"x"_qs, u"--kafka"_qs, k}, "--max");
        row("--max missing", L{u"t"_qs, u"--kafka"_qs, k, u"--max"_qs}, "--max");
        row("--from garbage", L{u"t"_qs, u"--from"_qs, u"yesterday"_qs, u"--kafka"_qs, k}, "--from needs");
        row("--from missing", L{u"t"_qs, u"--kafka"_qs, k, u"--from"_qs}, "--from needs");
        row("--from and --from-beginning",
            L{u"t"_qs, u"--from"_qs, u"2026-01-01T00:00:00Z"_qs, u"--from-beginning"_qs, u"--kafka"_qs, k},
            "exclude each other");
        row("--kafka missing", L{u"t"_qs, u"--kafka"_qs}, "--kafka needs");
        row("--kafka embedded", L{u"t"_qs, u"--kafka"_qs, u"embedded"_qs}, "embedded broker");
        row("no cluster", L{u"t"_qs}, "no cluster");
        row("--timeout nan", L{u"t"_qs, u"--timeout"_qs, u"nan"_qs, u"--kafka"_qs, k}, "--timeout");
        row("--timeout 0", L{u"t"_qs, u"--timeout"_qs, u"0"_qs, u"--kafka"_qs, k}, "--timeout");
        row("unknown option", L{u"t"_qs, u"--frobnicate"_qs, u"--kafka"_qs, k}, "unknown option");
    }

    void malformedTailCommands() { runMalformed(); }

private:
    void runMalformed()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, stderrContains);
        QProcess app;
        app.setWorkingDirectory(m_dir.path()); // no stray .env
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_dir.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.path());
        env.remove(QStringLiteral("KAFKA_BOOTSTRAP_SERVERS"));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(MS_APP_PATH), args);
        QVERIFY(app.waitForStarted(10000));
        if (!app.waitForFinished(15000)) { // accepted: it is running a pipeline
            app.kill();
            app.waitForFinished(5000);
            QFAIL("the command line was accepted (the app kept running)");
        }
        const QString err = QString::fromUtf8(app.readAllStandardError());
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 2);
        QVERIFY2(err.endsWith(u'\n') && err.count(u'\n') == 1, qPrintable(err));
        QVERIFY2(err.contains(stderrContains), qPrintable(err));
        QVERIFY2(!err.contains(QLatin1String("hunter2")), qPrintable(err));
    }

private Q_SLOTS:
    void helpNamesTheExitCodes()
    {
        QProcess app;
        app.start(QStringLiteral(MS_APP_PATH), {QStringLiteral("--help")});
        QVERIFY(app.waitForFinished(10000));
        QCOMPARE(app.exitCode(), 0);
        const QString out = QString::fromUtf8(app.readAllStandardOutput());
        for (const char *code :
             {"1 pipeline failure", "2 usage or configuration", "3 a dependency"})
            QVERIFY2(out.contains(QLatin1String(code)), code);
        // The program's name, not "<executable_name>" nor argv[0]'s path.
        QVERIFY2(out.startsWith(QLatin1String("Usage: marketstream [options]\n")),
                 qPrintable(out.left(80)));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TstCliErrors)
#include "tst_cli_errors.moc"
