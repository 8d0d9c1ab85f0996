// SPDX-License-Identifier: MIT
#include "figure/figurebuilder.h"

#include "figure/colormap.h"
#include "figure/displaycells.h"
#include "figure/figurerenderer.h"
#include "figure/numberformat.h"
#include "figure/pitfallfigure.h"

#include <QCoreApplication>
#include <QFileInfo>
#include "figure/rulenames.h"

#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>

namespace maskscope::ui {

namespace {

// The translation context of the texts this file draws into figures.
struct FigureText {
    Q_DECLARE_TR_FUNCTIONS(FigureText)
};

QStringList toLabels(const std::vector<std::string>& tokens)
{
    QStringList labels;
    labels.reserve(static_cast<qsizetype>(tokens.size()));
    for (const auto& t : tokens)
        labels << QString::fromStdString(t);
    return labels;
}

QString viewTitle(ViewKind view)
{
    switch (view) {
    case ViewKind::Mask: return FigureText::tr("Attention mask");
    case ViewKind::Logits: return FigureText::tr("Attention logits");
    case ViewKind::MaskedLogits: return FigureText::tr("Masked logits");
    case ViewKind::Weights: return FigureText::tr("Attention weights");
    case ViewKind::Pipeline: return FigureText::tr("From mask to attention weights");
    }
    return {};
}

// Panel titles of the pipeline name each step as a teacher writes it on the board. With score
// modifiers (ALiBi, soft-capping) the mask is added to the modified logits.
QString stepTitle(ViewKind view, bool modified)
{
    switch (view) {
    case ViewKind::Mask: return FigureText::tr("1  mask");
    case ViewKind::Logits: return FigureText::tr("2  logits QKᵀ/√dₖ");
    case ViewKind::MaskedLogits:
        return modified ? FigureText::tr("3  modified logits + mask") : FigureText::tr("3  logits + mask");
    case ViewKind::Weights: return FigureText::tr("4  softmax weights");
    case ViewKind::Pipeline: break;
    }
    return {};
}

QString valueName(ViewKind view)
{
    switch (view) {
    case ViewKind::Mask: return FigureText::tr("mask");
    case ViewKind::Logits: return FigureText::tr("logit");
    case ViewKind::MaskedLogits: return FigureText::tr("masked logit");
    case ViewKind::Weights: return FigureText::tr("weight");
    case ViewKind::Pipeline: break;
    }
    return {};
}

QString headName(int head, int heads)
{
    if (head == kMeanHead)
        return FigureText::tr("mean of %1 heads").arg(heads);
    return FigureText::tr("head %1").arg(head);
}

// Grouped-query attention: the query heads that share head h's key/value head, e.g.
// "heads 0–1 · K/V 0"; empty for plain multi-head attention.
QString kvGroupName(const Scenario& s, int head)
{
    const int size = s.kvGroupSize();
    if (size <= 1 || head < 0)
        return {};
    const int group = head / size;
    return FigureText::tr("heads %1–%2 · K/V %3").arg(group * size).arg(group * size + size - 1).arg(group);
}

template <typename T>
const HeadTrace<T>& findHead(const BatchTrace<T>& trace, int head)
{
    for (const auto& h : trace.heads)
        if (h.head == head)
            return h;
    throw InputError("the trace holds no matrices of head " + std::to_string(head));
}

template <typename T>
const Matrix<T>& headMatrixOf(const HeadTrace<T>& h, ViewKind view)
{
    const Matrix<T>& m = view == ViewKind::Logits         ? h.logits
                         : view == ViewKind::MaskedLogits ? h.maskedLogits
                                                          : h.weights;
    if (m.size() == 0)
        throw InputError("the trace holds no " + valueName(view).toStdString() + "s of head " +
                         std::to_string(h.head));
    return m;
}

// Calls use(m) with the matrix a panel shows: one head's own (not copied), or the mean over
// every head.
template <typename T, typename Use>
void withViewMatrix(const BatchTrace<T>& trace, ViewKind view, int head, int heads, Use use)
{
    if (head != kMeanHead) {
        use(headMatrixOf(findHead(trace, head), view));
        return;
    }
    if (view == ViewKind::Weights && trace.meanWeights.size() > 0) {
        use(trace.meanWeights);
        return;
    }
    if (static_cast<int>(trace.heads.size()) != heads)
        throw InputError("the mean over heads needs every head's " + valueName(view).toStdString() +
                         "s");
    Matrix<double> sum = headMatrixOf(trace.heads.front(), view).template cast<double>();
    for (size_t k = 1; k < trace.heads.size(); ++k)
        sum += headMatrixOf(trace.heads[k], view).template cast<double>();
    use(Matrix<double>(sum / static_cast<double>(heads)));
}

// Written as selects, not branches: it runs for every cell of every panel.
CellState numberState(double v)
{
    const CellState inf = v < 0 ? CellState::NegInf : CellState::PosInf;
    return std::isnan(v) ? CellState::NaN : std::isinf(v) ? inf : CellState::Value;
}

// A panel's labels, flags and scale: everything but its cells.
template <typename T>
Heatmap panelShell(const Scenario& s, const BatchTrace<T>& trace, ViewKind view, int head)
{
    Heatmap map;
    const auto b = static_cast<size_t>(trace.batchItem);
    map.rows = static_cast<int>(trace.allowed.rows());
    map.cols = static_cast<int>(trace.allowed.cols());
    map.view = view;
    map.head = view == ViewKind::Mask ? 0 : head;
    map.valueName = valueName(view);
    map.rowLabels = toLabels(displayLabels(s, static_cast<int>(b), true));
    map.colLabels = toLabels(displayLabels(s, static_cast<int>(b), false));
    map.rowPad = trace.queryIsPad;
    map.colPad = trace.keyIsPad;
    map.rowFullyBlocked = trace.rowFullyBlocked;
    map.scale = view == ViewKind::Mask      ? ColorScale::Mask
                : view == ViewKind::Weights ? ColorScale::Sequential
                                            : ColorScale::Diverging;
    map.lo = 0.0;
    map.hi = 1.0;
    return map;
}

// How each cell of a panel is drawn: the flags (displaycells.h) as plain data rather than a
// branch per view, so that the loops over millions of cells compile to straight-line code.
struct CellRule : CellFlags {
    CellState state(double v, bool allowed) const
    {
        const CellState number = numberState(v);
        const bool disallowed = blockDisallowed & !allowed & (number == CellState::Value) & (!onlyIfZero | (v == 0.0));
        const bool blocked = mask ? !allowed : disallowed;
        return blocked ? CellState::Blocked : mask ? CellState::Value : number;
    }
};

// Calls visit(m, rule) with the matrix panel `map` shows and the rule deciding how each of its
// cells is drawn: rule.state(m(i, j), trace.allowed(i, j)). Every way of filling a panel's cells
// (all of them, a scan for the legend, a reduction to screen pixels, one cell for a read-out)
// goes through here, so they cannot disagree.
template <typename T, typename Visit>
void withPanelCells(const BatchTrace<T>& trace, const Heatmap& map, int heads, Visit visit)
{
    switch (map.view) {
    case ViewKind::Mask:
        visit(trace.additiveMask, CellRule{{true, false, false}});
        return;
    // Raw logits exist for every cell, blocked or not: masking comes after.
    case ViewKind::Logits:
        withViewMatrix(trace, map.view, map.head, heads, [&](const auto& m) { visit(m, CellRule{}); });
        return;
    // A blocked cell holds logit + fill: -inf, or a huge finite number under -1e9 or lowest
    // fills, which must not stretch the colour scale. Either way it is drawn as blocked.
    case ViewKind::MaskedLogits:
        withViewMatrix(trace, map.view, map.head, heads,
                       [&](const auto& m) { visit(m, CellRule{{false, true, false}}); });
        return;
    // A weight is drawn as blocked only where the mask really zeroed it; a blocked cell with a
    // non-zero weight (a fully blocked row under a finite fill spreads weight uniformly) keeps
    // its colour so that the leak shows.
    case ViewKind::Weights:
        withViewMatrix(trace, map.view, map.head, heads,
                       [&](const auto& m) { visit(m, CellRule{{false, true, true}}); });
        return;
    case ViewKind::Pipeline: break;
    }
    throw InputError("a pipeline is not one panel");
}

// Fills values and states cell by cell; returns the largest magnitude of a Value cell.
template <typename M>
double classifyCells(Heatmap& map, const M& m, const BoolMatrix& allowed, CellRule rule)
{
    const size_t cells = static_cast<size_t>(map.rows) * static_cast<size_t>(map.cols);
    map.values.resize(cells);
    map.states.resize(cells);
    double largest = 0.0;
    for (int i = 0; i < map.rows; ++i) {
        for (int j = 0; j < map.cols; ++j) {
            const size_t k = static_cast<size_t>(i) * static_cast<size_t>(map.cols) + j;
            const double v = static_cast<double>(m(i, j));
            const CellState st = rule.state(v, allowed(i, j));
            map.values[k] = v;
            map.states[k] = st;
            if (st == CellState::Value)
                largest = std::max(largest, std::fabs(v));
        }
    }
    return largest;
}

// One pass that keeps no cell: which kinds of cells there are (the legend) and the largest
// magnitude of a Value cell (the colour range), read off the cells' keys (displaycells.h).
template <typename M>
double scanCells(CellKinds& kinds, const M& m, const BoolMatrix& allowed, CellRule rule)
{
    const KeyScan<WordOf<M>> scan = scanMatrix(m, allowed, rule);
    kinds.blocked |= scan.blocked;
    kinds.nan |= scan.nan;
    kinds.maskAddsNonZero |= rule.mask && scan.nonZero;
    return static_cast<double>(std::bit_cast<typename M::Scalar>(scan.largest));
}

// How much of a panel's cells a figure keeps.
enum class CellDetail {
    Every,   // values and states of every cell
    Outline, // none: only their kinds and range, enough to lay the figure out (fillPanelCells)
};

// Outlines are only worth it for matrices that may be reduced to fewer pixels; small ones keep
// every cell, which the layout needs for numbers inside cells.
bool outlined(const Heatmap& map, CellDetail detail)
{
    return detail == CellDetail::Outline &&
           static_cast<long long>(map.rows) * map.cols > FigureRenderer::kRasterVectorCells;
}

// Diverging panels get their own symmetric range [-largest, largest] here; they share the
// widest one in shareDivergingRange.
void setOwnRange(Heatmap& map, double largest)
{
    if (map.scale != ColorScale::Diverging)
        return;
    map.lo = -largest;
    map.hi = largest;
}

template <typename T>
void addCells(Heatmap& map, const BatchTrace<T>& trace, int heads, CellDetail detail)
{
    withPanelCells(trace, map, heads, [&](const auto& m, CellRule rule) {
        if (outlined(map, detail)) {
            CellKinds kinds;
            setOwnRange(map, scanCells(kinds, m, trace.allowed, rule));
            map.reducedKinds = kinds;
        } else {
            setOwnRange(map, classifyCells(map, m, trace.allowed, rule));
        }
    });
}

// The cells of every panel, one panel per core: a grid of 8 heads at L = 2048 is 32 million.
template <typename T>
void addCellsOfPanels(std::vector<Heatmap>& panels, const BatchTrace<T>& trace, int heads, CellDetail detail)
{
    long long cells = 0;
    for (const Heatmap& map : panels)
        cells += static_cast<long long>(map.rows) * map.cols;
    if (panels.size() > 1 && cells >= FigureRenderer::kParallelCells)
        QtConcurrent::blockingMap(panels, [&](Heatmap& map) { addCells(map, trace, heads, detail); });
    else
        for (Heatmap& map : panels)
            addCells(map, trace, heads, detail);
}

} // namespace

void shareDivergingRange(std::vector<Heatmap>& panels)
{
    double largest = 0.0;
    for (const auto& p : panels)
        if (p.scale == ColorScale::Diverging)
            largest = std::max(largest, p.hi);
    const double m = largest > 0.0 ? largest : 1.0;
    for (auto& p : panels) {
        if (p.scale == ColorScale::Diverging) {
            p.lo = -m;
            p.hi = m;
        }
    }
}

namespace {

std::vector<int> headsToShow(int head, int heads)
{
    if (head == kAllHeads) {
        std::vector<int> all(static_cast<size_t>(heads));
        for (int h = 0; h < heads; ++h)
            all[static_cast<size_t>(h)] = h;
        return all;
    }
    if (head == kMeanHead || (head >= 0 && head < heads))
        return {head};
    throw InputError("head " + std::to_string(head) + " is outside 0.." + std::to_string(heads - 1));
}

template <typename T>
void addPipelineRow(Figure& fig, const Scenario& s, const BatchTrace<T>& trace, int head, int heads,
                    bool prefixHead)
{
    for (ViewKind v : {ViewKind::Mask, ViewKind::Logits, ViewKind::MaskedLogits, ViewKind::Weights}) {
        Heatmap p = panelShell(s, trace, v, head);
        const QString step = stepTitle(v, s.config.scoreModifiers.active());
        p.title = prefixHead ? headName(head, heads) + QStringLiteral(" \u00B7 ") + step : step;
        fig.panels.push_back(std::move(p));
    }
}

// The panels without their cells (addCellsOfPanels).
template <typename T>
void addPanelShells(Figure& fig, const Scenario& s, const BatchTrace<T>& trace, ViewKind view, int head)
{
    const int heads = s.heads();
    const std::vector<int> shown = headsToShow(head, heads);
    if (view == ViewKind::Pipeline) {
        for (int h : shown)
            addPipelineRow(fig, s, trace, h, heads, shown.size() > 1);
        fig.columns = 4;
        return;
    }
    if (view == ViewKind::Mask) {
        fig.panels.push_back(panelShell(s, trace, ViewKind::Mask, 0)); // the same for every head
        return;
    }
    for (int h : shown) {
        Heatmap p = panelShell(s, trace, view, h);
        // A single panel is named by the figure title already.
        p.title = shown.size() > 1 ? headName(h, heads) : QString();
        if (const QString group = kvGroupName(s, h); shown.size() > 1 && !group.isEmpty())
            p.title += QStringLiteral(" (") + group + QLatin1Char(')');
        fig.panels.push_back(std::move(p));
    }
    fig.columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(shown.size()))));
    fig.flexibleColumns = shown.size() > 1;
}

QString headSuffix(ViewKind view, int head, int heads)
{
    if (view == ViewKind::Mask)
        return head == kAllHeads ? FigureText::tr(" (the same for every head)") : QString();
    if (head == kAllHeads)
        return FigureText::tr(" \u2014 all %1 heads").arg(heads);
    if (head == kMeanHead)
        return FigureText::tr(" \u2014 mean over %1 heads").arg(heads);
    return FigureText::tr(" \u2014 head %1").arg(head);
}

QString fillName(const Fill& fill)
{
    switch (fill.kind) {
    case Fill::Kind::NegInf: return prettyNumber(-INFINITY, 0);
    case Fill::Kind::NegBillion: return QStringLiteral("−1e9");
    case Fill::Kind::Lowest: return FigureText::tr("lowest");
    case Fill::Kind::Value: return prettyNumber(fill.value, 3);
    }
    return {};
}

// What the mask adds where it blocks, read from the matrix itself (loaded masks have no Fill).
template <typename T>
QString blockedAddend(const BatchTrace<T>& trace)
{
    std::optional<double> seen;
    for (Eigen::Index i = 0; i < trace.allowed.rows(); ++i) {
        for (Eigen::Index j = 0; j < trace.allowed.cols(); ++j) {
            if (trace.allowed(i, j))
                continue;
            const double v = static_cast<double>(trace.additiveMask(i, j));
            if (seen && *seen != v)
                return FigureText::tr("a large negative number");
            seen = v;
        }
    }
    return seen ? prettyNumber(*seen, 3) : prettyNumber(-INFINITY, 0);
}

template <typename T>
QString paddingNote(const Scenario& s, const BatchTrace<T>& trace)
{
    const auto pads = static_cast<int>(std::count(trace.keyIsPad.begin(), trace.keyIsPad.end(), true));
    if (pads == 0)
        return {};
    const int lk = static_cast<int>(trace.keyIsPad.size());
    return (s.mask.padSide == PadSide::Left ? FigureText::tr("valid length %1 of %2, padded on the left")
                                            : FigureText::tr("valid length %1 of %2, padded on the right"))
        .arg(lk - pads)
        .arg(lk);
}

template <typename T>
QString subtitleOf(const Scenario& s, const BatchTrace<T>& trace)
{
    const MaskSpec& m = s.mask;
    QStringList parts;
    if (s.model) // a real checkpoint: which one and which layer, before anything else
        parts << FigureText::tr("%1 (%2) · layer %3 of %4")
                     .arg(QFileInfo(QString::fromStdString(s.model->path)).fileName(),
                          QString::fromLatin1(architectureName(s.model->config.architecture)))
                     .arg(s.model->layer)
                     .arg(s.model->config.layers);
    parts << (m.selfAttention ? FigureText::tr("self-attention") : FigureText::tr("cross-attention"));
    parts << (m.queryLen == m.keyLen ? QStringLiteral("L = %1").arg(m.keyLen)
                                     : FigureText::tr("%1 queries \u00D7 %2 keys").arg(m.queryLen).arg(m.keyLen));
    if (m.causal)
        parts << FigureText::tr("causal");
    parts << activeRuleNames(s.config); // window, documents, painted cells, ...
    if (m.attnMask)
        parts << FigureText::tr("loaded attn_mask");
    if (const QString pad = paddingNote(s, trace); !pad.isEmpty())
        parts << pad;
    if (s.config.scoreModifiers.alibi)
        parts << QStringLiteral("ALiBi");
    if (s.config.scoreModifiers.softcap)
        parts << FigureText::tr("soft-cap %1").arg(prettyNumber(*s.config.scoreModifiers.softcap, 3));
    if (s.config.loadDir.empty())
        parts << FigureText::tr("fill %1").arg(fillName(m.fill));
    parts << pitfallSubtitleParts(s); // the pitfall lab's mistakes and settings
    if (s.kvGroupSize() > 1)
        parts << FigureText::tr("%1 heads sharing %2 K/V heads, d_model %3").arg(s.heads()).arg(s.kvHeads).arg(s.embedDim());
    else
        parts << FigureText::tr("%1 heads, d_model %2").arg(s.heads()).arg(s.embedDim());
    if (m.batch > 1)
        parts << FigureText::tr("batch item %1 of %2").arg(trace.batchItem).arg(m.batch);
    return parts.join(QStringLiteral(" \u00B7 "));
}

template <typename T>
void requireMask(const BatchTrace<T>& trace)
{
    if (trace.allowed.size() == 0 || trace.additiveMask.size() == 0)
        throw InputError("the trace holds no mask (TraceRequest::mask)");
}

template <typename T>
Figure figureOf(const Scenario& scenario, const BatchTrace<T>& trace, ViewKind view, int head,
                const QString& title, CellDetail detail)
{
    requireMask(trace);
    Figure fig;
    addPanelShells(fig, scenario, trace, view, head);
    addCellsOfPanels(fig.panels, trace, scenario.heads(), detail);
    shareDivergingRange(fig.panels);
    for (auto& p : fig.panels)
        if (!p.isReduced())
            p.cellImage = makeCellImage(p);
    fig.title = title.isEmpty() ? viewTitle(view) + headSuffix(view, head, scenario.heads()) : title;
    fig.subtitle = subtitleOf(scenario, trace);
    fig.fillText = blockedAddend(trace);
    // Cheap (O(Lq + tiles)): always there, so the overlay switches on without a recompute.
    fig.blocks = blockOverlayOf(scenario.mask, trace.batchItem, scenario.config.blockSize);
    return fig;
}

} // namespace

template <typename T>
Figure buildFigure(const Scenario& scenario, const BatchTrace<T>& trace, ViewKind view, int head,
                   const QString& title)
{
    return figureOf(scenario, trace, view, head, title, CellDetail::Every);
}

template <typename T>
Figure buildFigureOutline(const Scenario& scenario, const BatchTrace<T>& trace, ViewKind view, int head)
{
    return figureOf(scenario, trace, view, head, QString(), CellDetail::Outline);
}

template <typename T>
void fillPanelCells(Heatmap& map, const Scenario& scenario, const BatchTrace<T>& trace, QSize pixels)
{
    if (!map.isReduced() || map.cellImage.size() == pixels)
        return;
    const BoolMatrix& allowed = trace.allowed;
    withPanelCells(trace, map, scenario.heads(), [&](const auto& m, CellRule rule) {
        if (pixels.width() < map.cols || pixels.height() < map.rows) {
            map.cellImage = reducedCellImage(map, pixels, m, allowed, rule);
        } else {
            classifyCells(map, m, allowed, rule);
            map.reducedKinds.reset();
            map.cellImage = makeCellImage(map);
        }
    });
}

template <typename T>
std::pair<CellState, double> panelCell(const Heatmap& map, const Scenario& scenario,
                                       const BatchTrace<T>& trace, int row, int col)
{
    if (!map.isReduced()) {
        const size_t k = static_cast<size_t>(row) * static_cast<size_t>(map.cols) + static_cast<size_t>(col);
        return {map.states.at(k), map.values.at(k)};
    }
    std::pair<CellState, double> cell;
    withPanelCells(trace, map, scenario.heads(), [&](const auto& m, CellRule rule) {
        const double v = static_cast<double>(m(row, col));
        cell = {rule.state(v, trace.allowed(row, col)), v};
    });
    return cell;
}

TraceRequest figureTraceRequest(ViewKind view, int head, int batchItem)
{
    TraceRequest r;
    r.batchItem = batchItem;
    r.output = false;
    r.mask = true;
    r.scores = false; // modified logits are not a panel of their own
    r.logits = view == ViewKind::Logits || view == ViewKind::Pipeline;
    r.maskedLogits = view == ViewKind::MaskedLogits || view == ViewKind::Pipeline;
    const bool weights = view == ViewKind::Weights || view == ViewKind::Pipeline;
    r.head = head >= 0 ? head : -1;
    if (view == ViewKind::Mask)
        r.head = 0; // the mask needs no head; one is the least the engine computes
    // The mean of weights is accumulated by the engine; per-head weights are then not kept.
    r.meanWeights = head == kMeanHead && weights;
    r.weights = weights && head != kMeanHead;
    return r;
}

template <typename T>
BatchTrace<T> maskOnlyTrace(const MaskSpec& mask, int batchItem)
{
    BatchTrace<T> t;
    t.batchItem = batchItem;
    t.allowed = allowedMatrix(mask, batchItem);
    additiveMask<T>(mask, batchItem, t.additiveMask);
    t.queryIsPad = mask.queryPadFlags(batchItem);
    t.keyIsPad = mask.keyPadFlags(batchItem);
    t.rowFullyBlocked = fullyBlockedRows(t.allowed);
    t.blockedRowOutcomes = blockedRowOutcomes(t.rowFullyBlocked, t.additiveMask, mask.pitfalls);
    t.maskApplied = !mask.pitfalls.has(Pitfall::MaskedFillNotInplace);
    return t;
}

template Figure buildFigure<float>(const Scenario&, const BatchTrace<float>&, ViewKind, int,
                                   const QString&);
template Figure buildFigure<double>(const Scenario&, const BatchTrace<double>&, ViewKind, int,
                                    const QString&);
template Figure buildFigureOutline<float>(const Scenario&, const BatchTrace<float>&, ViewKind, int);
template Figure buildFigureOutline<double>(const Scenario&, const BatchTrace<double>&, ViewKind, int);
template void fillPanelCells<float>(Heatmap&, const Scenario&, const BatchTrace<float>&, QSize);
template void fillPanelCells<double>(Heatmap&, const Scenario&, const BatchTrace<double>&, QSize);
template std::pair<CellState, double> panelCell<float>(const Heatmap&, const Scenario&,
                                                       const BatchTrace<float>&, int, int);
template std::pair<CellState, double> panelCell<double>(const Heatmap&, const Scenario&,
                                                        const BatchTrace<double>&, int, int);
template BatchTrace<float> maskOnlyTrace<float>(const MaskSpec&, int);
template BatchTrace<double> maskOnlyTrace<double>(const MaskSpec&, int);

} // namespace maskscope::ui
