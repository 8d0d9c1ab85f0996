// SPDX-License-Identifier: MIT
#pragma once
// The last step of showing a figure on a screen, asked for by the view that shows it: the
// figure's panels arranged for the view's shape, large matrices reduced to the pixels they get
// there (displaycells.h), laid out and painted into an image. The document's jobs stop at the
// figure model, so a resize, a new style or a second screen never needs a recompute.

#include "figure/figure.h"
#include "figure/figurerenderer.h"

#include "attention/attention.h"
#include "scenario/scenario.h"

#include <QImage>
#include <QSize>

#include <functional>
#include <memory>
#include <variant>

namespace maskscope::ui {

/// Where a figure is shown.
struct ScreenTarget {
    QSize size;         ///< logical pixels
    qreal dpr = 1.0;    ///< device pixel ratio of the screen
    FigureStyle style;
};

/// A figure made ready for one ScreenTarget.
struct ScreenFigure {
    /// The figure drawn: its columns fitted to the target (FigureRenderer::fittedColumns), its
    /// outline panels filled for the target's pixels. Null when the render was given up.
    std::shared_ptr<const Figure> figure;
    FigureLayout layout;  ///< of `figure` at the target's size
    QImage image;         ///< `figure` painted at the target's size and pixel ratio
};

/// The trace a figure was built from, in either precision.
using AnyBatchTrace = std::variant<BatchTrace<float>, BatchTrace<double>>;

/// Makes `figure` ready for `target` (size not empty). `figure` may have outline panels
/// (buildFigureOutline); `scenario` and `trace` are then what it was built from and are read to
/// fill them (else they may be null / anything). `figure` itself is never changed: the result
/// shares it when nothing needed changing, else holds a changed copy. Filling several large
/// panels uses every core. `stale`, if given, is asked between the steps; once it returns true
/// the work stops and an empty ScreenFigure (null figure) comes back.
ScreenFigure renderForScreen(std::shared_ptr<const Figure> figure, const Scenario* scenario,
                             const AnyBatchTrace& trace, const ScreenTarget& target,
                             const std::function<bool()>& stale = {});

/// `figure` painted by FigureRenderer with `layout` into a transparent image of `size` logical
/// pixels at pixel ratio `dpr`.
QImage renderFigureImage(const Figure& figure, const FigureLayout& layout, const FigureStyle& style,
                         QSize size, qreal dpr);

} // namespace maskscope::ui
