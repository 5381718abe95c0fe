#pragma once
// The "Power BI" tab: what a DirectQuery report would show, from the same star views through QtSql.
// KPI cards (last price, change %, volume, VWAP for the selected symbol or all), a sortable table of
// v_latest_quote and a daily close trend from v_daily_summary, refreshed every refreshIntervalMs().
// Every query runs on the thread pool with its own connection (never on the GUI thread); a refresh that
// is still running makes the next tick wait. "Export Power BI dataset…" runs exportPowerBi off the GUI
// thread with a progress dialog and Cancel. Works on PostgreSQL and SQLite URLs.
#include "reporting/reporting_queries.h"

#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <memory>

class QAbstractItemModel;
class QComboBox;
class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QTimer;

class QChart;
class QChartView;

namespace ms {

class PowerBiView : public QWidget
{
    Q_OBJECT

public:
    explicit PowerBiView(QWidget *parent = nullptr);
    ~PowerBiView() override;

    // DATABASE_URL (postgresql://… or sqlite://…). Triggers a refresh. The password is never shown.
    void setDatabaseUrl(const QString &url);
    QString databaseUrl() const { return m_url; }
    // Like DirectQuery's automatic page refresh; <= 0 stops the timer. Default 5000 ms.
    void setRefreshIntervalMs(int ms);
    int refreshIntervalMs() const { return m_intervalMs; }
    // Starts a refresh now (or right after the running one).
    void refreshNow();
    bool isRefreshing() const { return m_refresh.isRunning(); }

    // Exports to outDir without asking (the button asks for the folder, then calls this).
    void startExport(const QString &outDir);
    bool isExporting() const { return m_export.isRunning(); }

    // For tests and accessibility: the KPI card texts ("last", "change", "volume", "vwap"), the table
    // model (one row per symbol), the points in the trend chart and the status line.
    QString kpiText(const QString &card) const;
    QAbstractItemModel *quotesModel() const;
    int trendPointCount() const;
    QString statusText() const;
    void selectSymbol(const QString &symbolKey);  // "" = all symbols

Q_SIGNALS:
    void refreshed(bool ok);
    void exportFinished(bool ok, const QString &message);

private:
    struct Snapshot
    {
        bool ok = false;
        QString error;
        QList<reporting::LatestQuote> quotes;
        QList<reporting::DailySummary> daily;
    };
    static Snapshot fetch(const QString &url, const QString &symbolKey);
    void applySnapshot(const Snapshot &s);
    void updateKpis();
    void updateChart(const QList<reporting::DailySummary> &daily);
    void chooseExportFolder();

    QString m_url;
    int m_intervalMs = 5000;
    bool m_pending = false;
    QList<reporting::LatestQuote> m_quotes;
    QTimer *m_timer = nullptr;
    QComboBox *m_symbol = nullptr;
    QLabel *m_last = nullptr, *m_change = nullptr, *m_volume = nullptr, *m_vwap = nullptr, *m_status = nullptr;
    QPushButton *m_exportButton = nullptr;
    QStandardItemModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QChart *m_chart = nullptr;
    QChartView *m_chartView = nullptr;
    QFutureWatcher<Snapshot> m_refresh;
    QFutureWatcher<QString> m_export;  // "" on success, else the error
    std::shared_ptr<std::atomic_bool> m_cancelExport;
};

}  // namespace ms
