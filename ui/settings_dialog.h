#pragma once
// The Settings dialog: sources and symbols, candle intervals, Kafka (embedded or bootstrap servers
// with security settings), database (SQLite file or PostgreSQL fields, "Test connection"), API keys
// and chart history. It edits an AppSettings value; the caller persists it (QSettings for plain
// fields, SecretStore for secrets) and applies it on the next Start.
#include "app_settings.h"

#include <QDialog>
#include <QFutureWatcher>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace ms::ui {

struct ProbeAnswer;

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(const AppSettings &settings, const QString &secretsNote, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    AppSettings settings() const;
    // The answer of the last "Test connection" (empty while none or still running).
    QString testResult() const;
    bool testRunning() const;

public Q_SLOTS:
    void testConnection();
    // OK: asks first when the database on screen just failed "Test connection" (or is being tested).
    void accept() override;

private:
    // settings_dialog_pages.cpp: each creates its page's widgets into the members below.
    QWidget *buildSourcesPage();
    QWidget *buildKafkaPage();
    QWidget *buildDatabasePage();
    QWidget *buildKeysPage(const QString &secretsNote);
    QWidget *buildChartsPage();
    void load(const AppSettings &s);
    void updateEnabled();

    AppSettings m_base;
    QListWidget *m_sources;
    QLineEdit *m_replayPath;
    QDoubleSpinBox *m_rate;
    QLineEdit *m_crypto;
    QLineEdit *m_stocks;
    QList<QCheckBox *> m_intervals;
    QRadioButton *m_kafkaEmbedded;
    QRadioButton *m_kafkaExternal;
    QLineEdit *m_bootstrap;
    QComboBox *m_protocol;
    QComboBox *m_mechanism;
    QLineEdit *m_saslUser;
    QLineEdit *m_saslPassword;
    QRadioButton *m_dbSqlite;
    QRadioButton *m_dbPostgres;
    QLineEdit *m_sqlitePath;
    QLineEdit *m_pgHost;
    QSpinBox *m_pgPort;
    QLineEdit *m_pgDatabase;
    QLineEdit *m_pgUser;
    QLineEdit *m_pgPassword;
    QPushButton *m_testButton;
    QLabel *m_testResult;
    QLineEdit *m_ccKey;
    QLineEdit *m_fhKey;
    QSpinBox *m_history;
    QSpinBox *m_retainTicks;
    QSpinBox *m_retainCandles;
    QFutureWatcher<ProbeAnswer> *m_probe;
    bool m_testPending = false;
    bool m_testFailed = false;
    QString m_testedUrl;  // the database the last test was about (password included: never shown)
};

}  // namespace ms::ui
