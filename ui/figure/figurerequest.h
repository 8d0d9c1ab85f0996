// SPDX-License-Identifier: MIT
#pragma once
// Which figure of a scenario to show or export: the one spelling shared by the window's view
// selection, `maskscope export`, `bench --ui`, presets and saved settings (by name:
// viewnames.h).

#include "figure/figure.h"

namespace maskscope::ui {

/// How the heads are laid out.
enum class Layout {
    SingleHead, ///< one head, large
    AllHeads,   ///< every head as a grid of small multiples
    MeanHead,   ///< the mean of the weights over heads
    Pipeline,   ///< mask -> logits -> masked logits -> weights of one head (or of every head)
};

/// The figure selection. Plain value.
/// Invariant of a request that fits a scenario (fittedTo): matrix is never ViewKind::Pipeline
/// (the pipeline is a layout); head is in [0, heads), or kAllHeads in the Pipeline layout (one
/// pipeline row per head, as `export --view pipeline --head all` asks); batchItem in [0, batch).
struct FigureRequest {
    ViewKind matrix = ViewKind::Weights; ///< Mask, Logits, MaskedLogits or Weights
    Layout layout = Layout::SingleHead;
    int head = 0;      ///< the head of SingleHead and Pipeline (Pipeline: also kAllHeads)
    int batchItem = 0;
    /// The pitfall lab's before/after: the figure with the mistakes next to the same figure of
    /// the fixed code (only when the scenario has a mistake, see pitfallfigure.h).
    bool compareFixed = false;

    /// The figure to build for this selection (see buildFigure).
    ViewKind figureView() const
    {
        if (layout == Layout::Pipeline)
            return ViewKind::Pipeline;
        // Only the weights have a mean over heads in PyTorch (average_attn_weights); the mask is
        // the same for every head, so the mean layout shows it as it is.
        if (layout == Layout::MeanHead && matrix != ViewKind::Mask)
            return ViewKind::Weights;
        return matrix;
    }

    /// The head argument of buildFigure: a head, kAllHeads or kMeanHead.
    int figureHead() const
    {
        switch (layout) {
        case Layout::AllHeads: return kAllHeads;
        case Layout::MeanHead: return kMeanHead;
        default: return head;
        }
    }

    /// True when the figure needs the matrices of every head (grid, mean, every pipeline).
    bool everyHead() const { return figureHead() == kAllHeads || figureHead() == kMeanHead; }

    /// The same selection made to fit a scenario of `heads` heads and `batch` items (each >= 1):
    /// head and batch item clamped, a pipeline's kAllHeads kept.
    FigureRequest fittedTo(int heads, int batch) const;

    /// True when both select the same figure (they may differ in what it does not show, e.g.
    /// the matrix remembered while the pipeline is shown).
    bool sameFigureAs(const FigureRequest& o) const
    {
        return figureView() == o.figureView() && figureHead() == o.figureHead() && batchItem == o.batchItem
               && compareFixed == o.compareFixed;
    }

    friend bool operator==(const FigureRequest&, const FigureRequest&) = default;
};

} // namespace maskscope::ui
