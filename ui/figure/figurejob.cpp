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
    if (r.head != kAllHeads && r.head != kMeanHead && (r.head < 0 || r.head >= heads))
        throw InputError("--head expects all, mean or a head from 0 to " + std::to_string(heads - 1) +
                         ", got " + std::to_string(r.head));
    if (r.batchItem < 0 || r.batchItem >= s.mask.batch)
        throw InputError("--batch-item " + std::to_string(r.batchItem) + " is outside 0.." +
                         std::to_string(s.mask.batch - 1));
    if (r.compareFixed && !hasFixableMistake(s.config))
        throw InputError("--before-after needs a mistake to compare with: add --bug NAME (or a fill "
                         "the --dtype cannot hold)");
}

template <typename T>
Figure computeTyped(const Scenario& s, const AttentionInputs<T>& inputs, const FigureRequest& r)
{
    // The mask view needs no attention at all: no inputs are multiplied for it.
    if (r.view == ViewKind::Mask) {
        const BatchTrace<T> trace = maskOnlyTrace<T>(s.mask, r.batchItem);
        return buildFigure(s, trace, r.view, r.head, r.title);
    }
    const TraceRequest request = figureTraceRequest(r.view, r.head, r.batchItem);
    checkTraceFits(s, request);
    AttentionEngine<T> engine;
    AttentionTrace<T> trace;
    engine.compute(inputs, s.mask, s.config.scoreModifiers, request, trace);
    return buildFigure(s, trace.batches.front(), r.view, r.head, r.title);
}

} // namespace

Figure computeFigure(const Scenario& s, const FigureRequest& request)
{
    checkRequest(s, request);
    return std::visit(
        [&](const auto& in) {
            Figure figure = computeTyped(s, in, request);
            if (!request.compareFixed)
                return figure;
            // The fixed code runs on the very same inputs; only the mask and the lab differ.
            const Scenario fixed = fixedScenario(s);
            Figure both = comparisonFigure(std::move(figure), computeTyped(fixed, fixedInputs(fixed, in), request));
            if (!request.title.isEmpty())
                both.title = request.title;
            return both;
        },
        s.inputs);
}

long long figureWorkCells(const Scenario& s, const FigureRequest& request)
{
    if (request.view == ViewKind::Mask)
        return 0;
    const bool everyHead = request.head == kAllHeads || request.head == kMeanHead;
    const long long cells = static_cast<long long>(s.mask.queryLen) * s.mask.keyLen;
    return cells * (everyHead ? s.heads() : 1) * (request.compareFixed ? 2 : 1);
}

} // namespace maskscope::ui
