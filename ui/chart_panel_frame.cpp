// The chart panel's frame: what refresh() draws from the store for the view the ChartViewModel
// places (the series orchestration), and where the painted items, the last-price tag, the
// legend and the overlays go. Split from chart_panel.cpp, which keeps the widgets and wiring.
#include "candle_plot_item.h"
#include "alert_markers.h"
#include "category_ticks.h"
#include "chart_panel.h"
#include "decimator.h"
#include "gap_spans.h"
#include "history_loader.h"
#include "interactive_chart_view.h"
#include "ui_theme.h"

#include <QCategoryAxis>
#include <QChart>
#include <QCheckBox>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>
#include <algorithm>
#include <limits>

namespace ms::ui {

bool ChartPanel::refresh(bool dataChanged)
{
    const SymbolData *d = m_store->find(m_symbol);
    if (m_store->generation() != m_generation) {
        // The store was emptied (a new run): nothing drawn from the old one may stay.
        m_generation = m_store->generation();
        m_view.resetValueFit();
        m_view.markDirty();
    }
    // The header follows the latest price on every frame, whatever the view shows.
    if (d && d->lastPrice != m_lastPrice) {
        m_lastPrice = d->lastPrice;
        // The instrument's decimals, from its latest prices (a source sends 189.35 or 42151.87).
        std::vector<double> recent;
        for (size_t i = d->prices.size() > 64 ? d->prices.size() - 64 : 0; i < d->prices.size();
             ++i)
            recent.push_back(d->prices.at(i).v);
        if (recent.empty())
            recent.push_back(d->lastPrice);
        m_priceDecimals = std::max(ui::priceDecimals(recent), d->lastPrice < 1 ? 4 : 2);
        m_title->setText(m_symbol + QStringLiteral("  ") +
                         numberLocale().toString(d->lastPrice, 'f', m_priceDecimals));
    }
    const bool hasData = d != nullptr;
    if (hasData != m_volumeTime->labelsVisible()) {
        // An empty chart shows no 1970 times and no 0-1 scale: no labels at all.
        for (QCategoryAxis *axis : {m_volumeTime, m_priceAxis, m_volumeAxis})
            axis->setLabelsVisible(hasData);
    }
    if (!m_view.consumeRedraw(dataChanged))
        return false;
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

    // "All" starts at the first data: a tick, or a candle of the interval asked for (a coarser
    // one's bucket starts before its first tick: an hour candle would add up to an empty hour).
    qint64 first = d->prices.empty() ? d->lastTsMs : d->prices.first().t;
    if (auto it = d->candles.find(m_intervalSec); it != d->candles.end() && !it->second.empty())
        first = std::min(first, it->second.front().bucketStartMs);
    const TimeWindow placed = m_view.place(first, d->lastTsMs);
    const qint64 t0 = placed.t0;
    std::vector<int> stored;
    for (const auto &[interval, list] : d->candles)
        if (!list.empty())
            stored.push_back(interval);
    const double plotWidth = std::max(50.0, m_priceChart->plotArea().width());
    m_choice = chooseCandleInterval(placed.t1 - t0, plotWidth, m_intervalSec, stored);
    const qint64 shownMs = qint64(m_choice.shownSec) * 1000;
    if (m_mode == Mode::Candles)
        m_view.padRight(shownMs); // room for the forming candle
    const qint64 t1 = m_view.shown().t1;
    alignVolumePlot();

    // Candles (and volume bars, the same buckets) with enough before the view for the averages.
    const int warmUp = std::max(m_smaBox->isChecked() ? m_smaPeriod->value() : 0,
                                m_emaBox->isChecked() ? 3 * m_emaPeriod->value() : 0);
    auto source = d->candles.find(m_choice.sourceSec);
    // The view reaches past what memory holds: the next older page, in the background.
    if (m_history && (source == d->candles.end() || source->second.empty() ||
                      source->second.front().bucketStartMs > t0))
        m_history->requestOlder(m_symbol, m_choice.sourceSec,
                                source == d->candles.end() || source->second.empty()
                                    ? t1 + 1
                                    : source->second.front().bucketStartMs);
    m_buckets = source == d->candles.end()
                    ? std::vector<CandlePoint>{}
                    : Decimator::aggregate(source->second, t0 - qint64(warmUp) * shownMs, t1,
                                           qint64(m_choice.sourceSec) * 1000, shownMs);
    m_sma = m_smaBox->isChecked() ? indicatorLine(IndicatorKind::Sma, m_smaPeriod->value(),
                                                  m_buckets, shownMs, t0, t1)
                                  : IndicatorLine{};
    m_ema = m_emaBox->isChecked() ? indicatorLine(IndicatorKind::Ema, m_emaPeriod->value(),
                                                  m_buckets, shownMs, t0, t1)
                                  : IndicatorLine{};

    const int columns = std::max(50, int(plotWidth));
    const bool line = m_mode == Mode::Line;
    std::optional<std::pair<double, double>> values; // visible price extremes
    auto widen = [&values](double lo, double hi) {
        values = std::pair{values ? std::min(values->first, lo) : lo,
                           values ? std::max(values->second, hi) : hi};
    };
    m_priceLine.clear();
    if (line) {
        // Stored history has candles only: their closes draw the line up to the first tick held.
        const qint64 firstTick =
            d->prices.empty() ? std::numeric_limits<qint64>::max() : d->prices.first().t;
        m_priceLine = closeLine(m_buckets, shownMs, t0, t1, firstTick);
        for (const auto &segment : m_priceLine)
            for (const QPointF &p : segment)
                if (p.x() >= double(t0) && p.x() <= double(t1))
                    widen(p.y(), p.y());
        DecimationStats stats;
        std::vector<QPointF> ticks =
            m_priceCache.decimate(d->prices, t0, t1, Decimator::bucketMs(t1 - t0, columns), &stats);
        if (stats.inputPoints > 0)
            widen(stats.minValue, stats.maxValue);
        else if (!ticks.empty())
            widen(ticks.front().y(), ticks.front().y());
        if (!ticks.empty())
            m_priceLine.push_back(std::move(ticks));
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
        if (const std::optional<ValueRange> fitted =
                m_view.fitValues(values->first, values->second))
            applyValueTicks(*fitted);
    // The volume axis only moves when the tallest bar outgrows it or shrinks to under half of it.
    const double top = maxVolume > 0 ? maxVolume * 1.1 : 1;
    if (maxVolume > m_volumeAxis->max() || top < 0.5 * m_volumeAxis->max() ||
        m_volumeAxis->min() != 0) {
        const int rows = std::max(2, int(m_volumeChart->plotArea().height() / 30));
        m_volumeTicks->apply(0, top, compactValueTicks(0, top, rows));
        reserveAxisWidth();
    }
    m_volumeTop = m_volumeAxis->max();
    layoutItems();
    updateLegend(d);
    m_priceView->refreshCrosshair(); // the data moved under the cursor: so does the caption
    return true;
}

void ChartPanel::setAlertMarks(std::vector<AlertMark> marks)
{
    m_alertMarkers->setMarks(std::move(marks));
    layoutItems();
}

void ChartPanel::layoutItems()
{
    const qint64 shownMs = qint64(m_choice.shownSec) * 1000;
    const QRectF pricePlot = m_priceChart->plotArea();
    const QRectF volumePlot = m_volumeChart->plotArea();
    const std::optional<ValueRange> range = m_view.valueRange();
    const double lo = range ? range->lo : 0, hi = range ? range->hi : 1;
    const auto [t0, t1] = m_view.shown();
    if (m_mode == Mode::Candles)
        m_candleItem->show(
            m_buckets,
            ui::candleColumns(m_buckets, shownMs, t0, t1, pricePlot.left(), pricePlot.width()),
            pricePlot, lo, hi);
    else
        m_candleItem->clear();
    m_volumeItem->show(
        m_buckets,
        ui::candleColumns(m_buckets, shownMs, t0, t1, volumePlot.left(), volumePlot.width()),
        volumePlot, 0, m_volumeTop);
    std::vector<LinePlotItem::Line> lines;
    if (m_mode == Mode::Line && !m_priceLine.empty())
        lines.push_back({accentColor(), m_priceLine, 1.0});
    if (!m_sma.empty())
        lines.push_back({seriesColor(1), m_sma.segments});
    if (!m_ema.empty())
        lines.push_back({seriesColor(3), m_ema.segments});
    m_lineItem->show(std::move(lines), pricePlot, t0, t1, lo, hi);
    if (const SymbolData *d = m_store->find(m_symbol))
        m_gapSpans->show(m_history ? m_history->databaseUrl() : QString(), m_symbol, d->asset, t0, t1, pricePlot);
    placeLastPrice(pricePlot, lo, hi);
    m_alertMarkers->place(m_symbol, pricePlot, t0, t1, lo, hi);
    const QPoint corner = m_priceView->mapFromScene(m_priceChart->mapToScene(pricePlot.topLeft()));
    m_legend->move(corner + QPoint(6, 4));
    m_frame = ChartFrame{m_symbol, {t0, t1}, {lo, hi}, m_volumeTop, pricePlot, volumePlot};
    Q_EMIT framePlaced(m_frame);
}

void ChartPanel::placeLastPrice(const QRectF &plot, double lo, double hi)
{
    const SymbolData *d = m_store->find(m_symbol);
    if (!d || hi <= lo || d->lastPrice < lo || d->lastPrice > hi) {
        m_lastLine->hide();
        m_lastTag->hide();
        return;
    }
    const double y = plot.bottom() - (d->lastPrice - lo) / (hi - lo) * plot.height();
    m_lastLine->setLine(plot.left(), y, plot.right(), y);
    m_lastLine->show();
    m_lastTagText->setText(numberLocale().toString(d->lastPrice, 'f', m_priceDecimals));
    const QRectF r = m_lastTagText->boundingRect();
    m_lastTag->setRect(0, 0, r.width() + 8, r.height() + 2);
    // Right of the plot, on the axis; a price wider than the axis labels (43,307.02 over labels of
    // 43,300) moves left into the plot rather than off the chart's edge.
    const double rightmost = m_priceChart->size().width() - m_lastTag->rect().width() - 1;
    m_lastTag->setPos(std::min(plot.right() + 1, rightmost), y - (r.height() + 2) / 2);
    m_lastTagText->setPos(4, 1);
    m_lastTag->show();
}

void ChartPanel::updateLegend(const SymbolData *d)
{
    auto swatch = [](const QColor &c, const QString &text) {
        return QStringLiteral("<span style=\"color:%1\">&#9632;</span>&nbsp;%2")
            .arg(c.name(), text.toHtmlEscaped());
    };
    QStringList parts;
    if (d) {
        QString interval = (m_mode == Mode::Candles ? tr("Candles %1") : tr("Volume per %1"))
                               .arg(intervalLabel(m_choice.shownSec));
        if (m_choice.shownSec != m_intervalSec)
            interval += tr(" (%1 too dense for this range)").arg(intervalLabel(m_intervalSec));
        parts << interval.toHtmlEscaped();
    }
    const struct
    {
        QCheckBox *box;
        QSpinBox *period;
        const IndicatorLine *line;
        QColor color;
        const char *name;
    } rows[] = {{m_smaBox, m_smaPeriod, &m_sma, seriesColor(1), "SMA"},
                {m_emaBox, m_emaPeriod, &m_ema, seriesColor(3), "EMA"}};
    for (const auto &r : rows) {
        if (!r.box->isChecked() || !d)
            continue;
        QString text = QStringLiteral("%1 %2").arg(QLatin1String(r.name)).arg(r.period->value());
        if (r.line->empty())
            text += tr(" — needs %1 candles of %2, %3 so far")
                        .arg(r.period->value())
                        .arg(intervalLabel(m_choice.shownSec))
                        .arg(r.line->candlesUsed);
        parts << swatch(r.color, text);
    }
    const QString html = parts.join(QStringLiteral("&nbsp;&nbsp;&nbsp;"));
    if (m_legend->text() != html) {
        m_legend->setText(html);
        m_legend->adjustSize();
    }
}

} // namespace ms::ui
