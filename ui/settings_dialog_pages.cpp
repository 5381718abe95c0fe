// The five pages of the Settings dialog, built once by its constructor (settings_dialog.cpp
// keeps loading, reading back and checking the values).
#include "settings_dialog.h"

#include "database_probe.h"
#include "ui_theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

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

QWidget *SettingsDialog::buildSourcesPage()
{
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
    return sourcesPage;
}

QWidget *SettingsDialog::buildKafkaPage()
{
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
    return kafkaPage;
}

QWidget *SettingsDialog::buildDatabasePage()
{
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
    return dbPage;
}

QWidget *SettingsDialog::buildKeysPage(const QString &secretsNote)
{
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
    return keysPage;
}

QWidget *SettingsDialog::buildChartsPage()
{
    auto *chartsPage = new QWidget;
    auto *cf = new QFormLayout(chartsPage);
    m_history = new QSpinBox;
    m_history->setObjectName(QStringLiteral("historyPoints"));
    m_history->setRange(1000, 5000000);
    m_history->setSingleStep(50000);
    m_history->setSuffix(tr(" points per symbol"));
    cf->addRow(tr("Chart history"), m_history);
    cf->addRow(new QLabel(tr("Each point takes 16 bytes; older points are dropped first.")));
    return chartsPage;
}

}  // namespace ms::ui
