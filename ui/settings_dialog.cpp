#include "settings_dialog.h"

#include "database_probe.h"
#include "ui_theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ms::ui {

namespace {
QStringList splitSymbols(const QString &text)
{
    QStringList out;
    const QStringList parts = text.split(u',', Qt::SkipEmptyParts);
    for (const QString &p : parts)
        if (!p.trimmed().isEmpty())
            out << p.trimmed().toUpper();
    return out;
}
}  // namespace

SettingsDialog::SettingsDialog(const AppSettings &settings, const QString &secretsNote, QWidget *parent)
    : QDialog(parent), m_base(settings), m_probe(new QFutureWatcher<ProbeAnswer>(this))
{
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    auto *tabs = new QTabWidget(this);

    tabs->addTab(buildSourcesPage(), tr("Sources"));
    tabs->addTab(buildKafkaPage(), tr("Kafka"));
    tabs->addTab(buildDatabasePage(), tr("Database"));
    tabs->addTab(buildKeysPage(secretsNote), tr("API keys"));
    tabs->addTab(buildChartsPage(), tr("Charts"));

    auto *hint = new QLabel(tr("Changes apply on the next Start."));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(hint, 1);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);

    for (QRadioButton *r : {m_kafkaEmbedded, m_kafkaExternal, m_dbSqlite, m_dbPostgres})
        connect(r, &QRadioButton::toggled, this, &SettingsDialog::updateEnabled);
    load(settings);
    resize(std::max(720, sizeHint().width()), 520);
}

SettingsDialog::~SettingsDialog()
{
    // A probe still running finishes on the pool; its answer is simply dropped.
    m_probe->disconnect(this);
}

void SettingsDialog::load(const AppSettings &s)
{
    for (int i = 0; i < m_sources->count(); ++i)
        m_sources->item(i)->setCheckState(s.sources.contains(m_sources->item(i)->data(Qt::UserRole).toString()) ? Qt::Checked
                                                                                                             : Qt::Unchecked);
    m_replayPath->setText(s.replayPath);
    m_replayPath->setCursorPosition(0);
    m_rate->setValue(s.simulatorRate);
    m_crypto->setText(s.cryptoSymbols.join(QStringLiteral(", ")));
    m_stocks->setText(s.stockSymbols.join(QStringLiteral(", ")));
    for (QCheckBox *b : std::as_const(m_intervals))
        b->setChecked(s.candleIntervalsSec.contains(b->property("seconds").toInt()));
    (s.kafkaEmbedded ? m_kafkaEmbedded : m_kafkaExternal)->setChecked(true);
    m_bootstrap->setText(s.kafkaBootstrap);
    m_protocol->setCurrentIndex(std::max(0, m_protocol->findData(s.securityProtocol)));
    m_mechanism->setCurrentIndex(std::max(0, m_mechanism->findData(s.saslMechanism)));
    m_saslUser->setText(s.saslUsername);
    m_saslPassword->setText(s.saslPassword);
    (s.databaseSqlite ? m_dbSqlite : m_dbPostgres)->setChecked(true);
    m_sqlitePath->setText(s.sqlitePath);
    m_sqlitePath->setCursorPosition(0);  // the start of the path in view, not only its end
    m_pgHost->setText(s.pgHost);
    m_pgPort->setValue(s.pgPort);
    m_pgDatabase->setText(s.pgDatabase);
    m_pgUser->setText(s.pgUser);
    m_pgPassword->setText(s.pgPassword);
    m_ccKey->setText(s.cryptoCompareApiKey);
    m_fhKey->setText(s.finnhubApiKey);
    m_history->setValue(s.historyPointsPerSymbol);
    m_retainTicks->setValue(s.retainTicksDays);
    m_retainCandles->setValue(s.retainOneSecondCandlesDays);
    updateEnabled();
}

AppSettings SettingsDialog::settings() const
{
    AppSettings s = m_base;
    s.saved = true;
    s.sources.clear();
    for (int i = 0; i < m_sources->count(); ++i)
        if (m_sources->item(i)->checkState() == Qt::Checked)
            s.sources << m_sources->item(i)->data(Qt::UserRole).toString();
    s.replayPath = m_replayPath->text().trimmed();
    s.simulatorRate = m_rate->value();
    s.cryptoSymbols = splitSymbols(m_crypto->text());
    s.stockSymbols = splitSymbols(m_stocks->text());
    s.candleIntervalsSec.clear();
    for (QCheckBox *b : m_intervals)
        if (b->isChecked())
            s.candleIntervalsSec << b->property("seconds").toInt();
    s.kafkaEmbedded = m_kafkaEmbedded->isChecked();
    s.kafkaBootstrap = m_bootstrap->text().trimmed();
    s.securityProtocol = m_protocol->currentData().toString();
    s.saslMechanism = m_mechanism->currentData().toString();
    s.saslUsername = m_saslUser->text().trimmed();
    s.saslPassword = m_saslPassword->text();
    s.databaseSqlite = m_dbSqlite->isChecked();
    s.sqlitePath = m_sqlitePath->text().trimmed();
    s.pgHost = m_pgHost->text().trimmed();
    s.pgPort = m_pgPort->value();
    s.pgDatabase = m_pgDatabase->text().trimmed();
    s.pgUser = m_pgUser->text().trimmed();
    s.pgPassword = m_pgPassword->text();
    s.cryptoCompareApiKey = m_ccKey->text().trimmed();
    s.finnhubApiKey = m_fhKey->text().trimmed();
    s.historyPointsPerSymbol = m_history->value();
    s.retainTicksDays = m_retainTicks->value();
    s.retainOneSecondCandlesDays = m_retainCandles->value();
    return s;
}

void SettingsDialog::updateEnabled()
{
    const bool external = m_kafkaExternal->isChecked();
    for (QWidget *w : {static_cast<QWidget *>(m_bootstrap), static_cast<QWidget *>(m_protocol), static_cast<QWidget *>(m_mechanism),
                       static_cast<QWidget *>(m_saslUser), static_cast<QWidget *>(m_saslPassword)})
        w->setEnabled(external);
    const bool pg = m_dbPostgres->isChecked();
    m_sqlitePath->setEnabled(!pg);
    for (QWidget *w : {static_cast<QWidget *>(m_pgHost), static_cast<QWidget *>(m_pgPort), static_cast<QWidget *>(m_pgDatabase),
                       static_cast<QWidget *>(m_pgUser), static_cast<QWidget *>(m_pgPassword)})
        w->setEnabled(pg);
}

void SettingsDialog::testConnection()
{
    if (m_testPending)
        return;
    m_testPending = true;
    m_testButton->setEnabled(false);
    m_testResult->setPalette(palette());
    m_testResult->setText(tr("Connecting…"));
    m_testedUrl = settings().databaseUrl();
    m_testFailed = false;
    m_probe->setFuture(probeDatabase(m_testedUrl));
}

void SettingsDialog::accept()
{
    // A database that just failed "Test connection" is not saved without asking: otherwise the
    // failure only shows at the next Start. Editing the fields after the test retires its answer.
    const bool failedHere = m_testFailed && m_testedUrl == settings().databaseUrl();
    const bool stillTesting = m_testPending && m_testedUrl == settings().databaseUrl();
    if (failedHere || stillTesting) {
        QMessageBox box(QMessageBox::Warning, tr("Save these settings?"),
                        failedHere ? tr("The connection test of this database failed:") : tr("The connection test is still running."),
                        QMessageBox::Save | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("confirmFailedTest"));
        if (failedHere)
            box.setInformativeText(m_testResult->text() + QStringLiteral("\n\n") + tr("Save anyway? The pipeline will report the same error at Start."));
        box.setDefaultButton(QMessageBox::Cancel);
        box.button(QMessageBox::Save)->setText(tr("Save anyway"));
        box.button(QMessageBox::Cancel)->setText(tr("Keep editing"));
        if (box.exec() != QMessageBox::Save)
            return;  // the dialog stays open, nothing is saved
    }
    QDialog::accept();
}

QString SettingsDialog::testResult() const
{
    return m_testPending ? QString() : m_testResult->text();
}

bool SettingsDialog::testRunning() const
{
    return m_testPending;  // until the answer is on screen
}

}  // namespace ms::ui
