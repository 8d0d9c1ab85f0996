// SPDX-License-Identifier: MIT
#include "window/layersstrip.h"

#include "document/maskdocument.h"

#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScopedValueRollback>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

namespace maskscope::ui {

namespace {

constexpr int kCellHeight = 20;
constexpr int kMarkHeight = 4;       // the bar under the layer shown
constexpr double kMinCellWidth = 5.0;
constexpr double kMaxCellWidth = 24.0;
constexpr double kLabelledWidth = 11.0; // narrower cells carry no letter
constexpr int kGap = 1;

QColor kindColour(LayerKind kind)
{
    switch (kind) {
    case LayerKind::Sliding: return QColor(0x2e, 0x8b, 0x57);
    case LayerKind::Chunked: return QColor(0xc8, 0x74, 0x1c);
    case LayerKind::Full: break;
    }
    return QColor(0x3b, 0x6e, 0xb4);
}

// A window or chunk that cuts nothing at this length is drawn pale: it is full attention here.
QColor cellColour(LayerKind kind, bool sameAsFull)
{
    const QColor c = kindColour(kind);
    if (!sameAsFull || kind == LayerKind::Full)
        return c;
    const auto pale = [](int v) { return v + (255 - v) * 11 / 20; };
    return QColor(pale(c.red()), pale(c.green()), pale(c.blue()));
}

QString kindLetter(LayerKind kind)
{
    switch (kind) {
    //: One-letter label of a sliding-window layer in the Layers strip
    case LayerKind::Sliding: return LayersStrip::tr("S");
    //: One-letter label of a chunked-attention layer in the Layers strip
    case LayerKind::Chunked: return LayersStrip::tr("C");
    case LayerKind::Full: break;
    }
    //: One-letter label of a full-attention (global) layer in the Layers strip
    return LayersStrip::tr("F");
}

QString kindName(const LayerRule& rule)
{
    switch (rule.kind) {
    case LayerKind::Sliding: return LayersStrip::tr("window %1").arg(rule.span);
    case LayerKind::Chunked: return LayersStrip::tr("chunks of %1").arg(rule.span);
    case LayerKind::Full: break;
    }
    return LayersStrip::tr("full");
}

// "29 × window 1024, 5 × full", in the order the kinds first appear.
QString kindCounts(const std::vector<LayerRule>& rules)
{
    std::vector<std::pair<QString, int>> counts;
    for (const LayerRule& r : rules) {
        const QString name = kindName(r);
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == name; });
        if (it == counts.end())
            counts.emplace_back(name, 1);
        else
            ++it->second;
    }
    QStringList parts;
    for (const auto& [name, count] : counts)
        parts << QStringLiteral("%1 \u00D7 %2").arg(count).arg(name);
    return parts.join(QStringLiteral(", "));
}

const ModelInfo* shownModel(const MaskDocument& document)
{
    const TraceResultPtr r = document.result();
    if (!r || !r->scenario || !r->scenario->model || r->scenario->config.modelPath != document.config().modelPath)
        return nullptr;
    return r->scenario->model.get();
}

// A session started with a layer's rules (e.g. --layer-pattern gpt-oss:0) opens on its family.
int firstFamilyShowing(const ScenarioConfig& c)
{
    const std::vector<LayerPattern>& patterns = layerPatterns();
    for (std::size_t k = 0; k < patterns.size(); ++k)
        for (int layer = 0; layer < patterns[k].layers; ++layer)
            if (showsLayerRule(patterns[k].rule(layer), c))
                return static_cast<int>(k);
    return 0;
}

} // namespace

QString describeLayerRule(const LayerRule& rule, int length)
{
    QString text;
    switch (rule.kind) {
    case LayerKind::Sliding:
        text = LayersStrip::tr("sliding window %1: each query sees itself and the %2 keys before it")
                   .arg(rule.span).arg(rule.span - 1);
        break;
    case LayerKind::Chunked:
        text = LayersStrip::tr("chunked attention: causal within chunks of %1 positions").arg(rule.span);
        break;
    case LayerKind::Full:
        text = LayersStrip::tr("full attention: causal over every earlier key");
        break;
    }
    if (rule.noPositions)
        text += LayersStrip::tr("; no positional encoding (NoPE)");
    if (rule.softcap)
        text += LayersStrip::tr("; logits soft-capped at %1").arg(*rule.softcap);
    if (rule.sinkLogit)
        text += LayersStrip::tr("; learned sink logits (%1 stands in when none is set)").arg(kStandInSinkLogit);
    if (rule.kind != LayerKind::Full && sameAsFullAt(rule, length))
        text += LayersStrip::tr(" \u2014 at L = %1 it cuts nothing off: the same mask as full attention").arg(length);
    return text;
}

LayerCells::LayerCells(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("layerCells"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(true);
}

void LayerCells::setCells(Cells cells)
{
    cells_ = std::move(cells);
    updateGeometry();
    update();
}

double LayerCells::cellWidth() const
{
    const int n = static_cast<int>(cells_.rules.size());
    if (n == 0)
        return kMaxCellWidth;
    return std::clamp(static_cast<double>(width()) / n, kMinCellWidth, kMaxCellWidth);
}

QRect LayerCells::cellRect(int layer) const
{
    if (layer < 0 || layer >= static_cast<int>(cells_.rules.size()))
        return {};
    const double w = cellWidth();
    const int left = static_cast<int>(std::lround(layer * w));
    const int right = static_cast<int>(std::lround((layer + 1) * w));
    return QRect(left, 0, std::max(1, right - left - kGap), kCellHeight);
}

QSize LayerCells::sizeHint() const
{
    return {static_cast<int>(cells_.rules.size() * kMaxCellWidth), kCellHeight + kMarkHeight + 1};
}

QSize LayerCells::minimumSizeHint() const
{
    return {static_cast<int>(std::ceil(cells_.rules.size() * kMinCellWidth)), kCellHeight + kMarkHeight + 1};
}

int LayerCells::layerAt(QPoint p) const
{
    for (int k = 0; k < static_cast<int>(cells_.rules.size()); ++k)
        if (cellRect(k).adjusted(0, 0, kGap, kMarkHeight).contains(p))
            return k;
    return -1;
}

void LayerCells::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QFont small = font();
    small.setPixelSize(11);
    painter.setFont(small);
    for (int k = 0; k < static_cast<int>(cells_.rules.size()); ++k) {
        const LayerRule& rule = cells_.rules[k];
        const QRect r = cellRect(k);
        const bool pale = cells_.sameAsFull[k];
        painter.fillRect(r, cellColour(rule.kind, pale));
        if (cellWidth() >= kLabelledWidth) {
            painter.setPen(pale ? QColor(0x33, 0x33, 0x33) : Qt::white);
            painter.drawText(r, Qt::AlignCenter, kindLetter(rule.kind));
        }
        if (rule.sinkLogit) { // a dot in the corner: the softmax has a sink column
            const double d = std::min(5.0, r.width() / 3.0);
            painter.setBrush(QColor(0xf5, 0xc5, 0x18));
            painter.setPen(Qt::NoPen);
            painter.drawEllipse(QRectF(r.right() - d, r.top() + 1, d, d));
        }
        if (k < static_cast<int>(cells_.matching.size()) && cells_.matching[k]) {
            painter.setBrush(Qt::NoBrush);
            painter.setPen(QPen(palette().color(QPalette::WindowText), 1.5));
            painter.drawRect(QRectF(r).adjusted(0.75, 0.75, -0.75, -0.75));
        }
        if (cells_.picked == k)
            painter.fillRect(QRect(r.left(), kCellHeight + 1, r.width(), kMarkHeight),
                             palette().color(QPalette::Highlight));
    }
}

void LayerCells::mouseReleaseEvent(QMouseEvent* event)
{
    const int layer = layerAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && layer >= 0)
        emit layerClicked(layer);
}

bool LayerCells::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int layer = layerAt(help->pos());
        if (layer >= 0 && layer < static_cast<int>(cells_.tips.size()))
            QToolTip::showText(help->globalPos(), cells_.tips[layer], this, cellRect(layer));
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

LayersStrip::LayersStrip(MaskDocument* document, QWidget* parent) : QWidget(parent), document_(document)
{
    setObjectName(QStringLiteral("layersStrip"));
    title_ = new QLabel;
    family_ = new QComboBox;
    family_->setObjectName(QStringLiteral("layerFamilyCombo"));
    for (const LayerPattern& p : layerPatterns())
        family_->addItem(QString::fromUtf8(p.title.data(), static_cast<int>(p.title.size())));
    family_->setCurrentIndex(firstFamilyShowing(document_->config()));
    texts_.bind(family_, &QWidget::setAccessibleName, [] { return tr("Published model"); });
    texts_.bind(family_, &QWidget::setToolTip, [] {
        return tr("A published model configuration: which attention each of its layers uses");
    });
    summary_ = new QLabel;
    summary_->setObjectName(QStringLiteral("layersSummary"));
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    cells_ = new LayerCells;

    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->setSpacing(8);
    top->addWidget(title_);
    top->addWidget(family_);
    top->addWidget(summary_, 1);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(6, 2, 6, 2);
    column->setSpacing(2);
    column->addLayout(top);
    column->addWidget(cells_);

    connect(family_, &QComboBox::currentIndexChanged, this, [this] {
        if (syncing_)
            return;
        picked_.reset();
        syncFromDocument();
    });
    connect(cells_, &LayerCells::layerClicked, this, &LayersStrip::pickLayer);
    connect(document_, &MaskDocument::configChanged, this, &LayersStrip::syncFromDocument);
    connect(document_, &MaskDocument::resultChanged, this, &LayersStrip::syncFromDocument);
    syncFromDocument();
}

int LayersStrip::familyIndex() const
{
    return family_->currentIndex();
}

void LayersStrip::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        texts_.retranslate();
        syncFromDocument();
    }
    QWidget::changeEvent(event);
}

void LayersStrip::pickLayer(int layer)
{
    if (document_->config().usesModel()) {
        document_->editConfig([layer](ScenarioConfig& c) { c.layer = layer; });
        return;
    }
    const LayerRule rule = layerPatterns()[static_cast<std::size_t>(familyIndex())].rule(layer);
    picked_ = layer;
    document_->editConfig([&rule](ScenarioConfig& c) { applyLayerRule(rule, c); });
    syncFromDocument(); // an edit that changes nothing sends no signal, yet the pick moved
}

std::vector<LayerRule> LayersStrip::modelRules() const
{
    const ModelInfo* model = shownModel(*document_);
    return model ? modelLayerRules(model->config) : std::vector<LayerRule>{};
}

int LayersStrip::currentLength() const
{
    const TraceResultPtr r = document_->result();
    if (document_->config().usesModel() && r && r->scenario)
        return r->scenario->mask.keyLen;
    return document_->config().effectiveSeqLen();
}

void LayersStrip::syncFromDocument()
{
    const QScopedValueRollback syncing(syncing_, true);
    const ScenarioConfig& c = document_->config();
    const int length = currentLength();
    family_->setVisible(!c.usesModel());
    if (c.usesModel())
        showModel(c, length);
    else
        showFamily(c, length);
}

void LayersStrip::showModel(const ScenarioConfig& c, int length)
{
    const QString name = QFileInfo(QString::fromStdString(c.modelPath)).fileName();
    title_->setText(tr("Layers of %1").arg(name));
    LayerCells::Cells cells;
    cells.rules = modelRules();
    const int layers = static_cast<int>(cells.rules.size());
    if (layers == 0) {
        summary_->setText(tr("they appear once the model has run"));
        cells_->setCells(std::move(cells));
        return;
    }
    const int shown = std::clamp(c.layer.value_or(layers - 1), 0, layers - 1);
    cells.picked = shown;
    for (int k = 0; k < layers; ++k) {
        const LayerRule& rule = cells.rules[static_cast<std::size_t>(k)];
        cells.sameAsFull.push_back(sameAsFullAt(rule, length));
        cells.matching.push_back(k == shown);
        cells.tips.push_back(tr("Layer %1: %2").arg(k).arg(describeLayerRule(rule, length)) + QLatin1Char('\n')
                             + tr("Click to show this layer of the model"));
    }
    summary_->setText(tr("%1 \u00B7 layer %2 shown: %3")
                          .arg(kindCounts(cells.rules)).arg(shown)
                          .arg(describeLayerRule(cells.rules[static_cast<std::size_t>(shown)], length)));
    cells_->setCells(std::move(cells));
}

void LayersStrip::showFamily(const ScenarioConfig& c, int length)
{
    title_->setText(tr("Layers"));
    const LayerPattern& pattern = layerPatterns()[static_cast<std::size_t>(familyIndex())];
    LayerCells::Cells cells;
    for (int k = 0; k < pattern.layers; ++k) {
        const LayerRule rule = pattern.rule(k);
        cells.rules.push_back(rule);
        cells.sameAsFull.push_back(sameAsFullAt(rule, length));
        cells.matching.push_back(showsLayerRule(rule, c));
        cells.tips.push_back(tr("Layer %1: %2").arg(k).arg(describeLayerRule(rule, length)) + QLatin1Char('\n')
                             + tr("Click to set these rules"));
    }
    if (picked_ && !cells.matching[static_cast<std::size_t>(*picked_)])
        picked_.reset(); // the rules were changed since: that layer is no longer what is shown
    cells.picked = picked_;
    const QString counts = kindCounts(cells.rules);
    if (picked_)
        summary_->setText(tr("%1 \u00B7 layer %2 shown: %3")
                              .arg(counts).arg(*picked_)
                              .arg(describeLayerRule(cells.rules[static_cast<std::size_t>(*picked_)], length)));
    else
        summary_->setText(tr("%1 \u00B7 click a layer to set its rules").arg(counts));
    cells_->setCells(std::move(cells));
}

} // namespace maskscope::ui
