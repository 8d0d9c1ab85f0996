// SPDX-License-Identifier: MIT
#include "document/pitfallexplanation.h"

#include "figure/numberformat.h"

#include "attention/precision.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <limits>

namespace maskscope::ui {

// Gives the free functions below a tr() with a context of their own, for lupdate and Linguist.
class PitfallExplanation {
    Q_DECLARE_TR_FUNCTIONS(maskscope::ui::PitfallExplanation)
};

namespace {

QString num(double value)
{
    return prettyNumber(value, 4);
}

QString dtypeText(DType d)
{
    return QString::fromLatin1(dtypeName(d));
}

// The distance between neighbouring numbers of type d near x.
double spacingNear(double x, DType d)
{
    if (x == 0.0 || !std::isfinite(x))
        return 0.0;
    return std::ldexp(1.0, std::ilogb(x) - (formatLimits(d).significandBits - 1));
}

bool allNegInf(const std::vector<double>& row)
{
    return std::all_of(row.begin(), row.end(), [](double x) { return std::isinf(x) && x < 0; });
}

bool allEqual(const std::vector<double>& row)
{
    return std::all_of(row.begin(), row.end(), [&](double x) { return x == row.front(); });
}

// softmax of the row's scores, as if no mask had been there (double, for comparison only).
std::vector<double> unmaskedWeights(const std::vector<double>& scores)
{
    const double max = *std::max_element(scores.begin(), scores.end());
    std::vector<double> w(scores.size());
    double sum = 0.0;
    for (size_t j = 0; j < scores.size(); ++j)
        sum += w[j] = std::exp(scores[j] - max);
    for (double& x : w)
        x /= sum;
    return w;
}

double largestDifference(const std::vector<double>& a, const std::vector<double>& b)
{
    double d = 0.0;
    for (size_t j = 0; j < a.size(); ++j)
        d = std::max(d, std::fabs(a[j] - b[j]));
    return d;
}

QString nanLesson(const Scenario& s, const RowValues& v)
{
    QString text = PitfallExplanation::tr("<p>Every key of this row is blocked, so every masked logit is "
                          "\u2212\u221E, the row max is \u2212\u221E and x \u2212 max = "
                          "\u2212\u221E \u2212 (\u2212\u221E) = NaN: every weight of the row is NaN, "
                          "and NaN spreads into the output.");
    if (s.mask.fill.kind != Fill::Kind::NegInf)
        text += PitfallExplanation::tr(" The fill %1 does not fit in %2: converted, it became \u2212\u221E.")
                    .arg(QString::fromStdString(s.mask.fill.toString()), dtypeText(v.dtype));
    return text + QStringLiteral("</p>");
}

QString uniformLesson(const RowValues& v)
{
    const auto n = static_cast<int>(v.weights.size());
    QString why;
    if (v.lab.maskApply == MaskApply::Replace) {
        why = PitfallExplanation::tr("masked_fill wrote the fill into every cell, whatever the logits were");
    } else {
        const auto [lo, hi] = std::minmax_element(v.scores.begin(), v.scores.end());
        why = PitfallExplanation::tr("logit + fill rounds to the same number for every key, because near %1 the "
                     "spacing of %2 is %3, more than the logits' spread of %4")
                  .arg(num(v.masked.front()), dtypeText(v.dtype), num(spacingNear(v.masked.front(), v.dtype)),
                       num(*hi - *lo));
    }
    return PitfallExplanation::tr("<p>Every key of this row is blocked and every masked logit is the same number, "
                  "%1: %2. The softmax of equal numbers is uniform: 1/%3 = %4 on every key, the "
                  "blocked ones included.</p>")
        .arg(num(v.masked.front()), why).arg(n).arg(num(1.0 / n));
}

QString shiftedLesson(const RowValues& v)
{
    const double difference = largestDifference(v.weights, unmaskedWeights(v.scores));
    const double spacing = spacingNear(v.masked.front(), v.dtype);
    if (difference < 1e-3)
        return PitfallExplanation::tr("<p>Every key of this row is blocked, yet the weights are not uniform: the "
                      "fill was added to every logit, %1 still tells the sums apart (its spacing "
                      "near %2 is %3), and softmax ignores a shift common to the whole row, so the "
                      "row keeps its unmasked weights (to within %4): for this row the mask did "
                      "nothing.</p>")
            .arg(dtypeText(v.dtype), num(v.masked.front()), num(spacing), num(difference));
    const auto [lo, hi] = std::minmax_element(v.weights.begin(), v.weights.end());
    return PitfallExplanation::tr("<p>Every key of this row is blocked. The fill was added to every logit and %1 "
                  "resolves only part of their differences (its spacing near %2 is %3): the "
                  "weights run from %4 to %5, neither uniform nor the unmasked ones.</p>")
        .arg(dtypeText(v.dtype), num(v.masked.front()), num(spacing), num(*lo), num(*hi));
}

QString discardedLesson(const RowValues& v)
{
    const auto blocked = std::count(v.allowed.begin(), v.allowed.end(), false);
    if (blocked == 0)
        return {};
    return PitfallExplanation::tr("<p>The mask blocks %1 of this row's %2 keys, but it was never applied: "
                  "masked_fill returned a new tensor and the code threw it away, so the masked "
                  "logits are the raw logits and these are the unmasked weights. The fix: "
                  "<code>atten_scores = atten_scores.masked_fill(mask == 0, -1e9)</code>.</p>")
        .arg(blocked).arg(v.allowed.size());
}

// "row 3" or "rows 0–2, 5".
QString rowsText(const std::vector<int>& rows)
{
    if (rows.size() == 1)
        return PitfallExplanation::tr("row %1").arg(rows.front());
    return PitfallExplanation::tr("rows %1").arg(rangesText(rows));
}

// How the weights of these rows came out, over every head the trace holds.
struct RowsVerdict {
    bool seen = false;   // the trace holds weights
    bool nan = false;    // some weight is NaN
    bool uniform = true; // every row of every head holds one value
};

template <typename T>
RowsVerdict verdictOf(const BatchTrace<T>& t, const std::vector<int>& rows)
{
    RowsVerdict verdict;
    const auto judge = [&](const Matrix<T>& w) {
        if (w.rows() != t.allowed.rows() || w.size() == 0)
            return;
        verdict.seen = true;
        for (int i : rows) {
            const auto row = w.row(i).array();
            verdict.nan = verdict.nan || row.isNaN().any();
            verdict.uniform = verdict.uniform && (row == row(0)).all();
        }
    };
    for (const auto& h : t.heads)
        judge(h.weights);
    judge(t.meanWeights);
    return verdict;
}

template <typename T>
QString fillDependentWarning(const BatchTrace<T>& t, const std::vector<int>& rows)
{
    const RowsVerdict v = verdictOf(t, rows);
    const QString which = rowsText(rows);
    if (!v.seen)
        return PitfallExplanation::tr("%1: no allowed key; the fill is added to the logits, and softmax decides")
            .arg(which);
    if (v.nan)
        return PitfallExplanation::tr("%1: no allowed key; logit + fill overflowed to \u2212\u221E, so the weights "
                      "are NaN").arg(which);
    if (v.uniform)
        return PitfallExplanation::tr("%1: no allowed key; the fill swamps the logits and the weights spread "
                      "evenly over keys that were all blocked").arg(which);
    return PitfallExplanation::tr("%1: no allowed key; the fill is added to every logit and softmax ignores a "
                  "common shift, so the weights follow the unmasked logits instead of spreading "
                  "evenly").arg(which);
}

template <typename T>
QString outcomeWarning(const BatchTrace<T>& t, BlockedRowOutcome outcome, const std::vector<int>& rows)
{
    const QString which = rowsText(rows);
    switch (outcome) {
    case BlockedRowOutcome::Nan:
        return PitfallExplanation::tr("%1: no allowed key, so the weights are NaN (\u2212\u221E \u2212 "
                      "(\u2212\u221E)), and NaN spreads into the output").arg(which);
    case BlockedRowOutcome::Zero:
        return PitfallExplanation::tr("%1: no allowed key; the safe softmax returns zeros, and the output row is "
                      "out_proj.bias alone").arg(which);
    case BlockedRowOutcome::Uniform:
        return PitfallExplanation::tr("%1: no allowed key; the weights spread evenly, 1/%2 on every key, blocked "
                      "ones included").arg(which).arg(t.allowed.cols());
    case BlockedRowOutcome::FillDependent: return fillDependentWarning(t, rows);
    case BlockedRowOutcome::MaskNotApplied: // said once for the whole matrix
    case BlockedRowOutcome::Ordinary: break;
    }
    return {};
}

QString warningText(const Warning& w)
{
    QString text = QCoreApplication::translate(kPitfallTextContext, w.textTemplate());
    for (const std::string& arg : w.args)
        text = text.arg(QString::fromStdString(arg));
    return text;
}

} // namespace

QString rangesText(const std::vector<int>& indices)
{
    QStringList parts;
    for (size_t k = 0; k < indices.size();) {
        size_t end = k;
        while (end + 1 < indices.size() && indices[end + 1] == indices[end] + 1)
            ++end;
        parts << (end == k ? QString::number(indices[k])
                           : QStringLiteral("%1\u2013%2").arg(indices[k]).arg(indices[end]));
        k = end + 1;
    }
    return parts.join(QStringLiteral(", "));
}

QString labBlockedReason(const Scenario& s, const RowValues& v, int col)
{
    const Pitfalls& lab = s.mask.pitfalls;
    if (v.allowed[static_cast<size_t>(col)])
        return {};
    if (lab.has(Pitfall::InvertedPolarity))
        return PitfallExplanation::tr("the mask's polarity is inverted (inverted-polarity): every cell the "
                      "intended mask allows is blocked, and the reverse");
    if (lab.has(Pitfall::CausalBackwards) && s.mask.causal && col <= v.alignedRow)
        return PitfallExplanation::tr("the causal mask is on the wrong side of the diagonal (causal-backwards): it "
                      "blocks this key and every earlier one");
    return {};
}

std::pair<QString, QString> maskStep(const RowValues& v, int col)
{
    const auto j = static_cast<size_t>(col);
    if (!v.maskApplied)
        return {PitfallExplanation::tr("mask"),
                PitfallExplanation::tr("never applied: masked_fill's result was thrown away, %1 goes on unchanged")
                    .arg(num(v.scores[j]))};
    if (v.lab.maskApply == MaskApply::Replace && !v.allowed[j])
        return {PitfallExplanation::tr("masked_fill"),
                PitfallExplanation::tr("blocked: the logit %1 is replaced by the fill %2").arg(num(v.scores[j]), num(v.mask[j]))};
    return {PitfallExplanation::tr("+ mask"), QStringLiteral("%1 + (%2)").arg(num(v.scores[j]), num(v.mask[j]))};
}

QString blockedRowLesson(const Scenario& s, const RowValues& v)
{
    if (!v.maskApplied)
        return discardedLesson(v);
    if (!v.fullyBlocked)
        return {};
    const auto n = static_cast<int>(v.weights.size());
    switch (v.lab.blockedRows) {
    case BlockedRows::Zero:
        return PitfallExplanation::tr("<p>No key of this row is allowed. The safe softmax (SDPA since PyTorch 2.5, "
                      "FlashAttention, Keras 3) returns 0 for every key instead of NaN: the row "
                      "adds nothing, and its output is out_proj.bias alone.</p>");
    case BlockedRows::Uniform:
        return PitfallExplanation::tr("<p>No key of this row is allowed. The uniform policy spreads the weight "
                      "evenly, 1/%1 = %2 on every key, blocked or not: the output row is the mean of "
                      "all value vectors.</p>").arg(n).arg(num(1.0 / n));
    case BlockedRows::Nan: break;
    }
    if (allNegInf(v.masked))
        return nanLesson(s, v);
    if (allEqual(v.masked))
        return uniformLesson(v);
    return shiftedLesson(v);
}

QString formatNote(const RowValues& v)
{
    if (!roundsIntermediates(v.lab.format))
        return {};
    return PitfallExplanation::tr("<p>Computed in %1: every stored value above (projections, logits, masked "
                  "logits, weights) is rounded to %1, which keeps %2 significant bits; products "
                  "and the softmax run in float32 and are rounded once.</p>")
        .arg(dtypeText(v.dtype)).arg(formatLimits(v.dtype).significandBits);
}

template <typename T>
QStringList pitfallWarnings(const Scenario& s, const BatchTrace<T>& t)
{
    QStringList warnings;
    if (!t.maskApplied)
        warnings << PitfallExplanation::tr("the mask was computed but never applied: masked_fill's result was "
                           "discarded, so every query sees every key");
    for (BlockedRowOutcome outcome : {BlockedRowOutcome::Nan, BlockedRowOutcome::Zero, BlockedRowOutcome::Uniform,
                                      BlockedRowOutcome::FillDependent}) {
        std::vector<int> rows;
        for (size_t i = 0; i < t.blockedRowOutcomes.size(); ++i)
            if (t.blockedRowOutcomes[i] == outcome)
                rows.push_back(static_cast<int>(i));
        if (!rows.empty())
            warnings << outcomeWarning(t, outcome, rows);
    }
    for (const Warning& w : scenarioWarnings(s.mask, s.dtype()))
        warnings << warningText(w);
    return warnings;
}

template QStringList pitfallWarnings<float>(const Scenario&, const BatchTrace<float>&);
template QStringList pitfallWarnings<double>(const Scenario&, const BatchTrace<double>&);

} // namespace maskscope::ui
