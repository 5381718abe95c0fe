#pragma once
// The two pages of the Power BI tab. SymbolPage: KPI cards of one symbol (v_latest_quote), its daily
// candles and daily volume bars over the shown range, and its daily candle table (v_daily_summary).
// OverviewPage ("All symbols"): symbols per asset class, % change from the start of the range (one
// line per symbol), top movers over 24 h and the latest quote of every symbol. No page adds
// quantities of different instruments.
#include "reporting/dashboard.h"

#include <QMap>
#include <QWidget>

class QChart;
class QChartView;
class QLabel;
class QStandardItemModel;
class QTableView;
class QHBoxLayout;

namespace ms::powerbi {

// A KPI card: caption over a large value; remembers the number behind the text (for tests).
class KpiCard : public QWidget
{
    Q_OBJECT

public:
    KpiCard(const QString &caption, QWidget *parent = nullptr);
    void setValue(const QString &text, std::optional<double> number, const QColor &colour = {});
    QString text() const;
    std::optional<double> number() const { return m_number; }

private:
    QLabel *m_caption = nullptr;
    QLabel *m_value = nullptr;
    std::optional<double> m_number;
};

class SymbolPage : public QWidget
{
    Q_OBJECT

public:
    explicit SymbolPage(QWidget *parent = nullptr);
    void display(const reporting::LatestQuote *quote, const QList<reporting::DailySummary> &days);
    KpiCard *card(const QString &name) const { return m_cards.value(name); }
    QChart *priceChart() const { return m_price; }
    QChart *volumeChart() const { return m_volume; }
    QStandardItemModel *candleModel() const { return m_candles; }

private:
    QMap<QString, KpiCard *> m_cards;
    QChart *m_price = nullptr, *m_volume = nullptr;
    QStandardItemModel *m_candles = nullptr;
};

class OverviewPage : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewPage(QWidget *parent = nullptr);
    void display(const QList<reporting::LatestQuote> &quotes, const QList<reporting::DailySummary> &days);
    KpiCard *card(const QString &name) const { return m_cards.value(name); }
    QChart *trendChart() const { return m_trend; }
    QStandardItemModel *quotesModel() const { return m_quotes; }
    QStandardItemModel *gainersModel() const { return m_gainers; }
    QStandardItemModel *losersModel() const { return m_losers; }

private:
    QHBoxLayout *m_countRow = nullptr;
    QMap<QString, KpiCard *> m_cards;
    QChart *m_trend = nullptr;
    QStandardItemModel *m_quotes = nullptr, *m_gainers = nullptr, *m_losers = nullptr;
};

// Sort role of the table cells: the number (or date) behind the text.
inline constexpr int kSortRole = Qt::UserRole + 1;
QTableView *makeTable(QStandardItemModel *model, QWidget *parent);
QChartView *makeChartView(QChart *chart, QWidget *parent);

}  // namespace ms::powerbi
