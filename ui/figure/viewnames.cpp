// SPDX-License-Identifier: MIT
#include "figure/viewnames.h"

#include "base/types.h"

#include <QJsonValue>

#include <algorithm>
#include <charconv>
#include <iterator>

namespace maskscope::ui {

namespace {

constexpr ViewKind kViews[] = {ViewKind::Mask, ViewKind::Logits, ViewKind::MaskedLogits, ViewKind::Weights,
                               ViewKind::Pipeline};
constexpr Layout kLayouts[] = {Layout::SingleHead, Layout::AllHeads, Layout::MeanHead, Layout::Pipeline};

// A name, or the enum's integer as settings saved it before names (clamped to `count` values).
template <typename Enum>
Enum enumFromJson(const QJsonValue& value, Enum fallback, int count, std::optional<Enum> (*fromName)(std::string_view),
                  const char* what)
{
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (value.isDouble())
        return static_cast<Enum>(std::clamp(value.toInt(), 0, count - 1));
    const std::string name = value.toString().toStdString();
    if (const std::optional<Enum> e = fromName(name))
        return *e;
    throw InputError(std::string("unknown ") + what + " '" + name + "'");
}

} // namespace

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

std::optional<ViewKind> viewKindFromName(std::string_view name)
{
    for (ViewKind v : kViews)
        if (name == viewKindName(v))
            return v;
    return std::nullopt;
}

const char* layoutName(Layout layout)
{
    switch (layout) {
    case Layout::SingleHead: return "single";
    case Layout::AllHeads: return "all";
    case Layout::MeanHead: return "mean";
    case Layout::Pipeline: return "pipeline";
    }
    return "";
}

std::optional<Layout> layoutFromName(std::string_view name)
{
    for (Layout l : kLayouts)
        if (name == layoutName(l))
            return l;
    return std::nullopt;
}

int headFromName(const std::string& text, int heads)
{
    if (text == "all")
        return kAllHeads;
    if (text == "mean")
        return kMeanHead;
    int v = 0;
    const char* end = text.data() + text.size();
    const auto res = std::from_chars(text.data(), end, v);
    if (text.empty() || res.ec != std::errc() || res.ptr != end || v < 0 || v >= heads)
        throw InputError("--head expects all, mean or a head from 0 to " + std::to_string(heads - 1) +
                         ", got '" + text + "'");
    return v;
}

void applyViewName(FigureRequest& view, const std::string& name)
{
    const std::optional<ViewKind> v = viewKindFromName(name);
    if (!v)
        throw InputError("--view expects mask, logits, masked-logits, weights or pipeline, got '" + name + "'");
    if (*v == ViewKind::Pipeline) {
        view.layout = Layout::Pipeline;
        return;
    }
    view.matrix = *v;
    if (view.layout == Layout::Pipeline)
        view.layout = Layout::SingleHead;
}

void applyHeadName(FigureRequest& view, const std::string& text, int heads)
{
    const int head = headFromName(text, heads);
    if (view.layout == Layout::Pipeline) {
        // Each stage is a different matrix: only the weights have a mean over heads.
        if (head == kMeanHead)
            throw InputError("--view pipeline shows one head or every head (--head all); the mean over "
                             "heads exists only for the weights");
        view.head = head;
        return;
    }
    if (head == kAllHeads)
        view.layout = Layout::AllHeads;
    else if (head == kMeanHead)
        view.layout = Layout::MeanHead;
    else {
        view.head = head;
        view.layout = Layout::SingleHead;
    }
}

QJsonObject viewToJson(const FigureRequest& v)
{
    return {{QStringLiteral("matrix"), QString::fromLatin1(viewKindName(v.matrix))},
            {QStringLiteral("layout"), QString::fromLatin1(layoutName(v.layout))},
            {QStringLiteral("head"), v.head},
            {QStringLiteral("batch_item"), v.batchItem},
            {QStringLiteral("compare_fixed"), v.compareFixed}};
}

FigureRequest viewFromJson(const QJsonObject& json)
{
    FigureRequest v;
    // The matrix is never the pipeline (that is a layout): its integers were 0..3.
    v.matrix = enumFromJson<ViewKind>(json.value(QStringLiteral("matrix")), v.matrix, 4, viewKindFromName, "matrix");
    if (v.matrix == ViewKind::Pipeline)
        throw InputError("unknown matrix 'pipeline' (use the layout pipeline)");
    v.layout = enumFromJson<Layout>(json.value(QStringLiteral("layout")), v.layout, static_cast<int>(std::size(kLayouts)),
                                    layoutFromName, "layout");
    v.head = std::max(v.layout == Layout::Pipeline ? kAllHeads : 0, json.value(QStringLiteral("head")).toInt(0));
    v.batchItem = std::max(0, json.value(QStringLiteral("batch_item")).toInt(0));
    v.compareFixed = json.value(QStringLiteral("compare_fixed")).toBool(false);
    return v;
}

} // namespace maskscope::ui
