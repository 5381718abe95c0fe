#include "time_chart.h"

#include "decimator.h"
#include "ui_theme.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

namespace ms::ui {

TimeChart::TimeChart(const QString &title, const QString &unit, QWidget *parent)
    : QChartView(new QChart, parent), m_time(new QDateTimeAxis), m_value(new QValueAxis), m_unit(unit)
{
    const QColor text = palette().color(QPalette::Text);
    const QColor grid = gridColor(palette());
    QChart *c = chart();
    c->setTitle(title);
    c->setTitleBrush(text);
    QFont tf = c->titleFont();
    tf.setBold(true);
    c->setTitleFont(tf);
    c->setBackgroundBrush(palette().color(QPalette::Base));
    c->setBackgroundRoundness(0);
    c->setMargins(QMargins(2, 2, 2, 2));
    c->setAnimationOptions(QChart::NoAnimation);
    c->legend()->setAlignment(Qt::AlignBottom);
    c->legend()->setLabelColor(text);
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(m_time), static_cast<QAbstractAxis *>(m_value)}) {
        axis->setLabelsColor(text);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
        QFont f = axis->labelsFont();
        f.setPointSizeF(std::max(7.0, f.pointSizeF() * 0.8));
        axis->setLabelsFont(f);
    }
    m_time->setFormat(QStringLiteral("hh:mm:ss"));
    m_time->setTickCount(4);
    m_value->setLabelFormat(QStringLiteral("%.0f"));
    m_value->setTickCount(4);
    m_value->setTitleText(unit);
    m_value->setTitleBrush(text);
    c->addAxis(m_time, Qt::AlignBottom);
    c->addAxis(m_value, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(170);
}

int TimeChart::series(const QString &name)
{
    for (int i = 0; i < m_series.size(); ++i)
        if (m_series[i]->name() == name)
            return i;
    auto *s = new QLineSeries;
    s->setName(name);
    s->setPen(QPen(seriesColor(int(m_series.size())), 1.6));
    chart()->addSeries(s);
    s->attachAxis(m_time);
    s->attachAxis(m_value);
    m_series << s;
    return int(m_series.size()) - 1;
}

void TimeChart::draw(const std::vector<std::pair<QString, const TimeSeriesBuffer *>> &data, qint64 t0, qint64 t1)
{
    const int columns = std::max(50, int(chart()->plotArea().width()));
    const qint64 bucket = Decimator::bucketMs(t1 - t0, columns);
    std::vector<std::pair<QLineSeries *, QList<QPointF>>> fresh;
    fresh.reserve(data.size());
    double hi = 0;
    for (const auto &[name, buffer] : data) {
        QLineSeries *s = m_series[series(name)];
        DecimationStats stats;
        const std::vector<QPointF> pts = Decimator::minMaxAligned(*buffer, t0, t1, bucket, &stats);
        if (stats.inputPoints > 0)
            hi = std::max(hi, stats.maxValue);
        fresh.emplace_back(s, QList<QPointF>(pts.begin(), pts.end()));
    }
    for (auto &[s, pts] : fresh)
        if (s->count() > 0)
            s->clear();
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(t0), QDateTime::fromMSecsSinceEpoch(t1));
    // A "nice" upper bound so the axis does not jitter every second.
    double top = 1;
    while (top < hi * 1.1)
        top *= top < 10 ? 2 : 2.5;
    top = std::max(1.0, std::ceil(top));
    if (top != m_top) {
        m_top = top;
        m_value->setRange(0, top);
        m_value->setLabelFormat(top < 10 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    }
    for (auto &[s, pts] : fresh)
        s->replace(pts);
}

qsizetype TimeChart::pointCount(const QString &name) const
{
    for (QLineSeries *s : m_series)
        if (s->name() == name)
            return s->count();
    return 0;
}

}  // namespace ms::ui
