#pragma once
// Pipeline health: rates, consumer lag per topic, produce→database latency and rejected /
// dead-lettered counts as live charts over time, plus tables of sources and partitions.
#include "health_history.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace ms::ui {

class TimeChart;

class HealthPanel : public QWidget
{
    Q_OBJECT
public:
    explicit HealthPanel(QWidget *parent = nullptr);

    // Called once per frame; takes a sample at most once per second and returns whether it did.
    // The charts are redrawn with each sample while visible, else when shown again.
    bool update(const MetricsSnapshot &snapshot, qint64 nowMs);
    void clear();
    const HealthHistory &history() const { return m_history; }
    QTableWidget *sourcesTable() const { return m_sources; }
    QTableWidget *partitionsTable() const { return m_partitions; }
    // One-line summary shown in the status bar.
    QString summary() const;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void fillTables(const MetricsSnapshot &s);
    void drawCharts();

    HealthHistory m_history;
    bool m_chartsStale = false;
    TimeChart *m_rates;
    TimeChart *m_lag;
    TimeChart *m_latency;
    TimeChart *m_errors;
    QLabel *m_totals;
    QTableWidget *m_sources;
    QTableWidget *m_partitions;
};

}  // namespace ms::ui
