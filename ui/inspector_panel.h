#pragma once
// The Inspector tab: tails any topic of the pipeline's cluster (the embedded broker while it runs)
// or of any cluster typed in, with a text filter, pause/resume and a start at the end, the
// beginning or a date-time. Reading happens on an InspectorWorker on its own QThread with its own
// Kafka client (kafka/topic_tail.h: no group join, no commit); a 30 fps timer moves what it read
// into the table, so the GUI thread does one model update per frame at most.
#include "kafka/kafka_config.h"

#include <QWidget>
#include <functional>
#include <memory>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QThread;
class QTimer;

namespace ms::kafka {
class TailBuffer;
}

namespace ms::ui {

class InspectorModel;
class InspectorWorker;

class InspectorPanel : public QWidget
{
    Q_OBJECT
public:
    explicit InspectorPanel(QWidget *parent = nullptr);
    ~InspectorPanel() override;

    // Where "the pipeline's cluster" is (bootstrap + properties): asked at each refresh/start when
    // the cluster field is empty. The main window passes the running pipeline's.
    void setClusterProvider(std::function<kafka::KafkaSettings()> provider)
    {
        m_provider = std::move(provider);
    }

    // For tests and the window: the same as the buttons.
    void refreshTopics();
    void startTail();
    void stopTail();
    void setPaused(bool paused);

    QLineEdit *clusterEdit() const { return m_cluster; }
    QComboBox *topicBox() const { return m_topic; }
    QComboBox *startBox() const { return m_startMode; }
    QDateTimeEdit *startTimeEdit() const { return m_startTime; }
    QLineEdit *filterEdit() const { return m_filter; }
    QPushButton *pauseButton() const { return m_pause; }
    QTableView *table() const { return m_table; }
    QSortFilterProxyModel *filtered() const { return m_proxy; }
    InspectorModel *model() const { return m_model; }
    QPlainTextEdit *detail() const { return m_detail; }
    QLabel *statusLabel() const { return m_status; }
    bool tailing() const { return m_running; }

Q_SIGNALS:
    void tailStarted();
    void topicsListed(int count);

private:
    kafka::KafkaSettings cluster() const;
    void frame();
    void showDetail();

    std::function<kafka::KafkaSettings()> m_provider;
    std::shared_ptr<kafka::TailBuffer> m_buffer;
    QThread *m_thread = nullptr;
    InspectorWorker *m_worker = nullptr;
    InspectorModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTimer *m_frame = nullptr;
    QLineEdit *m_cluster = nullptr;
    QComboBox *m_topic = nullptr;
    QComboBox *m_startMode = nullptr;
    QDateTimeEdit *m_startTime = nullptr;
    QLineEdit *m_filter = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_startButton = nullptr;
    QTableView *m_table = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QLabel *m_status = nullptr;
    QString m_topicName;
    QString m_lastError;
    int m_partitions = 0;
    bool m_running = false; // reading (started() came)
    bool m_busy = false;    // a run() is queued or running (until stopped())
    bool m_pendingStart = false;
    bool m_paused = false;
};

} // namespace ms::ui
