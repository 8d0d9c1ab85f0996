// SPDX-License-Identifier: MIT
#include "window/alignmentcompare.h"

#include "figure/colormap.h"
#include "figure/figurebuilder.h"
#include "figure/figurerenderer.h"
#include "document/maskdocument.h"

#include <QCoreApplication>
#include <QEvent>
#include <QPainter>

namespace maskscope::ui {

namespace {

Heatmap maskPanelWith(const Scenario& scenario, int item, CausalAlign align, Figure& whole)
{
    Scenario aligned = scenario;
    aligned.config.rules.causalAlign = align;
    applyMaskRules(aligned.config, aligned.mask);
    const Figure one = buildFigure(aligned, maskOnlyTrace<float>(aligned.mask, item), ViewKind::Mask, 0);
    whole.fillText = one.fillText;
    whole.subtitle = one.subtitle;
    return one.panels.front();
}

} // namespace

Figure alignmentComparison(const Scenario& scenario, int item)
{
    Figure f;
    f.title = QCoreApplication::translate("AlignmentCompare", "Causal alignment, side by side");
    Heatmap topLeft = maskPanelWith(scenario, item, CausalAlign::TopLeft, f);
    topLeft.title = QCoreApplication::translate("AlignmentCompare", "top-left: tril, PyTorch is_causal");
    Heatmap bottomRight = maskPanelWith(scenario, item, CausalAlign::BottomRight, f);
    bottomRight.title = QCoreApplication::translate("AlignmentCompare", "bottom-right: FlashAttention, KV cache");
    f.panels = {std::move(topLeft), std::move(bottomRight)};
    f.columns = 2;
    // The subtitle names one alignment; the panel titles name both.
    f.subtitle.remove(QStringLiteral(" \u00B7 aligned bottom-right"));
    return f;
}

AlignmentCompareDialog::AlignmentCompareDialog(MaskDocument* document, QWidget* parent)
    : QDialog(parent), document_(document)
{
    setObjectName(QStringLiteral("alignmentCompare"));
    resize(900, 520);
    connect(document_, &MaskDocument::resultChanged, this, &AlignmentCompareDialog::refresh);
    retranslateUi();
}

void AlignmentCompareDialog::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void AlignmentCompareDialog::retranslateUi()
{
    setWindowTitle(tr("Causal alignment, side by side"));
    refresh(); // the message and the figure's titles
}

void AlignmentCompareDialog::refresh()
{
    figure_ = Figure();
    const TraceResultPtr r = document_->result();
    if (!r || !r->scenario) {
        message_ = tr("Computing\u2026");
    } else if (static_cast<long long>(r->scenario->mask.queryLen) * r->scenario->mask.keyLen > kMaxComparedCells) {
        message_ = tr("%1 queries \u00D7 %2 keys are too many cells to compare here.")
                       .arg(r->scenario->mask.queryLen).arg(r->scenario->mask.keyLen);
    } else {
        figure_ = alignmentComparison(*r->scenario, r->view.batchItem);
        message_ = r->scenario->mask.queryLen == r->scenario->mask.keyLen
                       ? tr("Queries and keys have the same length: both alignments give the same mask.")
                       : QString();
    }
    update();
}

void AlignmentCompareDialog::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const FigureStyle style;
    p.fillRect(rect(), paletteFor(style.theme).background);
    const double messageHeight = message_.isEmpty() ? 0.0 : 2.5 * fontMetrics().height();
    if (!figure_.panels.empty())
        FigureRenderer::paint(p, QRectF(0, messageHeight, width(), height() - messageHeight), figure_, style);
    p.setPen(paletteFor(style.theme).text);
    p.drawText(rect().adjusted(10, 6, -10, 0), Qt::AlignTop | Qt::AlignLeft | Qt::TextWordWrap, message_);
}

} // namespace maskscope::ui
