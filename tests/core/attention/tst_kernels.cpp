// SPDX-License-Identifier: MIT
// The kernel levels of a portable build (attention/kernels.h): every level this processor runs
// computes what the baseline level (x86-64) computes, and each level's row function gives its
// own engine's rows bit for bit (the row inspector's promise, whatever level was chosen).
//
// Tolerance: levels from x86-64-v3 on fuse multiply-adds in Eigen's products and exp, so values
// may differ by a few units in the last place; where a stage is rounded to float16 or bfloat16,
// such a difference can move a value to the neighbouring number of that format. NaN, ±inf and
// exact zeros (the weight of a key that a -inf mask blocks) must be the same in every level.
#include "attention/attention.h"
#include "attention/kernels.h"
#include "scenario/options.h"
#include "scenario/scenario.h"
#include "synthcase.h"

#include <QTest>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

using namespace maskscope;

namespace {

// The command-line options of each scenario, chosen to reach every path of the kernels: -inf,
// -1e9 and lowest fills, rows without an allowed key, ALiBi and soft-capping, sink logits, the
// pitfall lab, float16 and bfloat16, and sizes that take Eigen's blocked products and the
// streaming stores (more than 8 MiB of kept matrices).
const std::vector<std::vector<std::string>> kScenarios = {
    {"--seq-len", "9", "--causal"},
    {"--batch", "2", "--valid-lens", "8,3", "--pad-side", "left", "--causal"},
    {"--batch", "2", "--valid-lens", "8,3", "--pad-side", "left", "--causal", "--fill", "-1e9"},
    {"--seq-len", "12", "--fill", "lowest", "--window", "2,2"},
    {"--seq-len", "10", "--softcap", "5", "--alibi", "--causal"},
    {"--seq-len", "10", "--sink-logit", "0.5", "--causal"},
    {"--seq-len", "16", "--causal", "--dtype", "f16"},
    {"--seq-len", "16", "--causal", "--dtype", "bf16", "--fill", "-1e9"},
    {"--batch", "2", "--valid-lens", "8,3", "--causal", "--mask-apply", "replace", "--blocked-rows", "uniform"},
    {"--seq-len", "12", "--bug", "masked-fill-not-inplace", "--bug", "qproj-for-kv"},
    {"--seq-len", "300", "--causal", "--heads", "8", "--d-model", "256", "--valid-lens", "280"},
    {"--seq-len", "700", "--heads", "4", "--d-model", "128", "--window", "64,0"},
};

// Relative tolerance of two levels' values (see the file comment).
double tolerance(NumberFormat f)
{
    switch (f) {
    case NumberFormat::Float16: return 2e-3;  // 2^-10, one float16 step, and some
    case NumberFormat::BFloat16: return 1.6e-2; // 2^-7, one bfloat16 step, and some
    default: return 2e-5;
    }
}

// "" when `level` matches `base` within `tol`, else where and how they differ.
template <typename T>
std::string compareMatrices(const Matrix<T>& base, const Matrix<T>& level, double tol)
{
    if (base.rows() != level.rows() || base.cols() != level.cols())
        return "shapes differ";
    for (Eigen::Index i = 0; i < base.rows(); ++i)
        for (Eigen::Index j = 0; j < base.cols(); ++j) {
            const double a = base(i, j), b = level(i, j);
            const bool same = std::isnan(a) ? std::isnan(b)
                              : std::isinf(a) || a == 0 || std::isinf(b) || b == 0
                                  ? a == b
                                  : std::abs(a - b) <= tol * std::max(1.0, std::abs(a));
            if (!same) {
                // A stream, not a chain of std::string +: GCC 12 at -O3 misreads the inlined chain
                // as an overlapping or oversized memcpy (false -Wrestrict or -Wstringop-overflow).
                std::ostringstream where;
                where << '(' << i << ", " << j << "): " << std::to_string(a) << " vs " << std::to_string(b);
                return where.str();
            }
        }
    return "";
}

template <typename T>
AttentionTrace<T> traceAt(const KernelTable& table, const Scenario& s, const AttentionInputs<T>& in)
{
    AttentionTrace<T> trace;
    table.of<T>().makeEngine()->compute(in, s.mask, s.config.scoreModifiers, TraceRequest{}, trace);
    return trace;
}

// "" when every matrix of `level`'s trace matches the baseline's, else the first difference.
template <typename T>
std::string compareTraces(const AttentionTrace<T>& base, const AttentionTrace<T>& level, double tol)
{
    std::string diff;
    const auto check = [&](const char* what, const Matrix<T>& a, const Matrix<T>& b) {
        if (diff.empty() && !(diff = compareMatrices(a, b, tol)).empty())
            diff = std::string(what) + " " + diff;
    };
    for (size_t b = 0; b < base.batches.size(); ++b) {
        const BatchTrace<T>& x = base.batches[b];
        const BatchTrace<T>& y = level.batches[b];
        for (size_t h = 0; h < x.heads.size(); ++h) {
            check("logits", x.heads[h].logits, y.heads[h].logits);
            check("scores", x.heads[h].scores, y.heads[h].scores);
            check("masked logits", x.heads[h].maskedLogits, y.heads[h].maskedLogits);
            check("weights", x.heads[h].weights, y.heads[h].weights);
        }
        check("mean weights", x.meanWeights, y.meanWeights);
        check("output", x.output, y.output);
    }
    return diff;
}

// True when `table`'s row function gives the rows of `table`'s own engine, bit for bit.
template <typename T>
bool rowsMatchTheirEngine(const KernelTable& table, const Scenario& s, const AttentionTrace<T>& trace)
{
    const ScoreModifiers& modifiers = s.config.scoreModifiers;
    const std::vector<double> slopes = alibiSlopes(s.config.heads);
    for (const BatchTrace<T>& b : trace.batches) {
        Matrix<T> additive;
        additiveMask<T>(s.mask, b.batchItem, additive);
        const BoolMatrix allowed = allowedMatrix(s.mask, b.batchItem);
        const int n = static_cast<int>(additive.cols());
        for (const HeadTrace<T>& h : b.heads)
            for (int i = 0; i < std::min<int>(additive.rows(), 40); ++i) {
                const RowStages<T> row = table.of<T>().attentionRow(
                    h.logits.row(i).data(), additive.row(i).data(), allowed.row(i).data(), n, i, modifiers,
                    slopes[static_cast<size_t>(h.head)], i + alignedQueryOffset(s.mask), RowLab::of(s.mask.pitfalls),
                    modifiers.sinkLogit(h.head));
                if (std::memcmp(row.weights.data(), h.weights.row(i).data(), sizeof(T) * n) != 0 ||
                    std::memcmp(row.masked.data(), h.maskedLogits.row(i).data(), sizeof(T) * n) != 0)
                    return false;
            }
    }
    return true;
}

template <typename T>
void compareLevels(const Scenario& s, const AttentionInputs<T>& in, const std::string& name)
{
    const std::vector<const KernelTable*> tables = runnableKernels();
    const AttentionTrace<T> base = traceAt(*tables.front(), s, in);
    for (const KernelTable* table : tables) {
        const AttentionTrace<T> trace = traceAt(*table, s, in);
        const std::string diff = compareTraces(base, trace, tolerance(s.mask.pitfalls.format));
        QVERIFY2(diff.empty(), qPrintable(QString::fromStdString(name + " at " + table->level + ": " + diff)));
        QVERIFY2(rowsMatchTheirEngine(*table, s, trace),
                 qPrintable(QString::fromStdString(name + ": the rows of " + table->level + " differ from its engine")));
    }
}

std::string joined(const std::vector<std::string>& args)
{
    std::string line;
    for (const std::string& a : args)
        line += a + ' ';
    return line;
}

} // namespace

class TestKernels : public QObject {
    Q_OBJECT
private slots:
    void everyLevelComputesWhatTheBaselineComputes()
    {
        for (const std::vector<std::string>& args : kScenarios) {
            std::vector<std::string> rest;
            const Scenario s = buildScenario(parseScenarioOptions(args, rest));
            QVERIFY2(rest.empty(), joined(args).c_str());
            const auto& in = std::get<AttentionInputs<float>>(s.inputs);
            compareLevels(s, in, "float: " + joined(args));
            if (s.mask.pitfalls.format == NumberFormat::Native)
                compareLevels(s, testing::widened(in), "double: " + joined(args));
        }
    }

    void theActiveLevelIsTheHighestRunnableOrTheOneAskedFor()
    {
        const std::vector<const KernelTable*> tables = runnableKernels();
        QVERIFY(!tables.empty());
        const char* wanted = std::getenv("MASKSCOPE_ISA");
        const std::string expected = wanted && *wanted ? wanted : tables.back()->level;
        QCOMPARE(kernelLevel(), expected);
        QCOMPARE(std::string(activeKernels().level), expected);
        const std::string lowest = tables.front()->level;
        QVERIFY2(lowest == "x86-64" || lowest == "native", lowest.c_str()); // every x86-64 runs the baseline
    }
};

QTEST_APPLESS_MAIN(TestKernels)
#include "tst_kernels.moc"
