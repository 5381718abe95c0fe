#include "chart_panel.h"

#include "candle_series_sync.h"
#include "decimator.h"
#include "interactive_chart_view.h"
#include "ui_theme.h"
#include "value_range.h"

#include <QAreaSeries>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QChart>
#include <QGraphicsLayout>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ms::ui {

namespace {
constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kMinSpanMs = 2000;
constexpr int kVolumeBarPx = 6;  // narrowest volume bar, in pixels

QString timeFormatFor(qint64 spanMs)
{
    if (spanMs <= 10 * kMinute)
        return QStringLiteral("hh:mm:ss");
    if (spanMs <= 2 * 24 * 60 * kMinute)
        return QStringLiteral("hh:mm");
    return QStringLiteral("MM-dd hh:mm");
}
}  // namespace

ChartPanel::ChartPanel(const MarketDataStore *store, QWidget *parent) : QWidget(parent), m_store(store)
{
    m_title = new QLabel(tr("No symbol yet — press Start"), this);
    m_title->setObjectName(QStringLiteral("chartTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    m_modeBox = new QComboBox(this);
    m_modeBox->addItem(tr("Line"));
    m_modeBox->addItem(tr("Candles"));
    m_intervalBox = new QComboBox(this);
    for (auto [label, sec] : {std::pair{tr("1 s"), 1}, {tr("1 min"), 60}, {tr("5 min"), 300}, {tr("1 h"), 3600}})
        m_intervalBox->addItem(label, sec);
    m_intervalBox->setCurrentIndex(1);
    m_intervalBox->setToolTip(tr("Candle interval (also used for volume bars and SMA/EMA)"));
    m_smaBox = new QCheckBox(tr("SMA"), this);
    m_emaBox = new QCheckBox(tr("EMA"), this);
    m_followButton = new QPushButton(tr("Follow live"), this);
    m_followButton->setCheckable(true);
    m_followButton->setToolTip(tr("Keep the newest data in view (End, or double-click the chart)"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_title);
    controls->addStretch();
    controls->addWidget(m_modeBox);
    controls->addWidget(m_intervalBox);
    for (auto [label, span] : {std::pair{tr("5m"), 5 * kMinute}, {tr("1h"), 60 * kMinute},
                               {tr("1d"), 24 * 60 * kMinute}, {tr("All"), qint64(0)}}) {
        auto *b = new QPushButton(label, this);
        b->setCheckable(true);
        b->setProperty("spanMs", span);
        b->setMaximumWidth(44);
        connect(b, &QPushButton::clicked, this, [this, span] { setRangePreset(span); });
        m_rangeButtons << b;
        controls->addWidget(b);
    }
    controls->addWidget(m_smaBox);
    controls->addWidget(m_emaBox);
    controls->addWidget(m_followButton);

    buildCharts();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(0);
    layout->addLayout(controls);
    layout->addWidget(m_priceView, 3);
    layout->addWidget(m_volumeView, 1);

    connect(m_modeBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { setMode(i == 1 ? Mode::Candles : Mode::Line); });
    connect(m_intervalBox, &QComboBox::currentIndexChanged, this,
            [this] { setIntervalSec(m_intervalBox->currentData().toInt()); });
    connect(m_smaBox, &QCheckBox::toggled, this, [this] { m_viewDirty = true; });
    connect(m_emaBox, &QCheckBox::toggled, this, [this] { m_viewDirty = true; });
    connect(m_followButton, &QPushButton::clicked, this, [this](bool on) { setFollowing(on); });
    for (InteractiveChartView *v : {m_priceView, m_volumeView}) {
        connect(v, &InteractiveChartView::panRequested, this, &ChartPanel::pan);
        connect(v, &InteractiveChartView::zoomRequested, this, &ChartPanel::zoom);
        connect(v, &InteractiveChartView::followRequested, this, [this] { setFollowing(true); });
    }
    m_priceView->setCaptionProvider([this](double t, double v) { return caption(t, v); });
    m_volumeView->setCrosshairEnabled(false);
    updateControls();
}

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
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
        QFont f = axis->labelsFont();
        f.setPointSizeF(std::max(7.0, f.pointSizeF() * 0.85));
        axis->setLabelsFont(f);
    };

    m_priceChart = new QChart;
    styleChart(m_priceChart);
    m_priceSeries = new QLineSeries;
    QPen pricePen(accentColor(), 1.0);
    pricePen.setCosmetic(true);  // a min/max zigzag stroked as a path is the frame's main cost
    m_priceSeries->setPen(pricePen);
    m_priceSeries->setUseOpenGL(false);
    m_candleSeries = new QCandlestickSeries;
    m_candleSeries->setIncreasingColor(upColor());
    m_candleSeries->setDecreasingColor(downColor());
    m_candleSeries->setBodyOutlineVisible(false);
    m_candleSeries->setPen(QPen(text.darker(110), 1));
    m_candleSeries->setBodyWidth(0.7);
    m_candles = std::make_unique<CandleSeriesSync>(m_candleSeries);
    m_smaSeries = new QLineSeries;
    m_smaSeries->setPen(QPen(seriesColor(1), 1.3));
    m_emaSeries = new QLineSeries;
    m_emaSeries->setPen(QPen(seriesColor(3), 1.3));
    m_priceTime = new QDateTimeAxis;
    m_priceTime->setLabelsVisible(false);  // the volume chart below carries the time labels
    m_priceAxis = new QValueAxis;
    m_priceAxis->setLabelFormat(QStringLiteral("%.2f"));
    m_priceAxis->setTickCount(6);
    styleAxis(m_priceTime);
    styleAxis(m_priceAxis);
    m_priceChart->addAxis(m_priceTime, Qt::AlignBottom);
    m_priceChart->addAxis(m_priceAxis, Qt::AlignRight);
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(m_priceSeries), static_cast<QAbstractSeries *>(m_candleSeries),
                               static_cast<QAbstractSeries *>(m_smaSeries), static_cast<QAbstractSeries *>(m_emaSeries)}) {
        m_priceChart->addSeries(s);
        s->attachAxis(m_priceTime);
        s->attachAxis(m_priceAxis);
    }

    m_volumeChart = new QChart;
    styleChart(m_volumeChart);
    m_volumeUpper = new QLineSeries;
    m_volumeSeries = new QAreaSeries(m_volumeUpper);
    QColor volColor = accentColor();
    volColor.setAlpha(150);
    m_volumeSeries->setBrush(volColor);
    m_volumeSeries->setPen(Qt::NoPen);  // stroking the outline would cost as much as the fill
    m_volumeTime = new QDateTimeAxis;
    m_volumeAxis = new QValueAxis;
    m_volumeAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_volumeAxis->setTickCount(3);
    styleAxis(m_volumeTime);
    styleAxis(m_volumeAxis);
    m_volumeChart->addAxis(m_volumeTime, Qt::AlignBottom);
    m_volumeChart->addAxis(m_volumeAxis, Qt::AlignRight);
    m_volumeChart->addSeries(m_volumeSeries);
    m_volumeSeries->attachAxis(m_volumeTime);
    m_volumeSeries->attachAxis(m_volumeAxis);

    m_priceView = new InteractiveChartView(m_priceChart, this);
    m_priceView->setObjectName(QStringLiteral("priceChart"));
    m_volumeView = new InteractiveChartView(m_volumeChart, this);
    m_volumeView->setObjectName(QStringLiteral("volumeChart"));
    m_volumeView->setMinimumHeight(110);
    m_priceView->setMinimumHeight(200);

    // One time axis for the eye: the volume plot is kept exactly under the price plot.
    connect(m_priceChart, &QChart::plotAreaChanged, this, &ChartPanel::alignVolumePlot);
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

void ChartPanel::setSymbol(const QString &symbol)
{
    if (symbol == m_symbol)
        return;
    m_symbol = symbol;
    m_valueRange.reset();  // fit the new symbol's prices tightly
    m_candles->clear();
    m_viewDirty = true;
    refresh(true);
}

void ChartPanel::setMode(Mode mode)
{
    m_mode = mode;
    m_modeBox->setCurrentIndex(mode == Mode::Candles ? 1 : 0);
    m_viewDirty = true;
}

void ChartPanel::setIntervalSec(int seconds)
{
    m_intervalSec = seconds;
    const int i = m_intervalBox->findData(seconds);
    if (i >= 0)
        m_intervalBox->setCurrentIndex(i);
    m_candles->clear();
    m_viewDirty = true;
}

void ChartPanel::setRangePreset(qint64 spanMs)
{
    m_spanMs = spanMs;
    m_follow = true;
    m_viewDirty = true;
    updateControls();
}

void ChartPanel::setFollowing(bool on)
{
    m_follow = on;
    if (!on)
        m_endMs = m_t1;  // park the view where it is
    m_viewDirty = true;
    updateControls();
}

void ChartPanel::pan(double fractionOfSpan)
{
    const qint64 span = std::max<qint64>(kMinSpanMs, m_t1 - m_t0);
    if (m_spanMs == 0)
        m_spanMs = span;  // leaving "All": keep what is on screen
    const SymbolData *d = m_store->find(m_symbol);
    const qint64 latest = d ? d->lastTsMs : m_t1;
    m_endMs = m_t1 + qint64(fractionOfSpan * double(span));
    // Panning to (or past) the live edge resumes following; anything else stops it.
    m_follow = fractionOfSpan > 0 && m_endMs >= latest;
    if (m_follow)
        m_endMs = 0;
    m_viewDirty = true;
    updateControls();
}

void ChartPanel::zoom(double factor, double anchorFraction)
{
    const qint64 span = std::max<qint64>(kMinSpanMs, m_t1 - m_t0);
    const qint64 newSpan = std::clamp<qint64>(qint64(double(span) * factor), kMinSpanMs, 400LL * 24 * 60 * kMinute);
    const double anchorT = double(m_t0) + anchorFraction * double(span);
    const qint64 newEnd = qint64(anchorT + (1.0 - anchorFraction) * double(newSpan));
    m_spanMs = newSpan;
    // Zooming around the right edge while following keeps following.
    if (!(m_follow && anchorFraction > 0.95)) {
        m_follow = false;
        m_endMs = newEnd;
    }
    m_viewDirty = true;
    updateControls();
}

void ChartPanel::updateControls()
{
    const QSignalBlocker block(m_followButton);
    m_followButton->setChecked(m_follow);
    for (QPushButton *b : m_rangeButtons)
        b->setChecked(b->property("spanMs").toLongLong() == m_spanMs);
}

bool ChartPanel::refresh(bool dataChanged)
{
    if (!dataChanged && !m_viewDirty)
        return false;
    // Nothing to draw while the user has the view parked and data only grows at the live edge.
    if (!m_viewDirty && !m_follow && m_spanMs != 0)
        return false;
    m_viewDirty = false;
    const SymbolData *d = m_store->find(m_symbol);
    if (!d) {
        m_priceSeries->clear();
        m_candles->clear();
        m_smaSeries->clear();
        m_emaSeries->clear();
        m_volumeUpper->clear();
        m_volumeBars = 0;
        return true;
    }
    m_title->setText(m_symbol + QStringLiteral("  ") + QLocale().toString(d->lastPrice, 'f', d->lastPrice >= 1000 ? 2 : 4));

    qint64 t1 = m_follow ? d->lastTsMs : m_endMs;
    qint64 t0 = t1 - m_spanMs;
    if (m_spanMs == 0) {
        t0 = d->prices.empty() ? t1 : d->prices.first().t;
        auto it = d->candles.find(m_intervalSec);
        if (it != d->candles.end() && !it->second.empty())
            t0 = std::min(t0, it->second.front().bucketStartMs);
        t1 = d->lastTsMs;
    }
    if (m_mode == Mode::Candles && m_follow)
        t1 += qint64(m_intervalSec) * 1000;  // room for the forming candle
    if (t1 - t0 < kMinSpanMs)
        t0 = t1 - kMinSpanMs;
    m_t0 = t0;
    m_t1 = t1;
    alignVolumePlot();

    // Everything is decimated first; then the series about to get new points are emptied, the axes
    // moved, and the points handed over. Qt Charts recomputes a series' whole geometry (and strokes
    // its outline for hit testing) on every replace and on every axis range change, so this order
    // makes that happen once per series per frame instead of up to three times.
    const int columns = std::max(50, int(m_priceChart->plotArea().width()));
    const bool line = m_mode == Mode::Line;
    std::optional<std::pair<double, double>> values;  // visible price extremes
    QList<QPointF> price;
    std::vector<CandlePoint> candles;
    qint64 candleWidthMs = qint64(m_intervalSec) * 1000;
    if (line) {
        DecimationStats stats;
        const std::vector<QPointF> pts =
            m_priceCache.decimate(d->prices, t0, t1, Decimator::bucketMs(t1 - t0, columns), &stats);
        price = QList<QPointF>(pts.begin(), pts.end());
        if (stats.inputPoints > 0)
            values = std::pair{stats.minValue, stats.maxValue};
        else if (!pts.empty())
            values = std::pair{pts.front().y(), pts.front().y()};
    } else {
        auto it = d->candles.find(m_intervalSec);
        if (it != d->candles.end())
            candles = Decimator::candles(it->second, t0 - qint64(m_intervalSec) * 1000, t1, qint64(m_intervalSec) * 1000,
                                         std::max(10, columns / 5), &candleWidthMs);
        for (const CandlePoint &c : candles)
            values = std::pair{values ? std::min(values->first, c.low) : c.low, values ? std::max(values->second, c.high) : c.high};
    }
    const QList<QPointF> sma = overlayPoints(m_smaBox->isChecked(), d->sma, t0, t1, columns);
    const QList<QPointF> ema = overlayPoints(m_emaBox->isChecked(), d->ema, t0, t1, columns);
    double maxVolume = 0;
    const QList<QPointF> volume = volumeOutline(*d, t0, t1, columns, &maxVolume);

    for (QXYSeries *series : {static_cast<QXYSeries *>(m_priceSeries), static_cast<QXYSeries *>(m_smaSeries),
                              static_cast<QXYSeries *>(m_emaSeries), static_cast<QXYSeries *>(m_volumeUpper)})
        if (series->count() > 0)
            series->clear();
    if (line)
        m_candles->clear();
    m_priceSeries->setVisible(line);
    m_candleSeries->setVisible(!line);
    m_smaSeries->setVisible(!sma.isEmpty());
    m_emaSeries->setVisible(!ema.isEmpty());

    const QString format = timeFormatFor(t1 - t0);
    for (QDateTimeAxis *axis : {m_priceTime, m_volumeTime}) {
        axis->setRange(QDateTime::fromMSecsSinceEpoch(t0), QDateTime::fromMSecsSinceEpoch(t1));
        if (axis->format() != format)
            axis->setFormat(format);
    }
    if (values)
        setValueRange(values->first, values->second);
    // The volume axis only moves when the tallest bar outgrows it or shrinks to under half of it.
    const double top = maxVolume > 0 ? maxVolume * 1.1 : 1;
    if (maxVolume > m_volumeAxis->max() || top < 0.5 * m_volumeAxis->max() || m_volumeAxis->min() != 0)
        m_volumeAxis->setRange(0, top);

    if (line)
        m_priceSeries->replace(price);
    else
        m_candles->show(std::move(candles), candleWidthMs);
    if (!sma.isEmpty())
        m_smaSeries->replace(sma);
    if (!ema.isEmpty())
        m_emaSeries->replace(ema);
    m_volumeUpper->replace(volume);
    return true;
}

QList<QPointF> ChartPanel::overlayPoints(bool on, const std::map<int, TimeSeriesBuffer> &source, qint64 t0, qint64 t1,
                                         int columns) const
{
    auto it = source.find(m_intervalSec);
    if (!on || it == source.end())
        return {};
    const std::vector<QPointF> pts = Decimator::minMaxAligned(it->second, t0, t1, Decimator::bucketMs(t1 - t0, columns));
    return QList<QPointF>(pts.begin(), pts.end());
}

QList<QPointF> ChartPanel::volumeOutline(const SymbolData &d, qint64 t0, qint64 t1, int columns, double *maxVolume)
{
    auto it = d.candles.find(m_intervalSec);
    QList<QPointF> outline;
    m_volumeBars = 0;
    if (it == d.candles.end())
        return outline;
    // At most one bar per kVolumeBarPx pixels: the fill's cost grows with the square of the bar
    // edges crossing each scanline (Qt's gray rasterizer), so bars are also drawn side by side as
    // one step outline rather than with gaps (a gap doubles the edges on every row).
    qint64 barMs = 0;
    const std::vector<CandlePoint> shown = Decimator::candles(it->second, t0 - qint64(m_intervalSec) * 1000, t1,
                                                              qint64(m_intervalSec) * 1000,
                                                              std::max(10, columns / kVolumeBarPx), &barMs);
    const std::vector<QPointF> pts = Decimator::volumeOutline(shown, double(barMs), maxVolume);
    outline = QList<QPointF>(pts.begin(), pts.end());
    m_volumeBars = qsizetype(shown.size());
    return outline;
}

void ChartPanel::setValueRange(double lo, double hi)
{
    const std::optional<ValueRange> next = nextValueRange(m_valueRange, lo, hi);
    if (!next || next == m_valueRange)
        return;
    m_valueRange = next;
    m_priceAxis->setRange(next->lo, next->hi);
    const double span = next->hi - next->lo;
    const QString format = span < 1 ? QStringLiteral("%.4f") : span < 100 ? QStringLiteral("%.2f") : QStringLiteral("%.0f");
    if (m_priceAxis->labelFormat() != format)
        m_priceAxis->setLabelFormat(format);
}

QString ChartPanel::caption(double t, double v) const
{
    const QString when = QDateTime::fromMSecsSinceEpoch(qint64(t)).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
    QString text = when + u'\n' + tr("Price %1").arg(QLocale().toString(v, 'f', 4));
    if (m_mode == Mode::Candles) {
        for (const CandlePoint &c : m_candles->shown()) {
            if (t >= double(c.bucketStartMs) && t < double(c.bucketStartMs + m_candles->widthMs())) {
                text += u'\n' + tr("O %1  H %2\nL %3  C %4\nVol %5")
                                   .arg(c.open, 0, 'f', 2).arg(c.high, 0, 'f', 2)
                                   .arg(c.low, 0, 'f', 2).arg(c.close, 0, 'f', 2).arg(c.volume, 0, 'f', 2);
                break;
            }
        }
    }
    return text;
}

qsizetype ChartPanel::pricePointCount() const { return m_priceSeries->count(); }
qsizetype ChartPanel::candleCount() const { return m_candleSeries->count(); }
qsizetype ChartPanel::volumeBarCount() const { return m_volumeBars; }

void ChartPanel::saveState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("chart/mode"), m_mode == Mode::Candles ? QStringLiteral("candles") : QStringLiteral("line"));
    settings.setValue(QStringLiteral("chart/intervalSec"), m_intervalSec);
    settings.setValue(QStringLiteral("chart/spanMs"), m_spanMs);
    settings.setValue(QStringLiteral("chart/sma"), m_smaBox->isChecked());
    settings.setValue(QStringLiteral("chart/ema"), m_emaBox->isChecked());
}

void ChartPanel::restoreState(const QSettings &settings)
{
    setMode(settings.value(QStringLiteral("chart/mode")).toString() == QLatin1String("candles") ? Mode::Candles : Mode::Line);
    setIntervalSec(settings.value(QStringLiteral("chart/intervalSec"), 60).toInt());
    setRangePreset(settings.value(QStringLiteral("chart/spanMs"), 5 * kMinute).toLongLong());
    m_smaBox->setChecked(settings.value(QStringLiteral("chart/sma"), true).toBool());
    m_emaBox->setChecked(settings.value(QStringLiteral("chart/ema"), false).toBool());
}

}  // namespace ms::ui
