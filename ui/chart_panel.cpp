#include "chart_panel.h"

#include "candle_plot_item.h"
#include "category_ticks.h"
#include "decimator.h"
#include "history_loader.h"
#include "interactive_chart_view.h"
#include "ui_theme.h"
#include "value_range.h"

#include <QChart>
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
constexpr qint64 kMinSpanMs = 2000;
}  // namespace

ChartPanel::ChartPanel(const MarketDataStore *store, QWidget *parent) : QWidget(parent), m_store(store)
{
    m_title = new QLabel(tr("No symbol yet — press Start"), this);
    m_title->setObjectName(QStringLiteral("chartTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setMinimumWidth(60);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

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
    for (QSpinBox **box : {&m_smaPeriod, &m_emaPeriod}) {
        *box = new QSpinBox(this);
        (*box)->setRange(2, 500);
        (*box)->setToolTip(tr("Period, in candles of the interval shown"));
    }
    m_smaPeriod->setValue(20);
    m_emaPeriod->setValue(50);
    m_legend = new QLabel(this);
    m_legend->setObjectName(QStringLiteral("chartLegend"));
    m_legend->setTextFormat(Qt::RichText);
    m_followButton = new QPushButton(tr("Follow live"), this);
    m_followButton->setCheckable(true);
    m_followButton->setToolTip(tr("Keep the newest data in view (End, or double-click the chart)"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_title, 1);
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
    controls->addWidget(m_followButton);
    m_goToEdit = new QDateTimeEdit(QDateTime::currentDateTime(), this);
    m_goToEdit->setObjectName(QStringLiteral("goToTime"));
    m_goToEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd hh:mm"));
    m_goToEdit->setCalendarPopup(true);
    m_goToEdit->setToolTip(tr("Go to a date and time (Enter); older candles load from the database"));
    connect(m_goToEdit, &QDateTimeEdit::editingFinished, this,
            [this] { goTo(m_goToEdit->dateTime().toMSecsSinceEpoch()); });
    // A second row (legend, indicators, Go to) keeps the panel narrow enough for 1024 px windows.
    auto *second = new QHBoxLayout;
    second->addStretch(1);
    second->addWidget(m_smaBox);
    second->addWidget(m_smaPeriod);
    second->addWidget(m_emaBox);
    second->addWidget(m_emaPeriod);
    second->addSpacing(8);
    second->addWidget(new QLabel(tr("Go to"), this));
    second->addWidget(m_goToEdit);

    buildCharts();
    // The legend floats over the price plot's top-left corner (placed in layoutItems()).
    m_legend->setParent(m_priceView);
    m_legend->setAttribute(Qt::WA_TransparentForMouseEvents);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(0);
    layout->addLayout(controls);
    layout->addLayout(second);
    layout->addWidget(m_priceView, 3);
    layout->addWidget(m_volumeView, 1);

    connect(m_modeBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { setMode(i == 1 ? Mode::Candles : Mode::Line); });
    connect(m_intervalBox, &QComboBox::currentIndexChanged, this,
            [this] { setIntervalSec(m_intervalBox->currentData().toInt()); });
    connect(m_smaBox, &QCheckBox::toggled, this, [this] { m_viewDirty = true; });
    connect(m_emaBox, &QCheckBox::toggled, this, [this] { m_viewDirty = true; });
    for (QSpinBox *box : {m_smaPeriod, m_emaPeriod})
        connect(box, &QSpinBox::valueChanged, this, [this] { m_viewDirty = true; });
    connect(m_followButton, &QPushButton::clicked, this, [this](bool on) { setFollowing(on); });
    for (InteractiveChartView *v : {m_priceView, m_volumeView}) {
        connect(v, &InteractiveChartView::panRequested, this, &ChartPanel::pan);
        connect(v, &InteractiveChartView::zoomRequested, this, &ChartPanel::zoom);
        connect(v, &InteractiveChartView::followRequested, this, [this] { setFollowing(true); });
    }
    m_priceView->setCaptionProvider([this](double t, double v) { return caption(t, v); });
    m_priceView->setValueTagProvider([this](double v) { return numberLocale().toString(v, 'f', m_priceDecimals); });
    m_volumeView->setCrosshairEnabled(false);
    m_volumeView->setTimeTagProvider([](double t) {
        return QDateTime::fromMSecsSinceEpoch(qint64(t)).toString(QStringLiteral("d MMM hh:mm:ss"));
    });
    // One crosshair through price and volume.
    connect(m_priceView, &InteractiveChartView::crosshairMoved, m_volumeView, &InteractiveChartView::showLinkedTime);
    updateControls();
}


void ChartPanel::setSymbol(const QString &symbol)
{
    if (symbol == m_symbol)
        return;
    m_symbol = symbol;
    m_valueRange.reset();  // fit the new symbol's prices tightly
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

void ChartPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_viewDirty = true;  // back from another tab: catch up with what happened meanwhile
    refresh(true);
}

bool ChartPanel::refresh(bool dataChanged)
{
    const SymbolData *d = m_store->find(m_symbol);
    if (m_store->generation() != m_generation) {
        // The store was emptied (a new run): nothing drawn from the old one may stay.
        m_generation = m_store->generation();
        m_valueRange.reset();
        m_viewDirty = true;
    }
    // The header follows the latest price on every frame, whatever the view shows.
    if (d && d->lastPrice != m_lastPrice) {
        m_lastPrice = d->lastPrice;
        // The instrument's decimals, from its latest prices (a source sends 189.35 or 42151.87).
        std::vector<double> recent;
        for (size_t i = d->prices.size() > 64 ? d->prices.size() - 64 : 0; i < d->prices.size(); ++i)
            recent.push_back(d->prices.at(i).v);
        if (recent.empty())
            recent.push_back(d->lastPrice);
        m_priceDecimals = std::max(ui::priceDecimals(recent), d->lastPrice < 1 ? 4 : 2);
        m_title->setText(m_symbol + QStringLiteral("  ") + numberLocale().toString(d->lastPrice, 'f', m_priceDecimals));
    }
    const bool hasData = d != nullptr;
    if (hasData != m_volumeTime->labelsVisible()) {
        // An empty chart shows no 1970 times and no 0-1 scale: no labels at all.
        for (QCategoryAxis *axis : {m_volumeTime, m_priceAxis, m_volumeAxis})
            axis->setLabelsVisible(hasData);
    }
    if (!dataChanged && !m_viewDirty)
        return false;
    // Nothing to draw while the user has the view parked and data only grows at the live edge.
    if (!m_viewDirty && !m_follow && m_spanMs != 0)
        return false;
    m_viewDirty = false;
    if (!d) {
        m_priceLine.clear();
        m_buckets.clear();
        m_sma = {};
        m_ema = {};
        m_candleItem->clear();
        m_volumeItem->clear();
        m_lineItem->clear();
        m_lastPrice = 0;
        m_title->setText(m_symbol.isEmpty() ? tr("No symbol yet — press Start") : m_symbol);
        updateLegend(nullptr);
        return true;
    }

    qint64 t1 = m_follow ? d->lastTsMs : m_endMs;
    qint64 t0 = t1 - m_spanMs;
    if (m_spanMs == 0) {
        // From the first data: a tick, or a candle of the interval asked for (a coarser one's
        // bucket starts before its first tick: an hour candle would add up to an empty hour).
        t0 = d->prices.empty() ? t1 : d->prices.first().t;
        auto it = d->candles.find(m_intervalSec);
        if (it != d->candles.end() && !it->second.empty())
            t0 = std::min(t0, it->second.front().bucketStartMs);
        t1 = d->lastTsMs;
    }
    if (t1 - t0 < kMinSpanMs)
        t0 = t1 - kMinSpanMs;
    std::vector<int> stored;
    for (const auto &[interval, list] : d->candles)
        if (!list.empty())
            stored.push_back(interval);
    const double plotWidth = std::max(50.0, m_priceChart->plotArea().width());
    m_choice = chooseCandleInterval(t1 - t0, plotWidth, m_intervalSec, stored);
    const qint64 shownMs = qint64(m_choice.shownSec) * 1000;
    if (m_mode == Mode::Candles && m_follow)
        t1 += shownMs;  // room for the forming candle
    m_t0 = t0;
    m_t1 = t1;
    alignVolumePlot();

    // Candles (and volume bars, the same buckets) with enough before the view for the averages.
    const int warmUp = std::max(m_smaBox->isChecked() ? m_smaPeriod->value() : 0,
                                m_emaBox->isChecked() ? 3 * m_emaPeriod->value() : 0);
    auto source = d->candles.find(m_choice.sourceSec);
    // The view reaches past what memory holds: the next older page, in the background.
    if (m_history && (source == d->candles.end() || source->second.empty() || source->second.front().bucketStartMs > t0))
        m_history->requestOlder(m_symbol, m_choice.sourceSec,
                                source == d->candles.end() || source->second.empty() ? t1 + 1
                                                                                     : source->second.front().bucketStartMs);
    m_buckets = source == d->candles.end()
                    ? std::vector<CandlePoint>{}
                    : Decimator::aggregate(source->second, t0 - qint64(warmUp) * shownMs, t1,
                                           qint64(m_choice.sourceSec) * 1000, shownMs);
    m_sma = m_smaBox->isChecked() ? indicatorLine(IndicatorKind::Sma, m_smaPeriod->value(), m_buckets, shownMs, t0, t1)
                                  : IndicatorLine{};
    m_ema = m_emaBox->isChecked() ? indicatorLine(IndicatorKind::Ema, m_emaPeriod->value(), m_buckets, shownMs, t0, t1)
                                  : IndicatorLine{};

    const int columns = std::max(50, int(plotWidth));
    const bool line = m_mode == Mode::Line;
    std::optional<std::pair<double, double>> values;  // visible price extremes
    auto widen = [&values](double lo, double hi) {
        values = std::pair{values ? std::min(values->first, lo) : lo, values ? std::max(values->second, hi) : hi};
    };
    m_priceLine.clear();
    if (line) {
        DecimationStats stats;
        m_priceLine = m_priceCache.decimate(d->prices, t0, t1, Decimator::bucketMs(t1 - t0, columns), &stats);
        if (stats.inputPoints > 0)
            widen(stats.minValue, stats.maxValue);
        else if (!m_priceLine.empty())
            widen(m_priceLine.front().y(), m_priceLine.front().y());
    }
    double maxVolume = 0;
    for (const CandlePoint &c : m_buckets) {
        if (c.bucketStartMs + shownMs <= t0)
            continue;
        if (!line)
            widen(c.low, c.high);
        maxVolume = std::max(maxVolume, c.volume);
    }
    for (const IndicatorLine *l : {&m_sma, &m_ema})
        for (const auto &segment : l->segments)
            for (const QPointF &p : segment)
                if (p.x() >= double(t0) && p.x() <= double(t1))
                    widen(p.y(), p.y());

    const std::vector<AxisTick> times = ui::timeTicks(t0, t1, std::max(2, int(plotWidth / 110)));
    m_priceTimeTicks->apply(double(t0), double(t1), times);
    m_volumeTimeTicks->apply(double(t0), double(t1), times);
    if (values)
        setValueRange(values->first, values->second);
    // The volume axis only moves when the tallest bar outgrows it or shrinks to under half of it.
    const double top = maxVolume > 0 ? maxVolume * 1.1 : 1;
    if (maxVolume > m_volumeAxis->max() || top < 0.5 * m_volumeAxis->max() || m_volumeAxis->min() != 0) {
        const int rows = std::max(2, int(m_volumeChart->plotArea().height() / 30));
        m_volumeTicks->apply(0, top, valueTicks(0, top, rows));
    }
    m_volumeTop = m_volumeAxis->max();
    layoutItems();
    updateLegend(d);
    m_priceView->refreshCrosshair();  // the data moved under the cursor: so does the caption
    return true;
}

void ChartPanel::layoutItems()
{
    const qint64 shownMs = qint64(m_choice.shownSec) * 1000;
    const QRectF pricePlot = m_priceChart->plotArea();
    const QRectF volumePlot = m_volumeChart->plotArea();
    const double lo = m_valueRange ? m_valueRange->lo : 0, hi = m_valueRange ? m_valueRange->hi : 1;
    if (m_mode == Mode::Candles)
        m_candleItem->show(m_buckets, ui::candleColumns(m_buckets, shownMs, m_t0, m_t1, pricePlot.left(), pricePlot.width()),
                           pricePlot, lo, hi);
    else
        m_candleItem->clear();
    m_volumeItem->show(m_buckets, ui::candleColumns(m_buckets, shownMs, m_t0, m_t1, volumePlot.left(), volumePlot.width()),
                       volumePlot, 0, m_volumeTop);
    std::vector<LinePlotItem::Line> lines;
    if (m_mode == Mode::Line && !m_priceLine.empty())
        lines.push_back({accentColor(), {m_priceLine}, 1.0});
    if (!m_sma.empty())
        lines.push_back({seriesColor(1), m_sma.segments});
    if (!m_ema.empty())
        lines.push_back({seriesColor(3), m_ema.segments});
    m_lineItem->show(std::move(lines), pricePlot, m_t0, m_t1, lo, hi);
    placeLastPrice(pricePlot, lo, hi);
    const QPoint corner = m_priceView->mapFromScene(m_priceChart->mapToScene(pricePlot.topLeft()));
    m_legend->move(corner + QPoint(6, 4));
}

}  // namespace ms::ui
