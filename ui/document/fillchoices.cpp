// SPDX-License-Identifier: MIT
#include "document/fillchoices.h"

#include "figure/numberformat.h"

#include "attention/precision.h"

#include <QCoreApplication>

#include <variant>

namespace maskscope::ui {

// A tr() context for the free functions below.
class FillChoices {
    Q_DECLARE_TR_FUNCTIONS(maskscope::ui::FillChoices)
};

namespace {

QString dtypeText(DType d)
{
    return QString::fromLatin1(dtypeName(d));
}

// The fill as the engine uses it (fillIn), in the compute type.
double fillValueIn(const Fill& fill, NumberFormat format, DType compute)
{
    return compute == DType::Float64 ? fillIn<double>(fill, format) : fillIn<float>(fill, format);
}

} // namespace

DType computeDType(const ScenarioConfig& config, const Scenario* lastScenario)
{
    DType inputs = DType::Float32;
    if (lastScenario && !config.loadDir.empty() &&
        std::holds_alternative<AttentionInputs<double>>(lastScenario->inputs))
        inputs = DType::Float64;
    return effectiveDType(config.pitfalls.format, inputs);
}

QString fillChoiceText(Fill::Kind kind, NumberFormat format, DType compute)
{
    switch (kind) {
    case Fill::Kind::NegInf: return FillChoices::tr("\u2212\u221E (PyTorch)");
    case Fill::Kind::NegBillion: {
        const Fill billion{Fill::Kind::NegBillion, 0.0};
        if (fillOverflows(billion, format))
            return FillChoices::tr("−1e9 (TF tutorial): \u2212\u221E in %1!").arg(dtypeText(compute));
        const double used = fillValueIn(billion, format, compute);
        if (used != -1e9)
            return FillChoices::tr("−1e9 (TF tutorial): %1 in %2").arg(prettyNumber(used, 0), dtypeText(compute));
        return FillChoices::tr("−1e9 (TF tutorial)");
    }
    case Fill::Kind::Lowest:
        return FillChoices::tr("lowest: finfo(%1).min = %2")
            .arg(dtypeText(compute), prettyNumber(formatLimits(compute).lowest, 3));
    case Fill::Kind::Value: return FillChoices::tr("a number");
    }
    return {};
}

QString fillFormatHint(const Fill& fill, NumberFormat format, DType compute)
{
    if (fillOverflows(fill, format))
        return FillChoices::tr("%1 is not representable in %2, which is finite only up to \u00B1%3: "
                               "PyTorch's masked_fill refuses it (\u201Cvalue cannot be converted "
                               "without overflow\u201D), and a naive conversion such as "
                               "torch.tensor(%1).half() gives \u2212\u221E, which is what MaskScope "
                               "uses here. A row with no allowed key then turns NaN. Choose "
                               "\u201Clowest\u201D (%4) instead.")
            .arg(QString::fromStdString(fill.toString()), dtypeText(compute),
                 prettyNumber(formatLimits(compute).max, 0), prettyNumber(formatLimits(compute).lowest, 0));
    if (fill.kind == Fill::Kind::Lowest && compute == DType::Float16)
        return FillChoices::tr("finfo(float16).min = −65504 fits, but when it is added, logit + "
                               "(−65504) overflows to \u2212\u221E once the logit is −16 or "
                               "less, so a finite fill can still give NaN; masked_fill (replace) "
                               "keeps it finite.");
    return {};
}

} // namespace maskscope::ui
