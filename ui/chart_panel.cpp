#include "chart_panel.h"

#include "alert_markers.h"
#include "candle_plot_item.h"
#include "category_ticks.h"
#include "gap_spans.h"
#include "history_loader.h"
#include "interactive_chart_view.h"
#include "ui_theme.h"

#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QCategoryAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace ms::ui {

namespace {
constexpr qint64 kMinute = 60 * 1000;
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
    connect(m_smaBox, &QCheckBox::toggled, this, [this] { m_view.markDirty(); });
    connect(m_emaBox, &QCheckBox::toggled, this, [this] { m_view.markDirty(); });
    for (QSpinBox *box : {m_smaPeriod, m_emaPeriod})
        connect(box, &QSpinBox::valueChanged, this, [this] { m_view.markDirty(); });
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
    m_view.resetValueFit();  // fit the new symbol's prices tightly
    m_view.markDirty();
    refresh(true);
}

void ChartPanel::setMode(Mode mode)
{
    m_mode = mode;
    m_modeBox->setCurrentIndex(mode == Mode::Candles ? 1 : 0);
    m_view.markDirty();
}

void ChartPanel::setIntervalSec(int seconds)
{
    m_intervalSec = seconds;
    const int i = m_intervalBox->findData(seconds);
    if (i >= 0)
        m_intervalBox->setCurrentIndex(i);
    m_view.markDirty();
}

void ChartPanel::setRangePreset(qint64 spanMs)
{
    m_view.setRangePreset(spanMs);
    updateControls();
}

void ChartPanel::setFollowing(bool on)
{
    m_view.setFollowing(on);
    updateControls();
}

void ChartPanel::pan(double fractionOfSpan)
{
    const SymbolData *d = m_store->find(m_symbol);
    m_view.pan(fractionOfSpan, d ? d->lastTsMs : m_view.shown().t1);
    updateControls();
}

void ChartPanel::zoom(double factor, double anchorFraction)
{
    m_view.zoom(factor, anchorFraction);
    updateControls();
}

void ChartPanel::updateControls()
{
    const QSignalBlocker block(m_followButton);
    m_followButton->setChecked(m_view.following());
    for (QPushButton *b : m_rangeButtons)
        b->setChecked(b->property("spanMs").toLongLong() == m_view.spanMs());
}

void ChartPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_view.markDirty();  // back from another tab: catch up with what happened meanwhile
    refresh(true);
}

}  // namespace ms::ui
