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

    // Called once per frame; redraws at most once per second. Returns whether it redrew.
    bool update(const MetricsSnapshot &snapshot, qint64 nowMs);
    void clear();
    const HealthHistory &history() const { return m_history; }
    QTableWidget *sourcesTable() const { return m_sources; }
    QTableWidget *partitionsTable() const { return m_partitions; }
    // One-line summary shown in the status bar.
    QString summary() const;

private:
    void fillTables(const MetricsSnapshot &s);

    HealthHistory m_history;
    TimeChart *m_rates;
    TimeChart *m_lag;
    TimeChart *m_latency;
    TimeChart *m_errors;
    QLabel *m_totals;
    QTableWidget *m_sources;
    QTableWidget *m_partitions;
};

}  // namespace ms::ui
