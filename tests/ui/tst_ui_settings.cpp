// Settings: the dialog's round trip through QSettings, secrets kept out of QSettings (in .env with
// owner-only permissions when no keychain answers), and "Test connection" answering in words
// without blocking the GUI thread.
#include "app_settings.h"
#include "secret_store.h"
#include "settings_dialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace ms;
using namespace ms::ui;

class TstUiSettings : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    template <typename T>
    T *child(QWidget &w, const char *name)
    {
        T *c = w.findChild<T *>(QLatin1String(name));
        if (!c)
            qFatal("no child %s", name);
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("MS_NO_KEYCHAIN", "1");
        QVERIFY(m_dir.isValid());
    }

    void roundTripThroughDialogAndQSettings()
    {
        const QString ini = m_dir.filePath(QStringLiteral("roundtrip.ini"));
        AppSettings edited;
        {
            SettingsDialog d(AppSettings::fromConfig(PipelineConfig{}), QStringLiteral("note"));
            child<QListWidget>(d, "sources")->item(2)->setCheckState(Qt::Checked);  // cryptocompare
            child<QDoubleSpinBox>(d, "simulatorRate")->setValue(12345);
            child<QLineEdit>(d, "cryptoSymbols")->setText(QStringLiteral("btc, sol"));
            child<QLineEdit>(d, "stockSymbols")->setText(QStringLiteral("IBM"));
            child<QCheckBox>(d, "interval1")->setChecked(false);
            child<QRadioButton>(d, "kafkaExternal")->setChecked(true);
            child<QLineEdit>(d, "bootstrap")->setText(QStringLiteral("k1:9092,k2:9092"));
            auto *protocol = child<QComboBox>(d, "securityProtocol");
            protocol->setCurrentIndex(protocol->findData(QStringLiteral("sasl_ssl")));
            auto *mechanism = child<QComboBox>(d, "saslMechanism");
            mechanism->setCurrentIndex(mechanism->findData(QStringLiteral("SCRAM-SHA-512")));
            child<QLineEdit>(d, "saslUsername")->setText(QStringLiteral("alice"));
            child<QLineEdit>(d, "saslPassword")->setText(QStringLiteral("sasl-s3cret"));
            child<QRadioButton>(d, "dbPostgres")->setChecked(true);
            child<QLineEdit>(d, "pgHost")->setText(QStringLiteral("db.example"));
            child<QSpinBox>(d, "pgPort")->setValue(6543);
            child<QLineEdit>(d, "pgDatabase")->setText(QStringLiteral("market"));
            child<QLineEdit>(d, "pgUser")->setText(QStringLiteral("bob"));
            child<QLineEdit>(d, "pgPassword")->setText(QStringLiteral("pg-s3cret"));
            child<QLineEdit>(d, "cryptoCompareApiKey")->setText(QStringLiteral("cc-KEY-123"));
            child<QLineEdit>(d, "finnhubApiKey")->setText(QStringLiteral("fh-KEY-456"));
            child<QSpinBox>(d, "historyPoints")->setValue(300000);
            child<QSpinBox>(d, "retainTicksDays")->setValue(5);
            child<QSpinBox>(d, "retainOneSecondCandlesDays")->setValue(0);  // forever
            edited = d.settings();
        }
        {
            QSettings q(ini, QSettings::IniFormat);
            edited.save(q);
        }
        SecretStore secrets(m_dir.filePath(QStringLiteral(".env")));
        QVERIFY(secrets.save(edited.secrets()));
        QCOMPARE(secrets.backend(), SecretStore::Backend::DotEnvFile);
        QVERIFY(secrets.note().contains(QStringLiteral(".env")));

        // Secrets are not in the QSettings file, in any form.
        QFile iniFile(ini);
        QVERIFY(iniFile.open(QIODevice::ReadOnly));
        const QByteArray iniText = iniFile.readAll();
        for (const char *secret : {"sasl-s3cret", "pg-s3cret", "cc-KEY-123", "fh-KEY-456"})
            QVERIFY2(!iniText.contains(secret), secret);
        QVERIFY(iniText.contains("db.example"));
        // They are in .env, readable by the owner only.
        QFile env(secrets.dotEnvPath());
        QCOMPARE(env.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
        QVERIFY(env.open(QIODevice::ReadOnly));
        QVERIFY(env.readAll().contains("FINNHUB_API_KEY=\"fh-KEY-456\""));

        // Reload as the app does on the next launch and reopen the dialog: the same values.
        AppSettings reloaded;
        {
            QSettings q(ini, QSettings::IniFormat);
            reloaded.load(q);
        }
        reloaded.setSecrets(SecretStore(m_dir.filePath(QStringLiteral(".env"))).load());
        SettingsDialog again(reloaded, QString());
        const AppSettings shown = again.settings();
        QCOMPARE(shown.sources, (QStringList{QStringLiteral("simulator"), QStringLiteral("cryptocompare")}));
        QCOMPARE(shown.simulatorRate, 12345.0);
        QCOMPARE(shown.cryptoSymbols, (QStringList{QStringLiteral("BTC"), QStringLiteral("SOL")}));
        QCOMPARE(shown.stockSymbols, QStringList{QStringLiteral("IBM")});
        QCOMPARE(shown.candleIntervalsSec, (QList<int>{60, 300, 3600}));
        QCOMPARE(shown.kafkaEmbedded, false);
        QCOMPARE(shown.kafkaBootstrap, QStringLiteral("k1:9092,k2:9092"));
        QCOMPARE(shown.securityProtocol, QStringLiteral("sasl_ssl"));
        QCOMPARE(shown.saslMechanism, QStringLiteral("SCRAM-SHA-512"));
        QCOMPARE(shown.saslUsername, QStringLiteral("alice"));
        QCOMPARE(shown.saslPassword, QStringLiteral("sasl-s3cret"));
        QCOMPARE(shown.databaseSqlite, false);
        QCOMPARE(shown.pgHost, QStringLiteral("db.example"));
        QCOMPARE(shown.pgPort, 6543);
        QCOMPARE(shown.pgDatabase, QStringLiteral("market"));
        QCOMPARE(shown.pgUser, QStringLiteral("bob"));
        QCOMPARE(shown.pgPassword, QStringLiteral("pg-s3cret"));
        QCOMPARE(shown.cryptoCompareApiKey, QStringLiteral("cc-KEY-123"));
        QCOMPARE(shown.finnhubApiKey, QStringLiteral("fh-KEY-456"));
        QCOMPARE(shown.historyPointsPerSymbol, 300000);
        QCOMPARE(shown.retainTicksDays, 5);
        QCOMPARE(shown.retainOneSecondCandlesDays, 0);

        // And they reach the pipeline's configuration.
        PipelineConfig c;
        shown.applyTo(c);
        QCOMPARE(c.kafkaBootstrap, QStringLiteral("k1:9092,k2:9092"));
        QCOMPARE(c.kafkaProps.value(QStringLiteral("sasl.password")), QStringLiteral("sasl-s3cret"));
        QCOMPARE(c.kafkaProps.value(QStringLiteral("security.protocol")), QStringLiteral("sasl_ssl"));
        QVERIFY(c.databaseUrl.startsWith(QStringLiteral("postgresql://bob:pg-s3cret@db.example:6543/market")));
        QCOMPARE(c.finnhubApiKey, QStringLiteral("fh-KEY-456"));
        QCOMPARE(c.retainTicksDays, 5);
        QCOMPARE(c.retainOneSecondCandlesDays, 0);
        QCOMPARE(c.sources.size(), 2);
        QCOMPARE(c.rate, 12345.0);
    }

    void unsavedSettingsChangeNothing()
    {
        PipelineConfig base;
        base.databaseUrl = QStringLiteral("sqlite:///tmp/x.db");
        base.rate = 77;
        PipelineConfig c = base;
        AppSettings s;
        QSettings q(m_dir.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
        s.load(q);
        QVERIFY(!s.saved);
        s.applyTo(c);
        QCOMPARE(c.databaseUrl, base.databaseUrl);
        QCOMPARE(c.rate, 77.0);
    }

    void secretFileKeepsOtherLines()
    {
        const QString path = m_dir.filePath(QStringLiteral("other.env"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# mine\nKAFKA_BOOTSTRAP_SERVERS=k:9092\nFINNHUB_API_KEY=old\n");
        f.close();
        SecretStore store(path);
        QVERIFY(store.save({{QStringLiteral("FINNHUB_API_KEY"), QStringLiteral("new")},
                            {QStringLiteral("POSTGRES_PASSWORD"), QString()}}));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("# mine"));
        QVERIFY(text.contains("KAFKA_BOOTSTRAP_SERVERS=k:9092"));
        QVERIFY(!text.contains("old"));
        QCOMPARE(store.load().value(QStringLiteral("FINNHUB_API_KEY")), QStringLiteral("new"));
        QVERIFY(!store.load().contains(QStringLiteral("POSTGRES_PASSWORD")));
    }

    void testConnectionAnswersInWords_data()
    {
        QTest::addColumn<bool>("sqlite");
        QTest::addColumn<QString>("hostOrPath");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("expected");
        QTest::newRow("sqlite file") << true << m_dir.filePath(QStringLiteral("probe/ok.db")) << true << QStringLiteral("Connected: SQLite");
        QTest::newRow("postgres refused") << false << QStringLiteral("127.0.0.1") << false << QStringLiteral("Cannot connect to postgresql://nobody:***@127.0.0.1:1/");
    }

    void testConnectionAnswersInWords()
    {
        QFETCH(bool, sqlite);
        QFETCH(QString, hostOrPath);
        QFETCH(QString, expected);
        AppSettings s;
        s.saved = true;
        s.databaseSqlite = sqlite;
        s.sqlitePath = sqlite ? hostOrPath : QString();
        s.pgHost = hostOrPath;
        s.pgPort = 1;  // nothing listens there
        s.pgUser = QStringLiteral("nobody");
        s.pgPassword = QStringLiteral("pw-never-shown");
        SettingsDialog d(s, QString());
        d.show();
        QTest::mouseClick(child<QPushButton>(d, "testConnection"), Qt::LeftButton);
        // The GUI thread is free while the probe runs: the dialog keeps processing events.
        QVERIFY(d.testRunning() || !d.testResult().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!d.testResult().isEmpty(), 20000);
        QVERIFY2(d.testResult().contains(expected), qPrintable(d.testResult()));
        QVERIFY(!d.testResult().contains(QStringLiteral("pw-never-shown")));
    }

    // OK after a failed "Test connection": a question first. "Keep editing" leaves the dialog open
    // and accepts nothing; "Save anyway" accepts; a database edited after the test is not asked about.
    void okAfterFailedTestAsksFirst()
    {
        AppSettings s;
        s.saved = true;
        s.databaseSqlite = false;
        s.pgHost = QStringLiteral("127.0.0.1");
        s.pgPort = 1;  // nothing listens there
        s.pgUser = QStringLiteral("nobody");
        SettingsDialog d(s, QString());
        d.show();
        QTest::mouseClick(child<QPushButton>(d, "testConnection"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!d.testResult().isEmpty(), 20000);
        QVERIFY2(d.testResult().contains(QStringLiteral("Cannot connect")), qPrintable(d.testResult()));

        QStringList asked;
        QMessageBox::StandardButton answer = QMessageBox::Cancel;
        QTimer answerer;
        answerer.setInterval(20);
        connect(&answerer, &QTimer::timeout, this, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box || box->objectName() != QLatin1String("confirmFailedTest"))
                return;
            asked << box->text() + u' ' + box->informativeText();
            box->button(answer)->click();
        });
        answerer.start();
        QPushButton *ok = nullptr;
        for (QPushButton *b : d.findChildren<QPushButton *>())
            if (b->text().remove(u'&') == QLatin1String("OK"))
                ok = b;
        QVERIFY(ok);

        answer = QMessageBox::Cancel;  // "Keep editing"
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.at(0).contains(QStringLiteral("127.0.0.1")), qPrintable(asked.at(0)));
        QVERIFY(d.isVisible());
        QCOMPARE(d.result(), int(QDialog::Rejected));  // not accepted: the caller saves nothing

        answer = QMessageBox::Save;  // "Save anyway"
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(asked.size(), 2);
        QCOMPARE(d.result(), int(QDialog::Accepted));

        // The host changed after the failed test: that answer no longer applies.
        SettingsDialog edited(s, QString());
        edited.show();
        QTest::mouseClick(child<QPushButton>(edited, "testConnection"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!edited.testResult().isEmpty(), 20000);
        child<QLineEdit>(edited, "pgHost")->setText(QStringLiteral("db.example"));
        edited.accept();
        QCOMPARE(asked.size(), 2);
        QCOMPARE(edited.result(), int(QDialog::Accepted));
    }

    void labelsAreWordsWithTheKeyInTheTooltip()
    {
        SettingsDialog d(AppSettings{}, QString());
        QStringList texts, tips;
        for (QLabel *l : d.findChildren<QLabel *>()) {
            texts << l->text();
            tips << l->toolTip();
        }
        for (const char *key : {"security.protocol", "sasl.mechanism", "sasl.username", "sasl.password"}) {
            QVERIFY2(!texts.contains(QLatin1String(key)), key);
            QVERIFY2(std::any_of(tips.cbegin(), tips.cend(), [key](const QString &t) { return t.contains(QLatin1String(key)); }), key);
        }
        auto *sources = child<QListWidget>(d, "sources");
        for (int i = 0; i < sources->count(); ++i) {
            const QString key = sources->item(i)->data(Qt::UserRole).toString();
            QVERIFY(!key.isEmpty());
            QVERIFY2(sources->item(i)->text() != key, qPrintable(key));
            QVERIFY(sources->item(i)->toolTip().contains(key));
        }
        QVERIFY(!sources->findItems(QStringLiteral("WebSocket"), Qt::MatchContains).isEmpty());
        auto *protocol = child<QComboBox>(d, "securityProtocol");
        for (int i = 0; i < protocol->count(); ++i)
            QVERIFY2(protocol->itemText(i) != protocol->itemData(i).toString(), qPrintable(protocol->itemText(i)));
    }

    void pathsHaveBrowseAndResetAndShowWhole()
    {
        AppSettings s;
        const QString longPath = m_dir.filePath(QStringLiteral("a/rather/long/folder/name/for/the/market/data/ticks.db"));
        s.sqlitePath = longPath;
        s.replayPath = m_dir.filePath(QStringLiteral("recorded.jsonl"));
        SettingsDialog d(s, QString());
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        for (const char *name : {"sqlitePathBrowse", "sqlitePathReset", "replayPathBrowse", "replayPathReset"})
            QVERIFY2(d.findChild<QPushButton *>(QLatin1String(name)), name);
        auto *sqlite = child<QLineEdit>(d, "sqlitePath");
        QCOMPARE(sqlite->toolTip(), longPath);
        QCOMPARE(sqlite->cursorPosition(), 0);  // the start of the path is in view
        // The default path fits in the field without scrolling.
        const QString defaultPath = sqlite->placeholderText();
        QVERIFY(defaultPath.endsWith(QStringLiteral(".db")));
        QVERIFY2(sqlite->width() >= sqlite->fontMetrics().horizontalAdvance(defaultPath),
                 qPrintable(QStringLiteral("%1 < %2").arg(sqlite->width()).arg(sqlite->fontMetrics().horizontalAdvance(defaultPath))));
        QTest::mouseClick(child<QPushButton>(d, "sqlitePathReset"), Qt::LeftButton);
        QVERIFY(sqlite->text().isEmpty());
        QCOMPARE(sqlite->toolTip(), defaultPath);  // empty = the default, named in full
        QVERIFY(d.settings().sqlitePath.isEmpty());
        QTest::mouseClick(child<QPushButton>(d, "replayPathReset"), Qt::LeftButton);
        QVERIFY(d.settings().replayPath.isEmpty());
    }
};

QTEST_MAIN(TstUiSettings)
#include "tst_ui_settings.moc"
