// The chart panel's construction (charts, axes, painted items), legend, caption and state:
// split from chart_panel.cpp to keep each file readable.
#include "alert_markers.h"
#include "chart_panel.h"

#include "candle_plot_item.h"
#include "category_ticks.h"
#include "decimator.h"
#include "gap_spans.h"
#include "history_loader.h"
#include "interactive_chart_view.h"
#include "ui_theme.h"
#include "value_range.h"

#include <QChart>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsLayout>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QCategoryAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ms::ui {

namespace {
constexpr qint64 kMinute = 60 * 1000;
}  // namespace
ChartPanel::~ChartPanel() = default;

void ChartPanel::styleChart(QChart *chart) const
{
    chart->legend()->hide();
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 2, 4, 2));
    chart->setBackgroundBrush(palette().color(QPalette::Base));
    chart->setPlotAreaBackgroundVisible(false);
    chart->setAnimationOptions(QChart::NoAnimation);
}

void ChartPanel::buildCharts()
{
    const QColor text = palette().color(QPalette::Text);
    const QColor grid = gridColor(palette());
    auto styleAxis = [&](QAbstractAxis *axis) {
        axis->setLabelsColor(text);
        // Width 0 (one pixel, cosmetic): a line item with a wider pen strokes its whole path for
        // every boundingRect() the scene asks (QGraphicsLineItem::shape), about 6 % of a frame.
        axis->setGridLinePen(QPen(grid, 0));
        axis->setLinePen(QPen(grid, 0));
        QFont f = axis->labelsFont();
        f.setPointSizeF(std::max(7.0, f.pointSizeF() * 0.85));
        axis->setLabelsFont(f);
    };

    m_priceChart = new QChart;
    styleChart(m_priceChart);
    m_priceAnchor = new QLineSeries;
    auto categoryAxis = [] {
        auto *axis = new QCategoryAxis;
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        return axis;
    };
    m_priceTime = categoryAxis();
    m_priceTime->setLabelsVisible(false);  // the volume chart below carries the time labels
    m_priceAxis = categoryAxis();
    styleAxis(m_priceTime);
    styleAxis(m_priceAxis);
    m_priceChart->addAxis(m_priceTime, Qt::AlignBottom);
    m_priceChart->addAxis(m_priceAxis, Qt::AlignRight);
    m_priceChart->addSeries(m_priceAnchor);
    m_priceAnchor->attachAxis(m_priceTime);
    m_priceAnchor->attachAxis(m_priceAxis);
    // Above the grid and the price line, under the crosshair (z 1000).
    m_candleItem = new CandlePlotItem(CandlePlotItem::Kind::Candles, m_priceChart);
    m_candleItem->setColors(upColor(), downColor(), QColor());
    m_candleItem->setZValue(50);
    m_lineItem = new LinePlotItem(m_priceChart);
    m_lineItem->setZValue(60);
    m_alertMarkers = std::make_unique<AlertMarkers>(m_priceChart);
    m_gapSpans = new GapSpans(m_priceChart, this);
    m_lastLine = new QGraphicsLineItem(m_priceChart);
    // Cosmetic: a dotted 1-unit pen across the plot went through the dash stroker (hundreds of
    // filled dots), ~30% of a frame's CPU (bench_charts); the cosmetic path rasterises it directly.
    QPen lastPen(accentColor(), 0, Qt::DotLine);  // width 0: cosmetic, and a cheap boundingRect()
    m_lastLine->setPen(lastPen);
    m_lastTag = new QGraphicsRectItem(m_priceChart);
    m_lastTag->setBrush(accentColor());
    m_lastTag->setPen(Qt::NoPen);
    m_lastTagText = new QGraphicsSimpleTextItem(m_lastTag);
    m_lastTagText->setBrush(QColor(255, 255, 255));
    m_lastTagText->setFont(m_priceAxis->labelsFont());
    m_lastLine->setZValue(70);
    m_lastTag->setZValue(900);  // over the axis labels, under the crosshair's tags
    m_lastLine->hide();
    m_lastTag->hide();

    m_volumeChart = new QChart;
    styleChart(m_volumeChart);
    m_volumeTime = categoryAxis();
    m_volumeAxis = categoryAxis();
    styleAxis(m_volumeTime);
    styleAxis(m_volumeAxis);
    m_volumeChart->addAxis(m_volumeTime, Qt::AlignBottom);
    m_volumeChart->addAxis(m_volumeAxis, Qt::AlignRight);
    m_volumeAnchor = new QLineSeries;
    m_volumeChart->addSeries(m_volumeAnchor);
    m_volumeAnchor->attachAxis(m_volumeTime);
    m_volumeAnchor->attachAxis(m_volumeAxis);
    m_priceTimeTicks = std::make_unique<CategoryTicks>(m_priceTime);
    m_volumeTimeTicks = std::make_unique<CategoryTicks>(m_volumeTime);
    m_priceTicks = std::make_unique<CategoryTicks>(m_priceAxis);
    m_volumeTicks = std::make_unique<CategoryTicks>(m_volumeAxis);
    m_volumeItem = new CandlePlotItem(CandlePlotItem::Kind::Volume, m_volumeChart);
    // Muted by mixing with the background rather than by alpha: a translucent fill took the
    // volume pane's render from ~1 ms to ~60 ms at 500 bars (bench_charts).
    const QColor base = palette().color(QPalette::Base);
    auto mix = [&base](const QColor &c) {
        return QColor::fromRgbF(0.65f * c.redF() + 0.35f * base.redF(), 0.65f * c.greenF() + 0.35f * base.greenF(),
                                0.65f * c.blueF() + 0.35f * base.blueF());
    };
    m_volumeItem->setColors(mix(upColor()), mix(downColor()), QColor());
    m_volumeItem->setZValue(50);

    m_priceView = new InteractiveChartView(m_priceChart, this);
    m_priceView->setObjectName(QStringLiteral("priceChart"));
    m_volumeView = new InteractiveChartView(m_volumeChart, this);
    m_volumeView->setObjectName(QStringLiteral("volumeChart"));
    m_volumeView->setMinimumHeight(110);
    // The views' own background (the Window colour) showed as a lighter rectangle where a chart
    // did not cover its view (the volume pane's top-left at 2560 px): same colour as the charts.
    // That brush is the only background fill of a frame: the viewport's own fill (the palette) and
    // the chart's background item painted the same pixels twice more, ~9 % of a 2560 px frame.
    for (InteractiveChartView *v : {m_priceView, m_volumeView}) {
        v->setBackgroundBrush(palette().color(QPalette::Base));
        v->viewport()->setAutoFillBackground(false);
        v->chart()->setBackgroundVisible(false);
        v->setFrameShape(QFrame::NoFrame);
    }
    m_priceView->setMinimumHeight(200);

    // One time axis for the eye: the volume plot is kept exactly under the price plot.
    connect(m_priceChart, &QChart::plotAreaChanged, this, &ChartPanel::alignVolumePlot);
    // Axis labels that change width move the plot after the frame was laid out: follow it.
    connect(m_priceChart, &QChart::plotAreaChanged, this, &ChartPanel::layoutItems);
    connect(m_volumeChart, &QChart::plotAreaChanged, this, &ChartPanel::layoutItems);
}

void ChartPanel::alignVolumePlot()
{
    // Also called every drawn frame: a resize of the volume view alone does not move the price
    // plot, and a plot area set once stays put while its chart changes size.
    const QRectF plot = m_priceChart->plotArea();
    const double bottomSpace = 36;
    const QRectF want(plot.left(), 6, plot.width(), std::max(10.0, m_volumeChart->size().height() - 6 - bottomSpace));
    if (m_volumeChart->plotArea() != want) {
        m_volumeChart->setPlotArea(want);
        // Qt 6.4 applies a changed fixed plot area only at the chart's next layout pass (if the
        // old one was in use, ChartPresenter::setFixedGeometry skips the update): without this
        // the axes and grid stayed laid out for the old width while the series used the new one.
        m_volumeChart->layout()->invalidate();
    }
}

void ChartPanel::applyValueTicks(const ValueRange &range)
{
    const int rows = std::max(3, int(m_priceChart->plotArea().height() / 45));
    m_priceTicks->apply(range.lo, range.hi, valueTicks(range.lo, range.hi, rows));
    reserveAxisWidth();
}

void ChartPanel::reserveAxisWidth()
{
    // The volume plot is kept under the price plot (alignVolumePlot), so the right-hand space of
    // both is what the price labels need. Volume labels wider than those ("1.5M" beside "230")
    // would be cut at the edge: the price chart's right margin makes up the difference.
    const QFontMetrics fm(m_priceAxis->labelsFont());
    auto widest = [&fm](const std::vector<AxisTick> &ticks) {
        int w = 0;
        for (const AxisTick &t : ticks)
            w = std::max(w, fm.horizontalAdvance(t.label));
        return w;
    };
    const int extra = std::max(0, widest(m_volumeTicks->ticks()) - widest(m_priceTicks->ticks()));
    const QMargins margins(4, 2, 4 + extra, 2);  // styleChart()'s margins plus the difference
    if (m_priceChart->margins() != margins)
        m_priceChart->setMargins(margins);
}

std::vector<AxisTick> ChartPanel::timeTicks() const { return m_volumeTimeTicks->ticks(); }
std::vector<AxisTick> ChartPanel::priceTicks() const { return m_priceTicks->ticks(); }
std::vector<AxisTick> ChartPanel::volumeTicks() const { return m_volumeTicks->ticks(); }

QString ChartPanel::caption(double t, double v) const
{
    const QString when = QDateTime::fromMSecsSinceEpoch(qint64(t)).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
    const QLocale locale = numberLocale();
    QString text = when + u'\n' + tr("Price %1").arg(locale.toString(v, 'f', m_priceDecimals));
    const qint64 shownMs = qint64(m_choice.shownSec) * 1000;
    for (const CandlePoint &c : m_buckets) {
        if (t >= double(c.bucketStartMs) && t < double(c.bucketStartMs + shownMs)) {
            const int p = m_priceDecimals;
            text += u'\n' + tr("O %1  H %2\nL %3  C %4\nVol %5")
                               .arg(locale.toString(c.open, 'f', p), locale.toString(c.high, 'f', p),
                                    locale.toString(c.low, 'f', p), locale.toString(c.close, 'f', p),
                                    locale.toString(c.volume, 'f', ui::priceDecimals({c.volume}) > 0 ? 2 : 0));
            break;
        }
    }
    return text;
}

qsizetype ChartPanel::pricePointCount() const
{
    qsizetype n = 0;
    for (const auto &segment : m_priceLine)
        n += qsizetype(segment.size());
    return n;
}
qsizetype ChartPanel::candleCount() const { return qsizetype(m_candleItem->columns().size()); }
qsizetype ChartPanel::volumeBarCount() const { return qsizetype(m_volumeItem->columns().size()); }
const std::vector<CandlePoint> &ChartPanel::shownCandles() const { return m_candleItem->candles(); }
const std::vector<CandleColumn> &ChartPanel::candleColumns() const { return m_candleItem->columns(); }
const std::vector<CandlePoint> &ChartPanel::shownVolumeBars() const { return m_volumeItem->candles(); }
const std::vector<CandleColumn> &ChartPanel::volumeColumns() const { return m_volumeItem->columns(); }

void ChartPanel::saveState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("chart/mode"), m_mode == Mode::Candles ? QStringLiteral("candles") : QStringLiteral("line"));
    settings.setValue(QStringLiteral("chart/intervalSec"), m_intervalSec);
    settings.setValue(QStringLiteral("chart/spanMs"), m_view.spanMs());
    settings.setValue(QStringLiteral("chart/sma"), m_smaBox->isChecked());
    settings.setValue(QStringLiteral("chart/ema"), m_emaBox->isChecked());
    settings.setValue(QStringLiteral("chart/smaPeriod"), m_smaPeriod->value());
    settings.setValue(QStringLiteral("chart/emaPeriod"), m_emaPeriod->value());
}

void ChartPanel::restoreState(const QSettings &settings)
{
    setMode(settings.value(QStringLiteral("chart/mode")).toString() == QLatin1String("candles") ? Mode::Candles : Mode::Line);
    setIntervalSec(settings.value(QStringLiteral("chart/intervalSec"), 60).toInt());
    setRangePreset(settings.value(QStringLiteral("chart/spanMs"), 5 * kMinute).toLongLong());
    m_smaBox->setChecked(settings.value(QStringLiteral("chart/sma"), true).toBool());
    m_emaBox->setChecked(settings.value(QStringLiteral("chart/ema"), false).toBool());
    m_smaPeriod->setValue(settings.value(QStringLiteral("chart/smaPeriod"), 20).toInt());
    m_emaPeriod->setValue(settings.value(QStringLiteral("chart/emaPeriod"), 50).toInt());
}

QString ChartPanel::lastPriceTag() const
{
    return m_lastTag->isVisible() ? m_lastTagText->text() : QString();
}

QRect ChartPanel::lastPriceTagRect() const
{
    if (!m_lastTag->isVisible())
        return {};
    return m_priceView->mapFromScene(m_lastTag->sceneBoundingRect()).boundingRect();
}

QString ChartPanel::headerText() const
{
    return m_title->text();
}

QString ChartPanel::legendText() const
{
    return m_legend->text();
}

void ChartPanel::setIndicators(bool sma, int smaPeriod, bool ema, int emaPeriod)
{
    m_smaBox->setChecked(sma);
    m_smaPeriod->setValue(smaPeriod);
    m_emaBox->setChecked(ema);
    m_emaPeriod->setValue(emaPeriod);
    m_view.markDirty();
}

void ChartPanel::setHistoryLoader(HistoryLoader *loader)
{
    m_history = loader;
    if (loader)
        connect(loader, &HistoryLoader::loaded, this, [this](const QStringList &symbols) {
            if (symbols.contains(m_symbol))
                m_view.markDirty();
        });
}

void ChartPanel::goTo(qint64 timeMs)
{
    m_view.goTo(timeMs);
    updateControls();
}

}  // namespace ms::ui
