#pragma once
// Live charts of the selected symbol: price (line or candlesticks) with SMA/EMA overlays on top,
// volume bars below on the same time range. Follows the live edge until the user pans or zooms;
// "Follow live" (or End / double-click) resumes. refresh() is called once per frame; what reaches
// the series is decimated to the plot's pixel width first.
#include "market_data_store.h"
#include "min_max_cache.h"
#include "value_range.h"

#include <QWidget>

#include <memory>

class QAreaSeries;
class QCandlestickSeries;
class QChart;
class QCheckBox;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QPushButton;
class QSettings;
class QValueAxis;

namespace ms::ui {

class CandleSeriesSync;
class InteractiveChartView;

class ChartPanel : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { Line, Candles };

    explicit ChartPanel(const MarketDataStore *store, QWidget *parent = nullptr);
    ~ChartPanel() override;

    void setSymbol(const QString &symbol);
    QString symbol() const { return m_symbol; }
    // Redraws when the symbol's data changed or the view moved; returns whether it redrew.
    bool refresh(bool dataChanged);

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    void setIntervalSec(int seconds);
    int intervalSec() const { return m_intervalSec; }
    // Visible span; 0 = all data.
    void setRangePreset(qint64 spanMs);
    bool following() const { return m_follow; }
    void setFollowing(bool on);
    void pan(double fractionOfSpan);
    void zoom(double factor, double anchorFraction);

    // What is on screen (for tests and the benchmark).
    qsizetype pricePointCount() const;
    qsizetype candleCount() const;
    qsizetype volumeBarCount() const;
    std::pair<qint64, qint64> visibleRange() const { return {m_t0, m_t1}; }

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

private:
    void alignVolumePlot();
    void buildCharts();
    void styleChart(QChart *chart) const;
    void updateControls();
    QList<QPointF> overlayPoints(bool on, const std::map<int, TimeSeriesBuffer> &source, qint64 t0, qint64 t1,
                                 int columns) const;
    QList<QPointF> volumeOutline(const SymbolData &d, qint64 t0, qint64 t1, int columns, double *maxVolume);
    void setValueRange(double lo, double hi);
    QString caption(double t, double v) const;

    const MarketDataStore *m_store;
    QString m_symbol;
    Mode m_mode = Mode::Line;
    int m_intervalSec = 60;
    qint64 m_spanMs = 5 * 60 * 1000;  // 0 = all
    qint64 m_endMs = 0;               // right edge when not following
    bool m_follow = true;
    bool m_viewDirty = true;
    qint64 m_t0 = 0, m_t1 = 0;

    QLabel *m_title;
    QComboBox *m_modeBox;
    QComboBox *m_intervalBox;
    QList<QPushButton *> m_rangeButtons;
    QCheckBox *m_smaBox;
    QCheckBox *m_emaBox;
    QPushButton *m_followButton;

    QChart *m_priceChart;
    QChart *m_volumeChart;
    InteractiveChartView *m_priceView;
    InteractiveChartView *m_volumeView;
    QLineSeries *m_priceSeries;
    QCandlestickSeries *m_candleSeries;
    QLineSeries *m_smaSeries;
    QLineSeries *m_emaSeries;
    QLineSeries *m_volumeUpper;
    QAreaSeries *m_volumeSeries;
    QDateTimeAxis *m_priceTime;
    QDateTimeAxis *m_volumeTime;
    QValueAxis *m_priceAxis;
    QValueAxis *m_volumeAxis;
    std::unique_ptr<CandleSeriesSync> m_candles;  // what the candlestick series holds
    qsizetype m_volumeBars = 0;
    MinMaxCache m_priceCache;                  // incremental decimation of the price line
    std::optional<ValueRange> m_valueRange;    // what the price axis shows
};

}  // namespace ms::ui
