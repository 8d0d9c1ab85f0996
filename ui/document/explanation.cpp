// SPDX-License-Identifier: MIT
#include "document/explanation.h"

#include "figure/numberformat.h"
#include "document/pitfallexplanation.h"

#include <QObject>

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <limits>

namespace maskscope::ui {

namespace {

// The translation context of every text below (Explanation::tr; lupdate reads it as such).
struct Explanation {
    Q_DECLARE_TR_FUNCTIONS(Explanation)
};

// Explanations show this many keys of a row around the clicked one; longer rows are elided.
constexpr int kTableKeys = 16;
// A blocked key with more weight than this has not really been blocked.
constexpr double kLeakThreshold = 1e-3;

QString num(double value)
{
    return prettyNumber(value, 4);
}

QString quoted(const QString& token)
{
    return QStringLiteral("\u201C%1\u201D").arg(token.toHtmlEscaped());
}

QString fillText(const Fill& fill)
{
    switch (fill.kind) {
    case Fill::Kind::NegInf: return QStringLiteral("\u2212\u221E");
    case Fill::Kind::NegBillion: return QStringLiteral("−1e9");
    case Fill::Kind::Lowest: return Explanation::tr("the lowest finite number");
    case Fill::Kind::Value: return num(fill.value);
    }
    return {};
}

std::vector<int> flagged(const std::vector<bool>& flags, const std::vector<bool>& except = {})
{
    std::vector<int> out;
    for (size_t k = 0; k < flags.size(); ++k)
        if (flags[k] && (except.empty() || !except[k]))
            out.push_back(static_cast<int>(k));
    return out;
}

QString stepRow(const QString& label, const QString& formula, const QString& result)
{
    return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td><td align=right>= <b>%3</b></td></tr>")
        .arg(label, formula, result);
}

QString headline(const RowValues& v, int col)
{
    return Explanation::tr("<p>Query %1 (row %2) \u2192 key %3 (column %4), head %5, batch item %6</p>")
        .arg(quoted(v.queryToken)).arg(v.row)
        .arg(quoted(v.keyTokens.value(col))).arg(col).arg(v.head).arg(v.batchItem);
}

QString modifierFormula(const RowValues& v, int col)
{
    const auto j = static_cast<size_t>(col);
    QStringList parts;
    if (v.modifiers.alibi)
        parts << Explanation::tr("ALiBi: %1 \u2212 %2 \u00B7 |%3 \u2212 %4|")
                     .arg(num(v.logits[j]), num(v.alibiSlope)).arg(v.alignedRow).arg(col);
    if (v.modifiers.softcap)
        parts << Explanation::tr("soft-cap: %1 \u00B7 tanh(x \u00F7 %1)").arg(num(*v.modifiers.softcap));
    return parts.size() == 2 ? Explanation::tr("%1, then %2").arg(parts[0], parts[1]) : parts.value(0);
}

QString stepsTable(const RowValues& v, int col)
{
    const auto j = static_cast<size_t>(col);
    const double root = std::sqrt(static_cast<double>(v.headDim));
    const bool modified = v.modifiers.active();
    int step = 0;
    const auto label = [&step](const QString& name) { return QStringLiteral("%1. %2").arg(++step).arg(name); };
    QString html = QStringLiteral("<table cellspacing=4>");
    html += stepRow(label(Explanation::tr("score")),
                    Explanation::tr("q\u00B7k, summed over the head's d<sub>k</sub> = %1 dimensions")
                        .arg(v.headDim),
                    num(v.dots[j]));
    html += stepRow(label(Explanation::tr("scale")),
                    QStringLiteral("%1 \u00F7 \u221A%2 = %1 \u00F7 %3").arg(num(v.dots[j]))
                        .arg(v.headDim).arg(num(root)),
                    num(v.logits[j]));
    if (modified)
        html += stepRow(label(Explanation::tr("modify")), modifierFormula(v, col), num(v.scores[j]));
    const auto [maskLabel, maskFormula] = maskStep(v, col); // + mask, masked_fill, or never applied
    html += stepRow(label(maskLabel), maskFormula, num(v.masked[j]));
    html += stepRow(label(Explanation::tr("exp")),
                    Explanation::tr("exp(%1 \u2212 max) with the row max = %2")
                        .arg(num(v.masked[j]), num(v.max)),
                    num(v.exps[j]));
    html += stepRow(label(Explanation::tr("\u00F7 sum")),
                    Explanation::tr("%1 \u00F7 %2 (the sum of the exps over the row)")
                        .arg(num(v.exps[j]), num(v.sum)),
                    num(v.weights[j]));
    return html + QStringLiteral("</table>");
}

QString lesson(const Scenario& s, const RowValues& v, int col)
{
    const auto j = static_cast<size_t>(col);
    // A row without an allowed key, or a mask never applied: what the arithmetic really gave.
    if (const QString row = blockedRowLesson(s, v); !row.isEmpty())
        return row;
    if (!v.allowed[j] && v.weights[j] == 0.0)
        return Explanation::tr("<p>This key is blocked (%1): the mask pushes its logit so low that "
                              "exp gives exactly 0.</p>").arg(blockedReason(s, v, col));
    if (!v.allowed[j])
        return Explanation::tr("<p>This key is blocked (%1), yet it keeps a weight of %2: the fill %3 "
                              "is not negative enough.</p>")
            .arg(blockedReason(s, v, col), num(v.weights[j]), fillText(s.mask.fill));
    return Explanation::tr("<p>The key is allowed: the mask adds 0 and the weight is its share of "
                          "the row's exponentials.</p>");
}

QString tableRow(const QStringList& cells, bool selected, bool header = false)
{
    const QString tag = header ? QStringLiteral("th") : QStringLiteral("td");
    const QString style = selected ? QStringLiteral(" style=\"background:#ffe08a;color:#000\"") : QString();
    QString html = QStringLiteral("<tr%1>").arg(style);
    for (int k = 0; k < cells.size(); ++k)
        html += QStringLiteral("<%1 nowrap align=%2>%3</%1>").arg(tag, k == 0 ? QStringLiteral("left") : QStringLiteral("right"), cells[k]);
    return html + QStringLiteral("</tr>");
}

// The row's values around the clicked key, one line per key (a dock is taller than wide).
QString rowTable(const RowValues& v, int col)
{
    const int n = static_cast<int>(v.weights.size());
    const int first = std::clamp(col - kTableKeys / 2, 0, std::max(0, n - kTableKeys));
    const int last = std::min(n, first + kTableKeys);
    QString html = first > 0 || last < n
                       ? Explanation::tr("<p>The whole row (keys %1\u2013%2 of %3):</p>").arg(first).arg(last - 1).arg(n)
                       : Explanation::tr("<p>The whole row:</p>");
    html += QStringLiteral("<table border=0 cellspacing=0 cellpadding=2>");
    // With a score modifier on, the column that meets the mask is the modified score.
    const bool modified = v.modifiers.active();
    html += tableRow({Explanation::tr("key"), modified ? Explanation::tr("score") : Explanation::tr("logit"),
                      Explanation::tr("mask"), QStringLiteral("exp(x\u2212max)"), Explanation::tr("weight")},
                     false, true);
    for (int j = first; j < last; ++j) {
        const auto k = static_cast<size_t>(j);
        html += tableRow({QStringLiteral("%1 %2").arg(j).arg(v.keyTokens.value(j).toHtmlEscaped()),
                          num(modified ? v.scores[k] : v.logits[k]), num(v.mask[k]), num(v.exps[k]),
                          num(v.weights[k])},
                         j == col);
    }
    html += tableRow({Explanation::tr("sum"), QString(), QString(), num(v.sum), QString()}, false, true);
    return html + QStringLiteral("</table>");
}

// True when the additive mask is -inf on every blocked cell (the default fill, and no loaded
// float mask with finite blocked values).
template <typename T>
bool blockedCellsAddNegInf(const BatchTrace<T>& t)
{
    if (t.additiveMask.rows() != t.allowed.rows() || t.additiveMask.cols() != t.allowed.cols())
        return false;
    constexpr T negInf = -std::numeric_limits<T>::infinity();
    for (Eigen::Index i = 0; i < t.allowed.rows(); ++i) { // row by row: both are row-major
        const bool* allowed = t.allowed.row(i).data();
        const T* added = t.additiveMask.row(i).data();
        bool all = true;
        for (Eigen::Index j = 0; j < t.allowed.cols(); ++j)
            all &= allowed[j] | (added[j] == negInf);
        if (!all)
            return false;
    }
    return true;
}

// The largest weight any head gives a blocked key in a row that has allowed keys.
template <typename T>
double largestLeak(const BatchTrace<T>& t)
{
    double leak = 0.0;
    if (t.allowed.size() == 0 || blockedCellsAddNegInf(t))
        return leak; // exp(-inf) is exactly 0: nothing to look for in H x Lq x Lk weights
    const auto consider = [&](const Matrix<T>& w) {
        if (w.rows() != t.allowed.rows() || w.cols() != t.allowed.cols())
            return;
        for (Eigen::Index i = 0; i < w.rows(); ++i)
            if (!t.rowFullyBlocked[static_cast<size_t>(i)])
                for (Eigen::Index j = 0; j < w.cols(); ++j)
                    if (!t.allowed(i, j))
                        leak = std::max(leak, static_cast<double>(w(i, j)));
    };
    for (const auto& h : t.heads)
        consider(h.weights);
    consider(t.meanWeights);
    return leak;
}

} // namespace

QString blockedReason(const Scenario& s, const RowValues& v, int col)
{
    const auto j = static_cast<size_t>(col);
    if (v.allowed[j])
        return {};
    if (const QString lab = labBlockedReason(s, v, col); !lab.isEmpty())
        return lab; // a mask mistake of the pitfall lab decided it
    if (v.keyIsPad[j])
        return Explanation::tr("a padding key");
    if (s.mask.causal && col > v.row)
        return Explanation::tr("a future key: causal masking");
    return Explanation::tr("blocked by the loaded mask");
}

QString cellSummaryHtml(const Scenario& s, const RowValues& v, int col)
{
    const auto j = static_cast<size_t>(col);
    QString html = headline(v, col);
    html += v.allowed[j] ? Explanation::tr("<p><b>allowed</b></p>")
                         : Explanation::tr("<p><b>blocked</b> \u2014 %1</p>").arg(blockedReason(s, v, col));
    const auto line = [](const QString& name, const QString& value) {
        return QStringLiteral("<tr><td>%1</td><td align=right>%2</td></tr>").arg(name, value);
    };
    html += QStringLiteral("<table cellspacing=2>") + line(Explanation::tr("logit"), num(v.logits[j]));
    if (v.modifiers.active())
        html += line(Explanation::tr("score (%1)").arg(v.modifiers.alibi && v.modifiers.softcap ? Explanation::tr("ALiBi, soft-cap")
                                                      : v.modifiers.alibi ? QStringLiteral("ALiBi")
                                                                          : Explanation::tr("soft-cap")),
                     num(v.scores[j]));
    html += line(Explanation::tr("mask"), num(v.mask[j])) + line(Explanation::tr("masked logit"), num(v.masked[j])) +
            line(Explanation::tr("weight"), QStringLiteral("<b>%1</b>").arg(num(v.weights[j]))) +
            QStringLiteral("</table>");
    if (v.queryIsPad)
        html += Explanation::tr("<p><i>This query is padding: its row is computed but means nothing.</i></p>");
    if (!v.maskApplied)
        html += Explanation::tr("<p><i>The mask was computed but never applied: masked_fill's result was "
                                "thrown away.</i></p>");
    return html;
}

QString meanCellSummaryHtml(const Scenario& s, const RowValues& v, int col, double meanWeight,
                            int heads)
{
    const auto j = static_cast<size_t>(col);
    QString html = Explanation::tr("<p>Query %1 (row %2) \u2192 key %3 (column %4), batch item %5</p>")
                       .arg(quoted(v.queryToken)).arg(v.row)
                       .arg(quoted(v.keyTokens.value(col))).arg(col).arg(v.batchItem);
    html += v.allowed[j] ? Explanation::tr("<p><b>allowed</b></p>")
                         : Explanation::tr("<p><b>blocked</b> \u2014 %1</p>").arg(blockedReason(s, v, col));
    html += QStringLiteral("<table cellspacing=2><tr><td>%1</td><td align=right>%2</td></tr>"
                           "<tr><td>%3</td><td align=right><b>%4</b></td></tr></table>")
                .arg(Explanation::tr("mask"), num(v.mask[j]), Explanation::tr("mean weight over %1 heads").arg(heads),
                     num(meanWeight));
    return html;
}

QString explanationHtml(const Scenario& s, const RowValues& v, int col)
{
    return headline(v, col) + stepsTable(v, col) + lesson(s, v, col) + formatNote(v) + rowTable(v, col);
}

QString meanExplanationHtml(const Scenario& s, const std::vector<RowValues>& rows, int col)
{
    if (rows.empty())
        return {};
    const auto j = static_cast<size_t>(col);
    QStringList terms;
    double sum = 0.0;
    for (const RowValues& v : rows) {
        terms << num(v.weights[j]);
        sum += v.weights[j];
    }
    const RowValues& first = rows.front();
    QString html = Explanation::tr("<p>Query %1 (row %2) \u2192 key %3 (column %4), mean over %5 heads</p>")
                       .arg(quoted(first.queryToken)).arg(first.row)
                       .arg(quoted(first.keyTokens.value(col))).arg(col).arg(rows.size());
    html += QStringLiteral("<p>(%1) \u00F7 %2 = <b>%3</b></p>")
                .arg(terms.join(QStringLiteral(" + "))).arg(rows.size())
                .arg(num(sum / static_cast<double>(rows.size())));
    html += Explanation::tr("<p>Each head has its own projections, so each head weighs the keys "
                           "differently; the mask is the same for all of them. "
                           "Click a cell in the single-head view for the steps of one head.</p>");
    return html + lesson(s, first, col);
}

template <typename T>
QStringList teachingWarnings(const Scenario& s, const BatchTrace<T>& t)
{
    QStringList warnings;
    // The mask never applied, rows without an allowed key and what they returned, fills the
    // number format cannot hold.
    warnings << pitfallWarnings(s, t);
    const std::vector<int> paddedQueries = flagged(t.queryIsPad, t.rowFullyBlocked);
    if (!paddedQueries.empty())
        warnings << Explanation::tr("padded query rows %1 are computed but carry no meaning: the mask "
                                    "hides padded keys, not padded queries",
                                    nullptr, static_cast<int>(paddedQueries.size()))
                        .arg(rangesText(paddedQueries));
    if (const double leak = largestLeak(t); t.maskApplied && leak > kLeakThreshold)
        warnings << Explanation::tr("the fill %1 is too weak to block: a blocked key still gets a "
                                   "weight of %2")
                        .arg(fillText(s.mask.fill), num(leak));
    return warnings;
}

template QStringList teachingWarnings<float>(const Scenario&, const BatchTrace<float>&);
template QStringList teachingWarnings<double>(const Scenario&, const BatchTrace<double>&);

} // namespace maskscope::ui
