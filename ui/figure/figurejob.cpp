// SPDX-License-Identifier: MIT
#include "figure/figurejob.h"

#include "figure/figurebuilder.h"
#include "figure/pitfallfigure.h"

#include <string>
#include <variant>

namespace maskscope::ui {

namespace {

// Messages speak the command line's language (--head, --batch-item), which the dialog's users
// recognise too.
void checkRequest(const Scenario& s, const FigureRequest& r)
{
    const int heads = s.heads();
    const int head = r.figureHead();
    if (head != kAllHeads && head != kMeanHead && (head < 0 || head >= heads))
        throw InputError("--head expects all, mean or a head from 0 to " + std::to_string(heads - 1) +
                         ", got " + std::to_string(head));
    if (r.batchItem < 0 || r.batchItem >= s.mask.batch)
        throw InputError("--batch-item " + std::to_string(r.batchItem) + " is outside 0.." +
                         std::to_string(s.mask.batch - 1));
    if (r.compareFixed && !hasFixableMistake(s.config))
        throw InputError("--before-after needs a mistake to compare with: add --bug NAME (or a fill "
                         "the --dtype cannot hold)");
}

template <typename T>
Figure computeTyped(const Scenario& s, const AttentionInputs<T>& inputs, const FigureRequest& r,
                    const QString& title)
{
    const ViewKind view = r.figureView();
    // The mask view needs no attention at all: no inputs are multiplied for it.
    if (view == ViewKind::Mask) {
        const BatchTrace<T> trace = maskOnlyTrace<T>(s.mask, r.batchItem);
        return buildFigure(s, trace, view, r.figureHead(), title);
    }
    const TraceRequest request = figureTraceRequest(view, r.figureHead(), r.batchItem);
    checkTraceFits(s, request);
    AttentionEngine<T> engine;
    AttentionTrace<T> trace;
    engine.compute(inputs, s.mask, s.config.scoreModifiers, request, trace);
    return buildFigure(s, trace.batches.front(), view, r.figureHead(), title);
}

} // namespace

Figure computeFigure(const Scenario& s, const FigureRequest& request, const QString& title)
{
    checkRequest(s, request);
    return std::visit(
        [&](const auto& in) {
            Figure figure = computeTyped(s, in, request, title);
            if (!request.compareFixed)
                return figure;
            // The fixed code runs on the very same inputs; only the mask and the lab differ.
            const Scenario fixed = fixedScenario(s);
            Figure both = comparisonFigure(std::move(figure), computeTyped(fixed, fixedInputs(fixed, in), request, title));
            if (!title.isEmpty())
                both.title = title;
            return both;
        },
        s.inputs);
}

long long figureWorkCells(const Scenario& s, const FigureRequest& request)
{
    if (request.figureView() == ViewKind::Mask)
        return 0;
    const long long cells = static_cast<long long>(s.mask.queryLen) * s.mask.keyLen;
    return cells * (request.everyHead() ? s.heads() : 1) * (request.compareFixed ? 2 : 1);
}

} // namespace maskscope::ui
