// SPDX-License-Identifier: MIT
#include "figure/figurerequest.h"

#include <algorithm>

namespace maskscope::ui {

FigureRequest FigureRequest::fittedTo(int heads, int batch) const
{
    FigureRequest r = *this;
    if (r.matrix == ViewKind::Pipeline) // the pipeline is a layout, never a matrix
        r.matrix = ViewKind::Weights;
    if (!(r.layout == Layout::Pipeline && r.head == kAllHeads))
        r.head = std::clamp(r.head, 0, std::max(0, heads - 1));
    r.batchItem = std::clamp(r.batchItem, 0, std::max(0, batch - 1));
    return r;
}

} // namespace maskscope::ui
