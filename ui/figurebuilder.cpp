#include "figurebuilder.h"

#include "colormap.h"
#include "numberformat.h"
#include "pitfallfigure.h"

#include <QCoreApplication>
#include "rulenames.h"

#include <algorithm>
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

CellState numberState(double v)
{
    if (std::isnan(v))
        return CellState::NaN;
    if (std::isinf(v))
        return v < 0 ? CellState::NegInf : CellState::PosInf;
    return CellState::Value;
}

template <typename T>
Heatmap emptyPanel(const Scenario& s, const BatchTrace<T>& trace, ViewKind view, int head)
{
    Heatmap map;
    const auto b = static_cast<size_t>(trace.batchItem);
    map.rows = static_cast<int>(trace.allowed.rows());
    map.cols = static_cast<int>(trace.allowed.cols());
    map.view = view;
    map.head = head;
    map.valueName = valueName(view);
    map.rowLabels = toLabels(s.tokensQ.at(b));
    map.colLabels = toLabels(s.tokensK.at(b));
    map.rowPad = trace.queryIsPad;
    map.colPad = trace.keyIsPad;
    map.rowFullyBlocked = trace.rowFullyBlocked;
    const size_t cells = static_cast<size_t>(map.rows) * static_cast<size_t>(map.cols);
    map.values.resize(cells);
    map.states.resize(cells);
    return map;
}

// Fills values and states cell by cell: state(i, j, value) decides how each cell is drawn.
template <typename M, typename StateOf>
void classifyCells(Heatmap& map, const M& m, StateOf state)
{
    for (int i = 0; i < map.rows; ++i) {
        for (int j = 0; j < map.cols; ++j) {
            const size_t k = static_cast<size_t>(i) * static_cast<size_t>(map.cols) + j;
            const double v = static_cast<double>(m(i, j));
            map.values[k] = v;
            map.states[k] = state(i, j, v);
        }
    }
}

template <typename T>
Heatmap maskPanel(const Scenario& s, const BatchTrace<T>& trace)
{
    Heatmap map = emptyPanel(s, trace, ViewKind::Mask, 0);
    map.scale = ColorScale::Mask;
    const BoolMatrix& allowed = trace.allowed;
    classifyCells(map, trace.additiveMask, [&](int i, int j, double) {
        return allowed(i, j) ? CellState::Value : CellState::Blocked;
    });
    return map;
}

// Raw logits exist for every cell, blocked or not: masking comes after.
template <typename T>
Heatmap logitsPanel(const Scenario& s, const BatchTrace<T>& trace, int head, int heads)
{
    Heatmap map = emptyPanel(s, trace, ViewKind::Logits, head);
    map.scale = ColorScale::Diverging;
    withViewMatrix(trace, ViewKind::Logits, head, heads, [&](const auto& m) {
        classifyCells(map, m, [](int, int, double v) { return numberState(v); });
    });
    return map;
}

// A blocked cell holds logit + fill: -inf, or a huge finite number under -1e9 or lowest fills,
// which must not stretch the colour scale. Either way it is drawn as blocked.
template <typename T>
Heatmap maskedLogitsPanel(const Scenario& s, const BatchTrace<T>& trace, int head, int heads)
{
    Heatmap map = emptyPanel(s, trace, ViewKind::MaskedLogits, head);
    map.scale = ColorScale::Diverging;
    const BoolMatrix& allowed = trace.allowed;
    withViewMatrix(trace, ViewKind::MaskedLogits, head, heads, [&](const auto& m) {
        classifyCells(map, m, [&](int i, int j, double v) {
            const CellState st = numberState(v);
            return st == CellState::Value && !allowed(i, j) ? CellState::Blocked : st;
        });
    });
    return map;
}

// A weight is drawn as blocked only where the mask really zeroed it; a blocked cell with a
// non-zero weight (a fully blocked row under a finite fill spreads weight uniformly) keeps its
// colour so that the leak shows.
template <typename T>
Heatmap weightsPanel(const Scenario& s, const BatchTrace<T>& trace, int head, int heads)
{
    Heatmap map = emptyPanel(s, trace, ViewKind::Weights, head);
    map.scale = ColorScale::Sequential;
    map.lo = 0.0;
    map.hi = 1.0;
    const BoolMatrix& allowed = trace.allowed;
    withViewMatrix(trace, ViewKind::Weights, head, heads, [&](const auto& m) {
        classifyCells(map, m, [&](int i, int j, double v) {
            const CellState st = numberState(v);
            return st == CellState::Value && !allowed(i, j) && v == 0.0 ? CellState::Blocked : st;
        });
    });
    return map;
}

template <typename T>
Heatmap panelOf(const Scenario& s, const BatchTrace<T>& trace, ViewKind view, int head, int heads)
{
    switch (view) {
    case ViewKind::Mask: return maskPanel(s, trace);
    case ViewKind::Logits: return logitsPanel(s, trace, head, heads);
    case ViewKind::MaskedLogits: return maskedLogitsPanel(s, trace, head, heads);
    case ViewKind::Weights: return weightsPanel(s, trace, head, heads);
    case ViewKind::Pipeline: break;
    }
    throw InputError("a pipeline is not one panel");
}

} // namespace

void shareDivergingRange(std::vector<Heatmap>& panels)
{
    double largest = 0.0;
    for (const auto& p : panels) {
        if (p.scale != ColorScale::Diverging)
            continue;
        for (size_t k = 0; k < p.values.size(); ++k)
            if (p.states[k] == CellState::Value)
                largest = std::max(largest, std::fabs(p.values[k]));
    }
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
        Heatmap p = panelOf(s, trace, v, head, heads);
        const QString step = stepTitle(v, s.config.scoreModifiers.active());
        p.title = prefixHead ? headName(head, heads) + QStringLiteral(" \u00B7 ") + step : step;
        fig.panels.push_back(std::move(p));
    }
}

template <typename T>
void addPanels(Figure& fig, const Scenario& s, const BatchTrace<T>& trace, ViewKind view, int head)
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
        fig.panels.push_back(maskPanel(s, trace)); // the same for every head
        return;
    }
    for (int h : shown) {
        Heatmap p = panelOf(s, trace, view, h, heads);
        // A single panel is named by the figure title already.
        p.title = shown.size() > 1 ? headName(h, heads) : QString();
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

} // namespace

template <typename T>
Figure buildFigure(const Scenario& scenario, const BatchTrace<T>& trace, ViewKind view, int head,
                   const QString& title)
{
    requireMask(trace);
    Figure fig;
    addPanels(fig, scenario, trace, view, head);
    shareDivergingRange(fig.panels);
    for (auto& p : fig.panels)
        p.cellImage = makeCellImage(p);
    fig.title = title.isEmpty() ? viewTitle(view) + headSuffix(view, head, scenario.heads()) : title;
    fig.subtitle = subtitleOf(scenario, trace);
    fig.fillText = blockedAddend(trace);
    // Cheap (O(Lq + tiles)): always there, so the overlay switches on without a recompute.
    fig.blocks = blockOverlayOf(scenario.mask, trace.batchItem, scenario.config.blockSize);
    return fig;
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

const char* viewKindName(ViewKind view)
{
    switch (view) {
    case ViewKind::Mask: return "mask";
    case ViewKind::Logits: return "logits";
    case ViewKind::MaskedLogits: return "masked-logits";
    case ViewKind::Weights: return "weights";
    case ViewKind::Pipeline: return "pipeline";
    }
    return "";
}

template Figure buildFigure<float>(const Scenario&, const BatchTrace<float>&, ViewKind, int,
                                   const QString&);
template Figure buildFigure<double>(const Scenario&, const BatchTrace<double>&, ViewKind, int,
                                    const QString&);
template BatchTrace<float> maskOnlyTrace<float>(const MaskSpec&, int);
template BatchTrace<double> maskOnlyTrace<double>(const MaskSpec&, int);

} // namespace maskscope::ui
