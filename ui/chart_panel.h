#pragma once
// Live charts of the selected symbol: price (line or candlesticks) with SMA/EMA overlays on top,
// volume bars below on the same time range. Follows the live edge until the user pans or zooms;
// "Follow live" (or End / double-click) resumes. refresh() is called once per frame; what reaches
// the screen is bounded by the plot's pixel width: the price line is decimated, and candles are
// shown at the finest interval that leaves them kMinCandlePx pixels each (candle_layout.h).
// Candles, volume bars, the price line and indicator lines are painted by items of our own
// (candle_plot_item.h); Qt Charts draws the axes and the grid.
#include "axis_ticks.h"
#include "candle_layout.h"
#include "chart_view_model.h"
#include "indicator_lines.h"
#include "market_data_store.h"
#include "min_max_cache.h"
#include "value_range.h"

#include <QWidget>

#include <memory>

class QChart;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;
class QCategoryAxis;
class QLabel;
class QLineSeries;
class QPushButton;
class QSettings;
class QSpinBox;
class QValueAxis;

namespace ms::ui {

class AlertMarkers;
struct AlertMark;
class CandlePlotItem;
class CategoryTicks;
class GapSpans;
class HistoryLoader;
class InteractiveChartView;
class LinePlotItem;

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
    bool following() const { return m_view.following(); }
    void setFollowing(bool on);
    void pan(double fractionOfSpan);
    void zoom(double factor, double anchorFraction);

    // What is on screen (for tests and the benchmark).
    std::vector<AxisTick> timeTicks() const;
    std::vector<AxisTick> priceTicks() const;
    std::vector<AxisTick> volumeTicks() const;
    int priceDecimals() const { return m_priceDecimals; }
    // The last-price tag's text and whether it is shown (tests).
    QString lastPriceTag() const;
    QRect lastPriceTagRect() const;  // in the price view's viewport, empty when hidden
    qsizetype pricePointCount() const;
    qsizetype candleCount() const;
    qsizetype volumeBarCount() const;
    std::pair<qint64, qint64> visibleRange() const { return {m_view.shown().t0, m_view.shown().t1}; }
    // The interval of the candles and volume bars on screen, and where they come from.
    CandleIntervalChoice shownInterval() const { return m_choice; }
    const std::vector<CandlePoint> &shownCandles() const;
    const std::vector<CandleColumn> &candleColumns() const;
    const std::vector<CandlePoint> &shownVolumeBars() const;
    const std::vector<CandleColumn> &volumeColumns() const;
    const IndicatorLine &smaLine() const { return m_sma; }
    const IndicatorLine &emaLine() const { return m_ema; }
    void setIndicators(bool sma, int smaPeriod, bool ema, int emaPeriod);
    // Where older candles come from when the view reaches past what memory holds (may be null).
    void setHistoryLoader(HistoryLoader *loader);
    // Parks the view centred on this time (ms), loading older history as needed.
    void goTo(qint64 timeMs);
    // Feed gaps shaded on the price plot (gap_spans.h).
    const GapSpans *gapSpans() const { return m_gapSpans; }
    QString headerText() const;
    QString legendText() const;
    QString captionAt(double t, double v) const { return caption(t, v); }

    // Price alert triggers to mark on the price chart (alert_markers.h).
    void setAlertMarks(std::vector<AlertMark> marks);
    const AlertMarkers &alertMarkers() const { return *m_alertMarkers; }

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

    // Overlays (alert markers, feed-gap spans, ...) go in small files of their own under ui/:
    // they parent their QGraphicsItems to priceChart() or volumeChart() (z between 50, the
    // candles, and 900, the price tag) and place them on every framePlaced(). Nothing else in
    // the panel needs to change for one.
    QChart *priceChart() const { return m_priceChart; }
    QChart *volumeChart() const { return m_volumeChart; }
    const ChartFrame &lastFrame() const { return m_frame; }

Q_SIGNALS:
    // After every drawn frame and every plot resize: where things are now.
    void framePlaced(const ms::ui::ChartFrame &frame);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void layoutItems();
    void placeLastPrice(const QRectF &plot, double lo, double hi);
    void updateLegend(const SymbolData *d);
    void alignVolumePlot();
    void buildCharts();
    void styleChart(QChart *chart) const;
    void updateControls();
    void applyValueTicks(const ValueRange &range);
    void reserveAxisWidth();  // the price chart's right margin fits the volume labels too
    QString caption(double t, double v) const;

    const MarketDataStore *m_store;
    QString m_symbol;
    Mode m_mode = Mode::Line;
    int m_intervalSec = 60;
    ChartFrame m_frame;     // the last one placed (framePlaced)
    ChartViewModel m_view;  // what time and value range is shown (pan, zoom, presets, follow, Y fit)

    QLabel *m_title;
    QComboBox *m_modeBox;
    QComboBox *m_intervalBox;
    QList<QPushButton *> m_rangeButtons;
    QCheckBox *m_smaBox;
    QCheckBox *m_emaBox;
    QSpinBox *m_smaPeriod;
    QSpinBox *m_emaPeriod;
    QLabel *m_legend;
    QPushButton *m_followButton;
    QDateTimeEdit *m_goToEdit;
    HistoryLoader *m_history = nullptr;
    GapSpans *m_gapSpans = nullptr;

    QChart *m_priceChart;
    QChart *m_volumeChart;
    InteractiveChartView *m_priceView;
    InteractiveChartView *m_volumeView;
    QLineSeries *m_priceAnchor;  // empty: gives the price chart's axes a series to map with
    QLineSeries *m_volumeAnchor;  // empty: gives the volume chart's axes a series to map with
    CandlePlotItem *m_candleItem;
    CandlePlotItem *m_volumeItem;
    LinePlotItem *m_lineItem;
    QGraphicsLineItem *m_lastLine;  // the last price across the plot, with its tag on the axis
    QGraphicsRectItem *m_lastTag;
    QGraphicsSimpleTextItem *m_lastTagText;
    QCategoryAxis *m_priceTime;   // round ticks (axis_ticks.h) as categories: labels we choose
    QCategoryAxis *m_volumeTime;
    QCategoryAxis *m_priceAxis;
    QCategoryAxis *m_volumeAxis;
    std::unique_ptr<CategoryTicks> m_priceTimeTicks, m_volumeTimeTicks, m_priceTicks, m_volumeTicks;
    int m_priceDecimals = 2;   // of the instrument, from its prices
    int m_volumeDecimals = 0;
    CandleIntervalChoice m_choice;
    std::vector<CandlePoint> m_buckets;  // candles of m_choice.shownSec over the view (+ warm-up)
    IndicatorLine m_sma, m_ema;
    double m_volumeTop = 1;
    quint64 m_generation = 0;  // of the store, when last drawn
    double m_lastPrice = 0;
    MinMaxCache m_priceCache;                  // incremental decimation of the price line
    // The price line on screen (line mode): candle closes where no ticks are held, then the
    // decimated ticks; one segment per unbroken stretch.
    std::vector<std::vector<QPointF>> m_priceLine;
    std::unique_ptr<AlertMarkers> m_alertMarkers;
};

}  // namespace ms::ui
