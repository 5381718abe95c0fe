#include "settings_dialog.h"

#include "database_probe.h"
#include "ui_theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
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
#include <functional>

namespace ms::ui {

namespace {
// Sources in words; the raw type (what --source and the settings file use) is the item's data and tooltip.
const std::pair<const char *, const char *> kSourceTypes[] = {
    {"simulator", QT_TRANSLATE_NOOP("SettingsDialog", "Simulator (deterministic, offline)")},
    {"replay", QT_TRANSLATE_NOOP("SettingsDialog", "Replay of a recorded file")},
    {"cryptocompare", QT_TRANSLATE_NOOP("SettingsDialog", "CryptoCompare, polled over REST")},
    {"cryptocompare-ws", QT_TRANSLATE_NOOP("SettingsDialog", "CryptoCompare, streamed over WebSocket")},
    {"finnhub", QT_TRANSLATE_NOOP("SettingsDialog", "Finnhub, polled over REST")},
    {"finnhub-ws", QT_TRANSLATE_NOOP("SettingsDialog", "Finnhub, streamed over WebSocket")}};
const QList<int> kIntervals{1, 60, 300, 3600};

QStringList splitSymbols(const QString &text)
{
    QStringList out;
    const QStringList parts = text.split(u',', Qt::SkipEmptyParts);
    for (const QString &p : parts)
        if (!p.trimmed().isEmpty())
            out << p.trimmed().toUpper();
    return out;
}

// A form label in words whose tooltip names the raw setting it stands for.
QLabel *keyLabel(const QString &words, const QString &key)
{
    auto *l = new QLabel(words);
    l->setToolTip(QObject::tr("Setting: %1").arg(key));
    return l;
}

// A path field with Browse… and Reset to default, shown whole: wide enough for the path it holds
// (and the default), with the full path in the tooltip and the start of the path in view.
QHBoxLayout *pathRow(QLineEdit *edit, const QString &defaultPath, const std::function<QString()> &browse)
{
    const QFontMetrics fm(edit->font());
    const int want = fm.horizontalAdvance(defaultPath) + fm.horizontalAdvance(QStringLiteral("MMMM"));
    edit->setMinimumWidth(std::clamp(want, 320, 760));
    auto sync = [edit, defaultPath] {
        const QString shown = edit->text().isEmpty() ? defaultPath : edit->text();
        edit->setToolTip(shown.isEmpty() ? QString() : shown);
    };
    QObject::connect(edit, &QLineEdit::textChanged, edit, sync);
    auto *browseButton = new QPushButton(QObject::tr("Browse…"));
    browseButton->setObjectName(edit->objectName() + QStringLiteral("Browse"));
    QObject::connect(browseButton, &QPushButton::clicked, edit, [edit, browse] {
        const QString f = browse();
        if (!f.isEmpty()) {
            edit->setText(f);
            edit->setCursorPosition(0);
        }
    });
    auto *reset = new QPushButton(QObject::tr("Reset to default"));
    reset->setObjectName(edit->objectName() + QStringLiteral("Reset"));
    reset->setToolTip(defaultPath.isEmpty() ? QObject::tr("Clear the field") : QObject::tr("Use %1").arg(defaultPath));
    QObject::connect(reset, &QPushButton::clicked, edit, [edit] { edit->clear(); });
    auto *row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browseButton);
    row->addWidget(reset);
    sync();
    return row;
}

QString defaultSqlitePath()
{
    const QString url = defaultDatabaseUrl();  // sqlite:///abs/path
    return url.startsWith(QLatin1String("sqlite://")) ? url.mid(9) : url;
}

QLineEdit *secretEdit(QWidget *parent, const QString &name)
{
    auto *e = new QLineEdit(parent);
    e->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    e->setObjectName(name);
    return e;
}
}  // namespace

SettingsDialog::SettingsDialog(const AppSettings &settings, const QString &secretsNote, QWidget *parent)
    : QDialog(parent), m_base(settings), m_probe(new QFutureWatcher<ProbeAnswer>(this))
{
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    auto *tabs = new QTabWidget(this);

    // Sources
    auto *sourcesPage = new QWidget;
    auto *sf = new QFormLayout(sourcesPage);
    m_sources = new QListWidget;
    m_sources->setObjectName(QStringLiteral("sources"));
    for (const auto &[type, words] : kSourceTypes) {
        auto *item = new QListWidgetItem(tr(words), m_sources);
        item->setData(Qt::UserRole, QLatin1String(type));
        item->setToolTip(tr("Source type: %1").arg(QLatin1String(type)));
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(Qt::Unchecked);
    }
    m_sources->setMaximumHeight(140);
    if (isDarkTheme()) {
        // Fusion outlines a check box with the Window colour darkened; on a dark Base the boxes of an
        // item view vanish. A lighter Window for this list only makes the unchecked boxes visible.
        QPalette p = m_sources->palette();
        p.setColor(QPalette::Window, QColor(0x8a, 0x93, 0xa0));
        m_sources->setPalette(p);
    }
    m_replayPath = new QLineEdit;
    m_replayPath->setObjectName(QStringLiteral("replayPath"));
    m_replayPath->setPlaceholderText(tr("JSONL file recorded with --record"));
    m_rate = new QDoubleSpinBox;
    m_rate->setObjectName(QStringLiteral("simulatorRate"));
    m_rate->setRange(0, 1e7);
    m_rate->setDecimals(0);
    m_rate->setSuffix(tr(" ticks/s"));
    m_rate->setSpecialValueText(tr("as fast as possible"));
    m_crypto = new QLineEdit;
    m_crypto->setObjectName(QStringLiteral("cryptoSymbols"));
    m_stocks = new QLineEdit;
    m_stocks->setObjectName(QStringLiteral("stockSymbols"));
    auto *intervalRow = new QHBoxLayout;
    for (int sec : kIntervals) {
        auto *box = new QCheckBox(sec < 60 ? tr("%1 s").arg(sec) : sec < 3600 ? tr("%1 min").arg(sec / 60) : tr("%1 h").arg(sec / 3600));
        box->setProperty("seconds", sec);
        box->setObjectName(QStringLiteral("interval%1").arg(sec));
        m_intervals << box;
        intervalRow->addWidget(box);
    }
    intervalRow->addStretch();
    sf->addRow(tr("Sources"), m_sources);
    sf->addRow(keyLabel(tr("Replay file"), QStringLiteral("--source replay:FILE")), pathRow(m_replayPath, QString(), [this] {
                   return QFileDialog::getOpenFileName(this, tr("Recorded ticks to replay"), m_replayPath->text(),
                                                       tr("Recorded ticks (*.jsonl *.json);;All files (*)"));
               }));
    sf->addRow(tr("Simulator rate"), m_rate);
    sf->addRow(tr("Crypto symbols"), m_crypto);
    sf->addRow(tr("Stock symbols"), m_stocks);
    sf->addRow(tr("Candle intervals"), intervalRow);
    tabs->addTab(sourcesPage, tr("Sources"));

    // Kafka
    auto *kafkaPage = new QWidget;
    auto *kf = new QFormLayout(kafkaPage);
    m_kafkaEmbedded = new QRadioButton(tr("Embedded broker (in this process; data lives as long as the app)"));
    m_kafkaEmbedded->setObjectName(QStringLiteral("kafkaEmbedded"));
    m_kafkaExternal = new QRadioButton(tr("External cluster"));
    m_kafkaExternal->setObjectName(QStringLiteral("kafkaExternal"));
    m_bootstrap = new QLineEdit;
    m_bootstrap->setObjectName(QStringLiteral("bootstrap"));
    m_bootstrap->setPlaceholderText(QStringLiteral("host1:9092,host2:9092"));
    m_protocol = new QComboBox;
    m_protocol->setObjectName(QStringLiteral("securityProtocol"));
    m_protocol->addItem(tr("Default (plain text)"), QString());
    m_protocol->addItem(tr("Plain text, no encryption"), QStringLiteral("plaintext"));
    m_protocol->addItem(tr("TLS encryption"), QStringLiteral("ssl"));
    m_protocol->addItem(tr("SASL login, no encryption"), QStringLiteral("sasl_plaintext"));
    m_protocol->addItem(tr("SASL login over TLS"), QStringLiteral("sasl_ssl"));
    m_mechanism = new QComboBox;
    m_mechanism->setObjectName(QStringLiteral("saslMechanism"));
    m_mechanism->addItem(tr("Default (PLAIN)"), QString());
    m_mechanism->addItem(tr("PLAIN (user name and password)"), QStringLiteral("PLAIN"));
    m_mechanism->addItem(QStringLiteral("SCRAM-SHA-256"), QStringLiteral("SCRAM-SHA-256"));
    m_mechanism->addItem(QStringLiteral("SCRAM-SHA-512"), QStringLiteral("SCRAM-SHA-512"));
    for (QComboBox *box : {m_protocol, m_mechanism})
        for (int i = 0; i < box->count(); ++i)
            box->setItemData(i, box->itemData(i).toString().isEmpty() ? tr("librdkafka's default") : box->itemData(i).toString(),
                             Qt::ToolTipRole);
    m_saslUser = new QLineEdit;
    m_saslUser->setObjectName(QStringLiteral("saslUsername"));
    m_saslPassword = secretEdit(this, QStringLiteral("saslPassword"));
    kf->addRow(m_kafkaEmbedded);
    kf->addRow(m_kafkaExternal);
    kf->addRow(keyLabel(tr("Bootstrap servers"), QStringLiteral("bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS)")), m_bootstrap);
    kf->addRow(keyLabel(tr("Security"), QStringLiteral("security.protocol (KAFKA_SECURITY_PROTOCOL)")), m_protocol);
    kf->addRow(keyLabel(tr("Login method"), QStringLiteral("sasl.mechanism")), m_mechanism);
    kf->addRow(keyLabel(tr("User name"), QStringLiteral("sasl.username")), m_saslUser);
    kf->addRow(keyLabel(tr("Password"), QStringLiteral("sasl.password")), m_saslPassword);
    tabs->addTab(kafkaPage, tr("Kafka"));

    // Database
    auto *dbPage = new QWidget;
    auto *df = new QFormLayout(dbPage);
    m_dbSqlite = new QRadioButton(tr("SQLite file (no server needed)"));
    m_dbSqlite->setObjectName(QStringLiteral("dbSqlite"));
    m_dbPostgres = new QRadioButton(tr("PostgreSQL"));
    m_dbPostgres->setObjectName(QStringLiteral("dbPostgres"));
    m_sqlitePath = new QLineEdit;
    m_sqlitePath->setObjectName(QStringLiteral("sqlitePath"));
    const QString defaultSqlite = defaultSqlitePath();
    m_sqlitePath->setPlaceholderText(defaultSqlite);
    auto *sqliteRow = pathRow(m_sqlitePath, defaultSqlite, [this, defaultSqlite] {
        return QFileDialog::getSaveFileName(this, tr("SQLite database"),
                                            m_sqlitePath->text().isEmpty() ? defaultSqlite : m_sqlitePath->text(),
                                            tr("SQLite databases (*.db *.sqlite);;All files (*)"), nullptr,
                                            QFileDialog::DontConfirmOverwrite);
    });
    m_pgHost = new QLineEdit;
    m_pgHost->setObjectName(QStringLiteral("pgHost"));
    m_pgPort = new QSpinBox;
    m_pgPort->setObjectName(QStringLiteral("pgPort"));
    m_pgPort->setRange(1, 65535);
    m_pgDatabase = new QLineEdit;
    m_pgDatabase->setObjectName(QStringLiteral("pgDatabase"));
    m_pgUser = new QLineEdit;
    m_pgUser->setObjectName(QStringLiteral("pgUser"));
    m_pgPassword = secretEdit(this, QStringLiteral("pgPassword"));
    m_testButton = new QPushButton(tr("Test connection"));
    m_testButton->setObjectName(QStringLiteral("testConnection"));
    m_testResult = new QLabel;
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    df->addRow(m_dbSqlite);
    df->addRow(tr("File"), sqliteRow);
    df->addRow(m_dbPostgres);
    df->addRow(tr("Host"), m_pgHost);
    df->addRow(tr("Port"), m_pgPort);
    df->addRow(tr("Database"), m_pgDatabase);
    df->addRow(tr("User"), m_pgUser);
    df->addRow(tr("Password"), m_pgPassword);
    df->addRow(m_testButton, m_testResult);
    // Retention (issue 14)
    m_retainTicks = new QSpinBox;
    m_retainTicks->setObjectName(QStringLiteral("retainTicksDays"));
    m_retainTicks->setRange(0, 36500);
    m_retainTicks->setSuffix(tr(" days"));
    m_retainTicks->setSpecialValueText(tr("forever"));
    m_retainCandles = new QSpinBox;
    m_retainCandles->setObjectName(QStringLiteral("retainOneSecondCandlesDays"));
    m_retainCandles->setRange(0, 36500);
    m_retainCandles->setSuffix(tr(" days"));
    m_retainCandles->setSpecialValueText(tr("forever"));
    df->addRow(tr("Keep raw ticks"), m_retainTicks);
    df->addRow(tr("Keep 1 s candles"), m_retainCandles);
    auto *retentionNote = new QLabel(tr("Older rows are deleted in the background in small batches; coarser candles, "
                                        "late ticks, alerts and gaps are kept forever."));
    retentionNote->setWordWrap(true);
    df->addRow(retentionNote);
    tabs->addTab(dbPage, tr("Database"));
    connect(m_testButton, &QPushButton::clicked, this, &SettingsDialog::testConnection);
    connect(m_probe, &QFutureWatcher<ProbeAnswer>::finished, this, [this] {
        const ProbeAnswer a = m_probe->result();
        m_testResult->setText(a.message);
        QPalette p = m_testResult->palette();
        p.setColor(QPalette::WindowText, a.ok ? upColor() : downColor());
        m_testResult->setPalette(p);
        m_testButton->setEnabled(true);
        m_testPending = false;
        m_testFailed = !a.ok;
    });

    // API keys
    auto *keysPage = new QWidget;
    auto *af = new QFormLayout(keysPage);
    m_ccKey = secretEdit(this, QStringLiteral("cryptoCompareApiKey"));
    m_fhKey = secretEdit(this, QStringLiteral("finnhubApiKey"));
    auto *note = new QLabel(secretsNote);
    note->setObjectName(QStringLiteral("secretsNote"));
    note->setWordWrap(true);
    af->addRow(tr("CryptoCompare API key"), m_ccKey);
    af->addRow(tr("Finnhub API key"), m_fhKey);
    af->addRow(note);
    tabs->addTab(keysPage, tr("API keys"));

    // Charts
    auto *chartsPage = new QWidget;
    auto *cf = new QFormLayout(chartsPage);
    m_history = new QSpinBox;
    m_history->setObjectName(QStringLiteral("historyPoints"));
    m_history->setRange(1000, 5000000);
    m_history->setSingleStep(50000);
    m_history->setSuffix(tr(" points per symbol"));
    cf->addRow(tr("Chart history"), m_history);
    cf->addRow(new QLabel(tr("Each point takes 16 bytes; older points are dropped first.")));
    tabs->addTab(chartsPage, tr("Charts"));

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
