#pragma once
// The "Power BI" tab: the dashboard a DirectQuery report would show, from the same reporting views.
// One symbol: KPI cards (last price, 24 h change, high, low, volume in the instrument's unit, VWAP),
// daily candles and volume bars over the range, its daily candle table. "All symbols": symbols per
// asset class, % change from the start of the range, top movers, the latest quote of every symbol.
// A range control (7 d, 30 d, all: calendar days up to the newest stored day) applies to both.
//
// Every query runs on the thread pool with its own connection (never on the GUI thread); a refresh
// that is still running makes the next one wait. It refreshes every refreshIntervalMs() and works
// before the pipeline starts: without setDatabaseUrl() it reads the database the pipeline would use
// (DATABASE_URL from the environment or .env, else the default SQLite file), and says so when that
// file does not exist yet instead of creating it.
// "Export Power BI dataset…" runs exportPowerBi off the GUI thread: progress in words up to 100 %,
// then the folder (with "Open folder") or the error, in words, in a message box and the status line.
#include "reporting/dashboard.h"

#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <memory>

class QAbstractItemModel;
class QButtonGroup;
class QChart;
class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTimer;

namespace ms {

namespace powerbi {
class OverviewPage;
class SymbolPage;
}

class PowerBiView : public QWidget
{
    Q_OBJECT

public:
    explicit PowerBiView(QWidget *parent = nullptr);
    ~PowerBiView() override;

    // DATABASE_URL (postgresql://… or sqlite://…). Triggers a refresh. The password is never shown.
    void setDatabaseUrl(const QString &url);
    QString databaseUrl() const { return m_url; }
    // What the view reads when nobody called setDatabaseUrl(): the pipeline's own default.
    static QString fallbackDatabaseUrl();
    // Like DirectQuery's automatic page refresh; <= 0 stops the timer. Default 5000 ms.
    void setRefreshIntervalMs(int ms);
    int refreshIntervalMs() const { return m_intervalMs; }
    // Starts a refresh now (or right after the running one).
    void refreshNow();
    bool isRefreshing() const { return m_refresh.isRunning(); }
    void setRange(reporting::DashboardRange range);
    reporting::DashboardRange range() const { return m_range; }
    void selectSymbol(const QString &symbolKey);  // "" = all symbols
    bool showsAllSymbols() const;

    // Exports to outDir without asking (the button asks for the folder, then calls this).
    void startExport(const QString &outDir);
    bool isExporting() const { return m_export.isRunning(); }
    // The last export's result in words ("Exported 12 files … to /path", "Export failed: …").
    QString lastExportMessage() const { return m_lastExportMessage; }
    // The progress dialog's last value (0..100) and label, as the user saw them.
    int exportProgressPercent() const { return m_progressPercent; }
    QString exportProgressLabel() const { return m_progressLabel; }

    // For tests and accessibility: KPI card texts and numbers ("last", "change", "high", "low",
    // "volume", "vwap" on the symbol page; "count:all", "count:crypto", … on the overview), the pages.
    QString kpiText(const QString &card) const;
    std::optional<double> kpiNumber(const QString &card) const;
    QAbstractItemModel *quotesModel() const;   // overview: one row per symbol
    QAbstractItemModel *candleModel() const;   // symbol page: one row per day
    powerbi::SymbolPage *symbolPage() const { return m_symbolPage; }
    powerbi::OverviewPage *overviewPage() const { return m_overview; }
    int trendPointCount() const;               // points on the chart of the current page
    QString statusText() const;        // the last refresh: symbols, database, time, or why not
    QString exportStatusText() const;  // the last export, one line: it stays when a refresh ends

Q_SIGNALS:
    void refreshed(bool ok);
    void exportFinished(bool ok, const QString &message);

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Snapshot
    {
        bool ok = false;
        QString error;
        QString symbolKey;  // what was asked for
        QList<reporting::LatestQuote> quotes;
        QList<reporting::DailySummary> daily;
    };
    struct ExportOutcome
    {
        bool ok = false;
        QString message;
    };
    static Snapshot fetch(const QString &url, const QString &symbolKey, int days);
    static ExportOutcome runExport(const QString &url, const QString &outDir, const std::function<void(int, QString)> &progress,
                                   const std::atomic_bool *cancel);
    void applySnapshot(const Snapshot &s);
    void showPage();
    void markCheckedRange();
    void chooseExportFolder();
    void finishExport(const ExportOutcome &outcome, const QString &outDir);

    QString m_url;
    int m_intervalMs = 5000;
    bool m_pending = false;
    reporting::DashboardRange m_range = reporting::DashboardRange::Days30;
    Snapshot m_last;
    QTimer *m_timer = nullptr;
    QComboBox *m_symbol = nullptr;
    QButtonGroup *m_rangeButtons = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_exportStatus = nullptr;
    QPushButton *m_exportButton = nullptr;
    QStackedWidget *m_pages = nullptr;
    powerbi::SymbolPage *m_symbolPage = nullptr;
    powerbi::OverviewPage *m_overview = nullptr;
    QFutureWatcher<Snapshot> m_refresh;
    QFutureWatcher<ExportOutcome> m_export;
    QString m_exportDir;
    QString m_lastExportMessage;
    int m_progressPercent = 0;
    QString m_progressLabel;
    std::shared_ptr<std::atomic_bool> m_cancelExport;
};

}  // namespace ms
