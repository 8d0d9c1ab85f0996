#pragma once
// What the window shows of a scenario: which batch item, which matrix, which head(s).

#include "figure/figure.h"

namespace maskscope::ui {

/// How the heads are laid out.
enum class Layout {
    SingleHead, ///< one head, large
    AllHeads,   ///< every head as a grid of small multiples
    MeanHead,   ///< the mean of the weights over heads
    Pipeline,   ///< mask -> logits -> masked logits -> weights of one head, side by side
};

/// The view selection. Plain value; the document clamps it to the scenario's sizes.
struct ViewState {
    ViewKind matrix = ViewKind::Weights; ///< Mask, Logits, MaskedLogits or Weights
    Layout layout = Layout::SingleHead;
    int head = 0;      ///< the head of SingleHead and Pipeline
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

    int figureHead() const
    {
        switch (layout) {
        case Layout::AllHeads: return kAllHeads;
        case Layout::MeanHead: return kMeanHead;
        default: return head;
        }
    }

    friend bool operator==(const ViewState&, const ViewState&) = default;
};

} // namespace maskscope::ui
