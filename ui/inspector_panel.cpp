#include "inspector_panel.h"

#include "inspector_model.h"
#include "inspector_worker.h"
#include "kafka/tail_format.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QFontMetrics>
#include <QTableView>

#include <iterator>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace ms::ui {

namespace {
constexpr int kBufferCapacity = 20000; // between two frames; beyond it the oldest go (counted)
constexpr int kTableRows = 5000;
} // namespace

InspectorPanel::InspectorPanel(QWidget *parent)
    : QWidget(parent), m_buffer(std::make_shared<kafka::TailBuffer>(kBufferCapacity))
{
    qRegisterMetaType<ms::kafka::TailOptions>();
    setObjectName(QStringLiteral("inspectorPanel"));

    m_cluster = new QLineEdit(this);
    m_cluster->setObjectName(QStringLiteral("inspectorCluster"));
    m_cluster->setPlaceholderText(tr("the pipeline's cluster (or HOST:PORT of another)"));
    m_topic = new QComboBox(this);
    m_topic->setObjectName(QStringLiteral("inspectorTopic"));
    m_topic->setEditable(true);
    m_topic->setMinimumContentsLength(18);
    auto *refresh = new QPushButton(tr("Topics"), this);
    refresh->setToolTip(
        tr("List the cluster's topics (ticks, the .dlq dead-letter topics, any other)"));
    m_startMode = new QComboBox(this);
    m_startMode->setObjectName(QStringLiteral("inspectorStart"));
    m_startMode->addItem(tr("From the end"));
    m_startMode->addItem(tr("From the beginning"));
    m_startMode->addItem(tr("From a time"));
    m_startTime = new QDateTimeEdit(QDateTime::currentDateTimeUtc().addSecs(-3600), this);
    m_startTime->setTimeSpec(Qt::UTC);
    m_startTime->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    m_startTime->setCalendarPopup(true);
    m_startTime->setEnabled(false);
    m_startButton = new QPushButton(tr("Tail"), this);
    m_startButton->setObjectName(QStringLiteral("inspectorTail"));
    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setObjectName(QStringLiteral("inspectorPause"));
    m_pause->setCheckable(true);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("inspectorFilter"));
    m_filter->setPlaceholderText(tr("Filter: key, headers or value contain…"));
    m_filter->setClearButtonEnabled(true);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Cluster"), this));
    top->addWidget(m_cluster, 2);
    top->addWidget(new QLabel(tr("Topic"), this));
    top->addWidget(m_topic, 2);
    top->addWidget(refresh);
    top->addWidget(m_startMode);
    top->addWidget(m_startTime);
    top->addWidget(m_startButton);
    top->addWidget(m_pause);

    m_model = new InspectorModel(kTableRows, this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(InspectorModel::SearchRole);
    m_proxy->setFilterKeyColumn(0);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("inspectorTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    // Partition, offset, time, key and headers are short: sized to their text (a full UTC time with
    // milliseconds), the value takes the rest of the width.
    {
        const QFontMetrics fm(m_table->font());
        const int pad = 2 * fm.horizontalAdvance(u' ') + 12;
        const int widths[] = {fm.horizontalAdvance(QStringLiteral("Partition")), fm.horizontalAdvance(QStringLiteral("0000000000")),
                              fm.horizontalAdvance(QStringLiteral("2026-12-01T14:21:50.000Z")),
                              fm.horizontalAdvance(QStringLiteral("GOOGL.X")), fm.horizontalAdvance(QStringLiteral("ms-truncated: 1"))};
        for (int c = 0; c < int(std::size(widths)); ++c)
            m_table->horizontalHeader()->resizeSection(c, widths[c] + pad);
    }
    m_detail = new QPlainTextEdit(this);
    m_detail->setObjectName(QStringLiteral("inspectorDetail"));
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(
        tr("Select a message to see its headers and its value pretty-printed."));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_status = new QLabel(tr("Not tailing. Pick a topic and press Tail."), this);
    m_status->setObjectName(QStringLiteral("inspectorStatus"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_filter);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("ms-inspector"));
    m_worker = new InspectorWorker(m_buffer);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();

    connect(m_worker, &InspectorWorker::started, this,
            [this](const QString &topic, int partitions) {
                m_running = true;
                m_topicName = topic;
                m_partitions = partitions;
                m_lastError.clear();
                Q_EMIT tailStarted();
            });
    connect(m_worker, &InspectorWorker::pausedChanged, this,
            [this](bool paused) { m_paused = paused; });
    connect(m_worker, &InspectorWorker::failed, this, [this](const QString &message) {
        m_lastError = message;
        m_status->setText(message);
    });
    connect(m_worker, &InspectorWorker::stopped, this, [this] {
        m_running = false;
        m_busy = false;
        if (m_pendingStart) {
            m_pendingStart = false;
            startTail();
        }
    });
    connect(refresh, &QPushButton::clicked, this, &InspectorPanel::refreshTopics);
    connect(m_startButton, &QPushButton::clicked, this, &InspectorPanel::startTail);
    connect(m_pause, &QPushButton::toggled, this, &InspectorPanel::setPaused);
    connect(m_startMode, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_startTime->setEnabled(i == 2); });
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &InspectorPanel::showDetail);

    m_frame = new QTimer(this);
    m_frame->setInterval(33); // ~30 fps: one model update per frame at most
    connect(m_frame, &QTimer::timeout, this, &InspectorPanel::frame);
    m_frame->start();
}

InspectorPanel::~InspectorPanel()
{
    m_worker->requestStop(); // the loop sees it within one poll slice
    m_thread->quit();
    m_thread->wait();
}

kafka::KafkaSettings InspectorPanel::cluster() const
{
    kafka::KafkaSettings s = m_provider ? m_provider() : kafka::KafkaSettings{};
    const QString typed = m_cluster->text().trimmed();
    if (!typed.isEmpty())
        s.bootstrap = typed;
    return s;
}

void InspectorPanel::refreshTopics()
{
    const kafka::KafkaSettings s = cluster();
    if (s.bootstrap.isEmpty()) {
        m_status->setText(
            tr("No cluster: start the pipeline (embedded broker) or type HOST:PORT."));
        return;
    }
    // A short-lived client on the thread pool (bounded to 5 s): the tail's worker may be busy
    // reading.
    QtConcurrent::run([s] {
        return kafka::TopicTail::listTopics(s, 5000);
    }).then(this, [this](const Result<QStringList> &topics) {
        if (!topics) {
            m_status->setText(topics.errorMessage());
            return;
        }
        const QString current = m_topic->currentText();
        m_topic->clear();
        m_topic->addItems(topics.value());
        if (!current.isEmpty())
            m_topic->setCurrentText(current);
        Q_EMIT topicsListed(topics.value().size());
    });
}

void InspectorPanel::startTail()
{
    if (m_busy) { // restart: stop the queued or running loop first; its stopped() starts the new one
        m_pendingStart = true;
        m_worker->requestStop();
        return;
    }
    kafka::TailOptions o;
    o.settings = cluster();
    o.topic = m_topic->currentText().trimmed();
    if (o.settings.bootstrap.isEmpty() || o.topic.isEmpty()) {
        m_status->setText(tr("Pick a cluster and a topic first."));
        return;
    }
    o.start = m_startMode->currentIndex() == 1   ? kafka::TailStart::Beginning
              : m_startMode->currentIndex() == 2 ? kafka::TailStart::Time
                                                 : kafka::TailStart::End;
    o.startTimeMs = m_startTime->dateTime().toMSecsSinceEpoch();
    m_model->clear();
    m_detail->clear();
    m_buffer->takeAll();
    m_lastError.clear();
    m_worker->setPaused(m_pause->isChecked());
    m_status->setText(tr("Connecting to %1…").arg(o.topic));
    m_busy = true;
    m_worker->clearStop();
    QMetaObject::invokeMethod(m_worker, "run", Qt::QueuedConnection,
                              Q_ARG(ms::kafka::TailOptions, o));
}

void InspectorPanel::stopTail()
{
    m_pendingStart = false;
    m_worker->requestStop();
}

void InspectorPanel::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused); // comes back here through toggled()
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_worker->setPaused(paused);
}

void InspectorPanel::frame()
{
    std::deque<kafka::TailRecord> got = m_buffer->takeAll();
    if (!got.empty())
        m_model->append(std::move(got));
    if (!m_running || !m_lastError.isEmpty())
        return;
    QString text = tr("%1 (%2 partitions): %3 messages received, %4 shown")
                       .arg(m_topicName)
                       .arg(m_partitions)
                       .arg(m_model->received())
                       .arg(m_proxy->rowCount());
    if (const qint64 dropped = m_buffer->dropped())
        text += tr(", %1 skipped (arriving faster than shown)").arg(dropped);
    if (m_paused)
        text += tr(" — paused");
    if (m_status->text() != text)
        m_status->setText(text);
}

void InspectorPanel::showDetail()
{
    const QModelIndex index = m_proxy->mapToSource(m_table->currentIndex());
    if (!index.isValid()) {
        m_detail->clear();
        return;
    }
    const kafka::TailRecord &r = m_model->record(index.row());
    QString text = tr("%1 [%2] offset %3").arg(r.topic).arg(r.partition).arg(r.offset);
    if (r.timestampMs >= 0)
        text += tr(", %1").arg(
            QDateTime::fromMSecsSinceEpoch(r.timestampMs, Qt::UTC).toString(Qt::ISODateWithMs));
    text += tr("\nKey: %1\n").arg(inspectorCellText(r.key, 1000));
    for (const auto &[name, value] : r.headers)
        text += tr("Header %1: %2\n").arg(name, inspectorCellText(value, 1000));
    text += u'\n' + kafka::tailValueText(r);
    m_detail->setPlainText(text);
}

} // namespace ms::ui
